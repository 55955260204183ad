using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Registry.Signatures;

/// <summary>
/// Signature value of an X.509 certificate: the contents of the signatureValue BIT STRING
/// (RFC 5280, section 4.1.1.3), kept in the canonical text form <c>51:0c:12:...</c>
/// that <c>openssl x509 -text</c> prints, lowercase and without whitespace.
/// </summary>
public sealed class TlsSignature : IEquatable<TlsSignature>
{
    /// <summary>
    /// Largest accepted signature in bytes. An RSA-16384 signature has 2048 bytes, and no
    /// certificate signature algorithm in use produces a longer one.
    /// </summary>
    public const int MaxBytes = 2048;

    /// <summary>
    /// Largest accepted text input, enough for <see cref="MaxBytes"/> in the indented
    /// <c>openssl x509 -text</c> layout with its two label lines.
    /// </summary>
    public const int MaxInputLength = 16 * 1024;

    public const string ExpectedForm =
        "Paste the hex block that 'openssl x509 -text' prints under 'Signature Value:' (OpenSSL 3) " +
        "or after 'Signature Algorithm:' (OpenSSL 1.1), for example 51:0c:12:a5:..., with or without colons and whitespace.";

    private readonly byte[] bytes;

    private TlsSignature(byte[] bytes, string canonical)
    {
        this.bytes = bytes;
        Canonical = canonical;
    }

    /// <summary>Lowercase two-digit hex bytes joined by ':'.</summary>
    public string Canonical { get; }

    public int Length => bytes.Length;

    public ReadOnlySpan<byte> Bytes => bytes;

    public static TlsSignature FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > MaxBytes)
        {
            throw new ArgumentException($"A signature has 1 to {MaxBytes} bytes, not {value.Length}.", nameof(value));
        }

        return new TlsSignature(value.ToArray(), Format(value));
    }

    /// <summary>
    /// Reads the signatureValue of a DER-encoded certificate.
    /// </summary>
    /// <exception cref="CryptographicException">The certificate is not valid DER.</exception>
    public static TlsSignature FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        try
        {
            var reader = new AsnReader(certificate.RawDataMemory, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            sequence.ReadEncodedValue(); // tbsCertificate
            sequence.ReadEncodedValue(); // signatureAlgorithm
            var value = sequence.ReadBitString(out _);
            return FromBytes(value);
        }
        catch (AsnContentException exception)
        {
            throw new System.Security.Cryptography.CryptographicException("The certificate is not valid DER.", exception);
        }
        catch (ArgumentException exception)
        {
            throw new System.Security.Cryptography.CryptographicException("The certificate signature has an unsupported length.", exception);
        }
    }

    public static TlsSignature Parse(string text)
    {
        if (!TryParse(text, out var signature, out var error))
        {
            throw new FormatException(error);
        }

        return signature;
    }

    /// <summary>
    /// Parses a signature as people paste it: the <c>openssl x509 -text</c> block with its
    /// indentation and line breaks, optionally with the 'Signature Algorithm:' line and the
    /// 'Signature Value:' label that OpenSSL 3 prints, in any case, with or without colons.
    /// </summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TlsSignature? signature, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        signature = null;

        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The signature is empty. " + ExpectedForm;
            return false;
        }

        if (text.Length > MaxInputLength)
        {
            error = $"The signature text has {text.Length} characters, more than the maximum of {MaxInputLength}. " + ExpectedForm;
            return false;
        }

        var digits = StripLabelsAndWhitespace(text);
        if (digits.Length == 0)
        {
            error = "The signature contains labels but no hex digits. " + ExpectedForm;
            return false;
        }

        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (c != ':' && !char.IsAsciiHexDigit(c))
            {
                error = $"The signature contains '{c}' at position {i + 1}, which is not a hex digit or ':'. " + ExpectedForm;
                return false;
            }
        }

        var bytes = digits.Contains(':') ? ParseColonSeparated(digits, out error) : ParseContiguous(digits, out error);
        if (bytes is null)
        {
            error ??= "The signature is invalid. " + ExpectedForm;
            return false;
        }

        if (bytes.Length > MaxBytes)
        {
            error = $"The signature has {bytes.Length} bytes, more than the {MaxBytes} bytes of the largest real signature (RSA-16384).";
            return false;
        }

        signature = new TlsSignature(bytes, Format(bytes));
        error = null;
        return true;
    }

    public bool Equals(TlsSignature? other) =>
        other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => obj is TlsSignature other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Canonical;

    private static string StripLabelsAndWhitespace(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("Signature Algorithm:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            const string valueLabel = "Signature Value:";
            if (line.StartsWith(valueLabel, StringComparison.OrdinalIgnoreCase))
            {
                line = line[valueLabel.Length..];
            }

            foreach (var c in line)
            {
                if (!char.IsWhiteSpace(c))
                {
                    builder.Append(c);
                }
            }
        }

        return builder.ToString();
    }

    private static byte[]? ParseColonSeparated(string digits, out string? error)
    {
        var groups = digits.Split(':');
        if (groups.Length > MaxBytes)
        {
            error = $"The signature has {groups.Length} bytes, more than the {MaxBytes} bytes of the largest real signature (RSA-16384).";
            return null;
        }

        var bytes = new byte[groups.Length];
        for (var i = 0; i < groups.Length; i++)
        {
            if (groups[i].Length != 2)
            {
                error = groups[i].Length == 0
                    ? $"The signature has an empty byte at position {i + 1}: remove the extra ':'."
                    : $"Byte {i + 1} of the signature is '{groups[i]}', but each byte between colons must be two hex digits.";
                return null;
            }

            bytes[i] = byte.Parse(groups[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        error = null;
        return bytes;
    }

    private static byte[]? ParseContiguous(string digits, out string? error)
    {
        if (digits.Length % 2 != 0)
        {
            error = $"The signature has an odd number of hex digits ({digits.Length}); each byte needs two. Check that nothing was cut off while copying.";
            return null;
        }

        if (digits.Length / 2 > MaxBytes)
        {
            error = $"The signature has {digits.Length / 2} bytes, more than the {MaxBytes} bytes of the largest real signature (RSA-16384).";
            return null;
        }

        error = null;
        return Convert.FromHexString(digits);
    }

    private static string Format(ReadOnlySpan<byte> value)
    {
        var hex = Convert.ToHexStringLower(value);
        return string.Create(value.Length * 3 - 1, hex, static (span, source) =>
        {
            for (int i = 0, j = 0; i < source.Length; i += 2)
            {
                if (i > 0)
                {
                    span[j++] = ':';
                }

                span[j++] = source[i];
                span[j++] = source[i + 1];
            }
        });
    }
}
