using System.ComponentModel.DataAnnotations;

namespace Cloud.Registry.Records;

/// <summary>
/// Settings of decision records, bound from the "DecisionRecords" configuration section.
/// </summary>
public sealed class DecisionRecordOptions
{
    public const string SectionName = "DecisionRecords";

    /// <summary>Records older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most records kept; the oldest beyond it are deleted.</summary>
    [Range(1_000, 100_000_000)]
    public int MaxCount { get; set; } = 1_000_000;

    /// <summary>
    /// Records waiting to be written. When full, new records are dropped and counted, so that
    /// writing records never blocks a connect.
    /// </summary>
    [Range(100, 10_000_000)]
    public int BufferCapacity { get; set; } = 50_000;

    /// <summary>Most records written in one transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Time between retention runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(5);
}
