using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cloud.Certificates;

/// <summary>
/// Reads certificates that callers upload as PEM text, base64 DER or binary DER. Input that
/// contains a private key is rejected without echoing any of it.
/// </summary>
internal static class CertificateParser
{
    /// <summary>Largest accepted upload; a PEM chain of a few RSA-16384 certificates fits.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Most certificates accepted in one PEM chain.</summary>
    public const int MaxChainLength = 10;

    public static bool TryParseChain(
        ReadOnlySpan<byte> input,
        out List<X509Certificate2> chain,
        out string? error)
    {
        chain = [];

        if (input.IsEmpty || input.Trim((byte)' ').IsEmpty)
        {
            error = "The certificate is empty. Send a PEM certificate (-----BEGIN CERTIFICATE-----) or DER bytes.";
            return false;
        }

        if (input.Length > MaxBytes)
        {
            error = $"The certificate upload has {input.Length} bytes; the maximum is {MaxBytes}.";
            return false;
        }

        // DER starts with a SEQUENCE tag; anything else is read as text.
        if (input[0] == 0x30)
        {
            return TryLoadDer(input, chain, out error);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(input);
        }
        catch (DecoderFallbackException)
        {
            error = "The certificate is neither DER nor UTF-8 PEM text.";
            return false;
        }

        return TryParseText(text, chain, out error);
    }

    private static bool TryParseText(string text, List<X509Certificate2> chain, out string? error)
    {
        if (text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            error = "The upload contains a private key. Never send private keys: send only the certificate, " +
                "for example the output of 'openssl x509 -in client.pem'.";
            return false;
        }

        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return TryLoadBase64(text, chain, out error);
        }

        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label];
            if (label.SequenceEqual("CERTIFICATE"))
            {
                if (chain.Count == MaxChainLength)
                {
                    error = $"The upload contains more than {MaxChainLength} certificates.";
                    return false;
                }

                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(remaining[fields.Base64Data], der, out var written) ||
                    !TryLoadDer(der.AsSpan(0, written), chain, out error))
                {
                    error = $"Certificate {chain.Count + 1} in the PEM text is not a valid X.509 certificate.";
                    return false;
                }
            }

            remaining = remaining[fields.Location.End..];
        }

        if (chain.Count == 0)
        {
            error = "No valid '-----BEGIN CERTIFICATE-----' block was found. Send a PEM certificate or DER bytes.";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryLoadBase64(string text, List<X509Certificate2> chain, out string? error)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var der = new byte[compact.Length];
        if (!Convert.TryFromBase64String(compact, der, out var written))
        {
            error = "The certificate is not PEM (no '-----BEGIN CERTIFICATE-----' line), base64 DER or DER.";
            return false;
        }

        return TryLoadDer(der.AsSpan(0, written), chain, out error);
    }

    private static bool TryLoadDer(ReadOnlySpan<byte> der, List<X509Certificate2> chain, out string? error)
    {
        try
        {
            chain.Add(X509CertificateLoader.LoadCertificate(der));
            error = null;
            return true;
        }
        catch (CryptographicException)
        {
            error = "The DER bytes are not a valid X.509 certificate.";
            return false;
        }
    }
}
