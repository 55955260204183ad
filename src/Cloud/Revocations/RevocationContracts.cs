using Cloud.Registry.Revocations;

namespace Cloud.Revocations;

/// <summary>
/// Body of POST /api/revocations: the revoked certificate as its signature or as the
/// certificate itself (exactly one of the two), and why it is revoked.
/// </summary>
/// <param name="Signature">Certificate signature in any form 'openssl x509 -text' prints.</param>
/// <param name="Certificate">The certificate as PEM or base64 DER; its signature is revoked.</param>
/// <param name="Reason">Why the certificate is revoked, for operators and admission logs.</param>
public sealed record RevocationRequest(string? Signature, string? Certificate, string? Reason);

/// <summary>
/// A revoked certificate signature.
/// </summary>
/// <param name="Signature">Canonical signature: lowercase hex bytes joined by ':'.</param>
public sealed record RevocationResponse(long Id, string Signature, string Reason, DateTime RevokedAt)
{
    public static RevocationResponse From(Revocation revocation) =>
        new(revocation.Id, revocation.Signature, revocation.Reason, revocation.RevokedAt);
}
