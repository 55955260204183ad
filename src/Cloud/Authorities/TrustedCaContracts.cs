using System.Security.Cryptography.X509Certificates;
using Cloud.Admission;
using Cloud.Registry.Authorities;

namespace Cloud.Authorities;

/// <summary>
/// Body of POST and PUT /api/cas. On PUT the key comes from the path and may be omitted here.
/// </summary>
/// <param name="Key">Unique key that thing definitions name in trustedCas: 1 to 64 letters, digits, '_', '-' or '.'.</param>
/// <param name="Certificate">
/// Exactly one CA certificate as PEM (-----BEGIN CERTIFICATE-----) or base64 DER. Its basic
/// constraints must set CA:TRUE. Register each CA of a chain separately.
/// </param>
/// <param name="Enabled">Disabled CAs admit no device; default true.</param>
public sealed record TrustedCaRequest(string? Key, string? Name, string? Certificate, bool? Enabled = null);

/// <summary>
/// A registered CA certificate.
/// </summary>
/// <param name="SerialNumber">Serial number as lowercase hex.</param>
/// <param name="Sha256Fingerprint">SHA-256 of the DER certificate as lowercase hex bytes joined by ':'.</param>
/// <param name="SelfSigned">Whether subject and issuer are the same name, as in a root CA.</param>
public sealed record TrustedCaResponse(
    string Key,
    string Name,
    bool Enabled,
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    bool SelfSigned,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static TrustedCaResponse From(TrustedCa ca)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(ca.Certificate);
        var facts = CertificateFacts.From(certificate);
        var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

        return new TrustedCaResponse(
            ca.Key,
            ca.Name,
            ca.Enabled,
            facts.Subject,
            facts.Issuer,
            facts.SerialNumber,
            facts.NotBefore,
            facts.NotAfter,
            ca.Fingerprint,
            selfSigned,
            ca.CreatedAt,
            ca.UpdatedAt);
    }
}
