using System.ComponentModel.DataAnnotations;

namespace Cloud.Broker.Throttling;

/// <summary>
/// Limits on repeated rejected connects, per remote IP address and per client id, bound from
/// "Broker:Throttle". Connects are first slowed, then rejected for a while.
/// </summary>
public sealed class ThrottleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Period over which rejected connects are counted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Refused connects within the window after which each further connect is delayed.</summary>
    [Range(1, 100_000)]
    public int SlowAfter { get; set; } = 10;

    /// <summary>Delay added to each connect of a slowed address or client id.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rejected connects within the window after which connects are rejected unchecked.</summary>
    [Range(1, 100_000)]
    public int BlockAfter { get; set; } = 30;

    /// <summary>How long a blocked address or client id stays rejected.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most addresses and client ids tracked at once; older quiet ones are forgotten first.</summary>
    [Range(100, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;
}
