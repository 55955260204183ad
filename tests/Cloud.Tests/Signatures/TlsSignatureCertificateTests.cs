using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Signatures;

/// <summary>
/// Compares <see cref="TlsSignature.FromCertificate"/> with the output of the openssl CLI, which
/// must be on the PATH.
/// </summary>
public sealed class TlsSignatureCertificateTests
{
    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.Ec)]
    public async Task FromCertificateMatchesOpenSslText(KeyKind kind)
    {
        using var certificate = TestCertificates.SelfSigned($"device-{kind}", kind);
        var text = await OpenSslTextAsync(certificate);

        var signature = TlsSignature.FromCertificate(certificate);

        Assert.Equal(CanonicalFromOpenSslText(text), signature.Canonical);
    }

    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.Ec)]
    public async Task PastedOpenSslBlockEqualsFromCertificate(KeyKind kind)
    {
        using var certificate = TestCertificates.SelfSigned($"pasted-{kind}", kind);
        var text = await OpenSslTextAsync(certificate);

        var pasted = TlsSignature.Parse(SignatureBlock(text));

        Assert.Equal(TlsSignature.FromCertificate(certificate), pasted);
    }

    [Fact]
    public void RsaSignatureHasKeyLength()
    {
        using var certificate = TestCertificates.SelfSigned("rsa-length", KeyKind.Rsa);

        var signature = TlsSignature.FromCertificate(certificate);

        // An RSA-2048 PKCS#1 v1.5 signature is exactly as long as the modulus: 256 bytes.
        Assert.Equal(256, signature.Length);
    }

    private static async Task<string> OpenSslTextAsync(X509Certificate2 certificate)
    {
        var start = new ProcessStartInfo("openssl", "x509 -noout -text")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        await process.StandardInput.WriteAsync(TestCertificates.ToPem(certificate));
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"openssl x509 failed with exit code {process.ExitCode}: {await errors}");
        return await output;
    }

    /// <summary>
    /// Cuts the trailing signature block out of 'openssl x509 -text' output: from the last
    /// 'Signature Algorithm:' line to the end. OpenSSL 3 adds a 'Signature Value:' line below it.
    /// </summary>
    private static string SignatureBlock(string text)
    {
        var start = text.LastIndexOf("Signature Algorithm:", StringComparison.Ordinal);
        Assert.True(start >= 0, $"openssl printed no 'Signature Algorithm:' line:\n{text}");
        return text[start..];
    }

    /// <summary>
    /// Joins the hex lines of the signature block without using the parser under test:
    /// openssl prints lowercase bytes joined by ':', and each line but the last ends in ':'.
    /// </summary>
    private static string CanonicalFromOpenSslText(string text)
    {
        var hexLines = SignatureBlock(text)
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("Signature ", StringComparison.Ordinal));
        return string.Concat(hexLines);
    }
}
