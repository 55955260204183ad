using System.ComponentModel.DataAnnotations;

namespace Cloud.Admission;

/// <summary>
/// Settings of the admission rules, bound from the "Admission" configuration section.
/// </summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Admission";

    /// <summary>
    /// Allowance for clock differences when checking certificate validity periods.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
