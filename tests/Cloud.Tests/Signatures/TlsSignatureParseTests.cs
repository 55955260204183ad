using Cloud.Registry.Signatures;

namespace Cloud.Tests.Signatures;

public sealed class TlsSignatureParseTests
{
    [Fact]
    public void OpenSsl11DumpEqualsOneLineValue()
    {
        var fromDump = TlsSignature.Parse(SignatureVectors.OpenSsl11Dump);
        var fromOneLine = TlsSignature.Parse(SignatureVectors.OneLine);

        Assert.Equal(fromOneLine.Canonical, fromDump.Canonical);
        Assert.Equal(fromOneLine, fromDump);
    }

    [Fact]
    public void OneLineValueIsAlreadyCanonical()
    {
        var signature = TlsSignature.Parse(SignatureVectors.OneLine);

        Assert.Equal(SignatureVectors.OneLine, signature.Canonical);
        Assert.Equal(512, signature.Length);
    }

    [Fact]
    public void OpenSsl3LayoutParses()
    {
        // OpenSSL 3 prints the algorithm line, then 'Signature Value:' on its own line, then the
        // hex block indented by 8 spaces.
        var text = "    Signature Algorithm: sha256WithRSAEncryption\n" +
            "    Signature Value:\n" +
            IndentedHex(SignatureVectors.OneLine, indent: 8);

        var signature = TlsSignature.Parse(text);

        Assert.Equal(SignatureVectors.OneLine, signature.Canonical);
    }

    [Fact]
    public void HexOnSignatureValueLineParses()
    {
        var signature = TlsSignature.Parse("Signature Value: 51:0c:12:a5");

        Assert.Equal("51:0c:12:a5", signature.Canonical);
    }

    [Fact]
    public void UpperCaseIsLowered()
    {
        var signature = TlsSignature.Parse(SignatureVectors.OneLine.ToUpperInvariant());

        Assert.Equal(SignatureVectors.OneLine, signature.Canonical);
    }

    [Fact]
    public void MixedCaseIsLowered()
    {
        var signature = TlsSignature.Parse("51:0C:12:a5:Fb:eE");

        Assert.Equal("51:0c:12:a5:fb:ee", signature.Canonical);
    }

    [Fact]
    public void HexWithoutColonsParses()
    {
        var signature = TlsSignature.Parse(SignatureVectors.OneLine.Replace(":", string.Empty, StringComparison.Ordinal));

        Assert.Equal(SignatureVectors.OneLine, signature.Canonical);
    }

    [Fact]
    public void CrlfLineEndingsParse()
    {
        var text = SignatureVectors.OpenSsl11Dump.ReplaceLineEndings("\r\n");

        var signature = TlsSignature.Parse(text);

        Assert.Equal(SignatureVectors.OneLine, signature.Canonical);
    }

    [Fact]
    public void ExactlyMaxBytesWithColonsIsAccepted()
    {
        var text = Canonical(TlsSignature.MaxBytes);

        var parsed = TlsSignature.TryParse(text, out var signature, out var error);

        Assert.True(parsed, error);
        Assert.Equal(TlsSignature.MaxBytes, signature!.Length);
    }

    [Fact]
    public void ExactlyMaxBytesWithoutColonsIsAccepted()
    {
        var text = new string('a', TlsSignature.MaxBytes * 2);

        var parsed = TlsSignature.TryParse(text, out var signature, out var error);

        Assert.True(parsed, error);
        Assert.Equal(TlsSignature.MaxBytes, signature!.Length);
    }

    [Fact]
    public void MaxBytesInOpenSslLayoutIsAccepted()
    {
        var text = "    Signature Algorithm: sha512WithRSAEncryption\n" +
            "    Signature Value:\n" +
            IndentedHex(Canonical(TlsSignature.MaxBytes), indent: 9);

        var parsed = TlsSignature.TryParse(text, out var signature, out var error);

        Assert.True(parsed, error);
        Assert.Equal(TlsSignature.MaxBytes, signature!.Length);
    }

    [Fact]
    public void NullIsRejected()
    {
        var parsed = TlsSignature.TryParse(null, out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature is empty.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyIsRejected()
    {
        var parsed = TlsSignature.TryParse(string.Empty, out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature is empty.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WhitespaceOnlyIsRejected()
    {
        var parsed = TlsSignature.TryParse(" \r\n\t  \n", out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature is empty.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsOnlyAreRejected()
    {
        var parsed = TlsSignature.TryParse("    Signature Algorithm: sha256WithRSAEncryption\n    Signature Value:\n", out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature contains labels but no hex digits.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OddDigitCountIsRejected()
    {
        var parsed = TlsSignature.TryParse("510c1", out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature has an odd number of hex digits (5);", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NonHexCharacterReportsPosition()
    {
        var parsed = TlsSignature.TryParse("51:0g:12", out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature contains 'g' at position 5, which is not a hex digit or ':'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NonHexWithoutColonsReportsPosition()
    {
        var parsed = TlsSignature.TryParse("0x510c", out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature contains 'x' at position 2,", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreeDigitGroupIsRejected()
    {
        var parsed = TlsSignature.TryParse("51:0c1:12", out _, out var error);

        Assert.False(parsed);
        Assert.Equal("Byte 2 of the signature is '0c1', but each byte between colons must be two hex digits.", error);
    }

    [Fact]
    public void DoubleColonIsRejected()
    {
        var parsed = TlsSignature.TryParse("51::0c", out _, out var error);

        Assert.False(parsed);
        Assert.Equal("The signature has an empty byte at position 2: remove the extra ':'.", error);
    }

    [Fact]
    public void TrailingColonIsRejected()
    {
        var parsed = TlsSignature.TryParse("51:0c:", out _, out var error);

        Assert.False(parsed);
        Assert.Equal("The signature has an empty byte at position 3: remove the extra ':'.", error);
    }

    [Fact]
    public void OverMaxBytesWithColonsIsRejected()
    {
        var parsed = TlsSignature.TryParse(Canonical(TlsSignature.MaxBytes + 1), out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature has 2049 bytes, more than the 2048 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OverMaxBytesWithoutColonsIsRejected()
    {
        var parsed = TlsSignature.TryParse(new string('a', (TlsSignature.MaxBytes + 1) * 2), out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature has 2049 bytes, more than the 2048 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void InputOverMaxLengthIsRejected()
    {
        // A valid value padded with whitespace: the limit applies to the text as sent.
        var text = "51:0c" + new string(' ', TlsSignature.MaxInputLength - 4);

        var parsed = TlsSignature.TryParse(text, out _, out var error);

        Assert.False(parsed);
        Assert.StartsWith("The signature text has 16385 characters, more than the maximum of 16384.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseThrowsFormatExceptionWithError()
    {
        var exception = Assert.Throws<FormatException>(() => TlsSignature.Parse("51::0c"));

        Assert.Equal("The signature has an empty byte at position 2: remove the extra ':'.", exception.Message);
    }

    /// <summary>Creates a canonical value of <paramref name="length"/> bytes counting up from 00.</summary>
    private static string Canonical(int length) =>
        string.Join(':', Enumerable.Range(0, length).Select(i => (i % 256).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Lays out a canonical value as 'openssl x509 -text' does: 18 bytes per indented line.</summary>
    private static string IndentedHex(string canonical, int indent)
    {
        var bytes = canonical.Split(':');
        var lines = bytes.Chunk(18).Select(chunk => new string(' ', indent) + string.Join(':', chunk));
        return string.Join(":\n", lines) + "\n";
    }
}
