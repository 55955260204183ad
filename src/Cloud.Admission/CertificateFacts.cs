using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Admission;

/// <summary>
/// Identifying facts of a certificate for logs, responses and decision records.
/// </summary>
public sealed record CertificateFacts(
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint)
{
    public static CertificateFacts From(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        return new CertificateFacts(
            certificate.Subject,
            certificate.Issuer,
            certificate.SerialNumber.ToLowerInvariant(),
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            Fingerprint(certificate));
    }

    /// <summary>SHA-256 of the DER certificate, as lowercase hex bytes joined by ':'.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hash = SHA256.HashData(certificate.RawDataMemory.Span);
        return string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
