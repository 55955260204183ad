namespace Cloud.Registry.Authorities;

/// <summary>
/// A CA certificate, root or intermediate, that thing definitions can name as trusted issuer.
/// </summary>
public sealed class TrustedCa
{
    public long Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    /// <summary>DER encoding of the CA certificate.</summary>
    public required byte[] Certificate { get; set; }

    /// <summary>SHA-256 of <see cref="Certificate"/>, lowercase hex bytes joined by ':'.</summary>
    public required string Fingerprint { get; set; }

    public required string Subject { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
