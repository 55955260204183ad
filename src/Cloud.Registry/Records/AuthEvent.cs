namespace Cloud.Registry.Records;

/// <summary>
/// A stored decision record: a connect attempt, a disconnect, or a denied publish or subscribe.
/// </summary>
public sealed class AuthEvent
{
    public long Id { get; set; }

    public DateTime Time { get; set; }

    /// <summary>"connect", "disconnect", "publish" or "subscribe".</summary>
    public required string Kind { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Key of the thing the client connected as, when known.</summary>
    public string? Thing { get; set; }

    public string? RemoteAddress { get; set; }

    /// <summary>SHA-256 of the client certificate, lowercase hex bytes joined by ':'.</summary>
    public string? Fingerprint { get; set; }

    public string? Subject { get; set; }

    public string? Issuer { get; set; }

    /// <summary>"allow" or "deny"; disconnects are recorded as "allow".</summary>
    public required string Result { get; set; }

    public string? Rule { get; set; }

    public string? Reason { get; set; }

    /// <summary>Topic name or filter of a publish or subscribe record.</summary>
    public string? Topic { get; set; }

    /// <summary>Time the decision took, in microseconds.</summary>
    public long DecisionMicroseconds { get; set; }
}

/// <summary>
/// Kinds and results of decision records.
/// </summary>
public static class AuthEventKinds
{
    public const string Connect = "connect";
    public const string Disconnect = "disconnect";
    public const string Publish = "publish";
    public const string Subscribe = "subscribe";
    public const string Allow = "allow";
    public const string Deny = "deny";
}
