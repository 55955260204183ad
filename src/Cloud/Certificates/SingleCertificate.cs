using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cloud.Certificates;

/// <summary>
/// Reads exactly one certificate from text that a JSON field carries (PEM or base64 DER).
/// </summary>
internal static class SingleCertificate
{
    /// <param name="oneAtATime">Sentence with the fix for text that contains several certificates.</param>
    public static bool TryRead(
        string text,
        string oneAtATime,
        [NotNullWhen(true)] out X509Certificate2? certificate,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);

        certificate = null;
        if (!CertificateParser.TryParseChain(Encoding.UTF8.GetBytes(text), out var chain, out var parseError))
        {
            error = parseError ?? "The certificate is invalid.";
            return false;
        }

        if (chain.Count > 1)
        {
            foreach (var extra in chain)
            {
                extra.Dispose();
            }

            error = $"The PEM text contains {chain.Count} certificates, but only one is accepted here. {oneAtATime}";
            return false;
        }

        certificate = chain[0];
        error = null;
        return true;
    }
}
