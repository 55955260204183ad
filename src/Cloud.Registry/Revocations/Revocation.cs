namespace Cloud.Registry.Revocations;

/// <summary>
/// A revoked certificate, identified by its signature. Revoked certificates are refused
/// whatever else matches.
/// </summary>
public sealed class Revocation
{
    public long Id { get; set; }

    /// <summary>Canonical signature of the revoked certificate.</summary>
    public required string Signature { get; set; }

    public required string Reason { get; set; }

    public DateTime RevokedAt { get; set; }
}
