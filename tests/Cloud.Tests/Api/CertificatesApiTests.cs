using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Cloud.Certificates;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// POST /api/certificates/inspect with each accepted content type and with rejected uploads.
/// </summary>
public sealed class CertificatesApiTests(CloudFixture fixture) : IClassFixture<CloudFixture>
{
    private const string InspectRoute = "/api/certificates/inspect";

    private readonly HttpClient client = fixture.Factory.CreateClient();

    [Fact]
    public async Task PemUploadReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-pem");

        using var response = await PostAsync(TestCertificates.ToPem(certificate), "application/x-pem-file");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task TextPlainUploadReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-text");

        using var response = await PostAsync(TestCertificates.ToPem(certificate), "text/plain");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task DerUploadReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-der");

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task JsonPemUploadReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-json-pem");

        using var response = await client.PostAsJsonAsync(InspectRoute, new { certificate = TestCertificates.ToPem(certificate) });

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task JsonBase64DerUploadReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-json-der");

        using var response = await client.PostAsJsonAsync(InspectRoute, new { certificate = Convert.ToBase64String(certificate.RawData) });

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task EcCertificateReturnsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-ec", KeyKind.Ec);

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task InspectionReturnsCertificateFacts()
    {
        var notBefore = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var notAfter = new DateTimeOffset(2036, 6, 7, 8, 9, 10, TimeSpan.Zero);
        using var ca = TestCertificates.CreateCa(
            "Inspect Test CA",
            kind: KeyKind.Rsa,
            notBefore: notBefore.AddYears(-1),
            notAfter: notAfter.AddYears(1));
        using var certificate = TestCertificates.Issue(ca, "inspect-facts", notBefore: notBefore, notAfter: notAfter);

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal("CN=inspect-facts", inspection.Subject);
        Assert.Equal("CN=Inspect Test CA", inspection.Issuer);
        Assert.Equal(certificate.SerialNumber.ToLowerInvariant(), inspection.SerialNumber);
        Assert.Equal(notBefore, inspection.NotBefore);
        Assert.Equal(notAfter, inspection.NotAfter);
        Assert.Equal("sha256RSA", inspection.SignatureAlgorithm);
    }

    [Fact]
    public async Task FingerprintIsColonSeparatedSha256()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-fingerprint");
        var expected = string.Join(':', Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)).Chunk(2).Select(pair => new string(pair)));

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(expected, inspection.Sha256Fingerprint);
    }

    [Fact]
    public async Task UnregisteredCertificateHasNoThingDefinition()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-unregistered");

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Null(inspection.ThingDefinition);
    }

    [Fact]
    public async Task RegisteredCertificateNamesThingDefinition()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-registered");
        await CreateAsync(client, "inspect_registered", TlsSignature.FromCertificate(certificate).Canonical);

        using var response = await PostAsync(certificate.RawData, "application/pkix-cert");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal("inspect_registered", inspection.ThingDefinition);
    }

    [Fact]
    public async Task BagAttributesBeforeCertificateAreIgnored()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-bag");

        // 'openssl pkcs12 -in client.p12 -out client.pem -clcerts -nodes' writes these lines
        // before each block. Here the key block has been removed.
        var pem = "Bag Attributes\n" +
            "    localKeyID: 01 00 00 00 \n" +
            "    friendlyName: inspect-bag\n" +
            "subject=CN = inspect-bag\n" +
            "issuer=CN = inspect-bag\n" +
            TestCertificates.ToPem(certificate);

        using var response = await PostAsync(pem, "application/x-pem-file");

        var inspection = await ReadInspectionAsync(response);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, inspection.Signature);
    }

    [Fact]
    public async Task PrivateKeyUploadIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-key");
        using var key = certificate.GetRSAPrivateKey()!;
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var pem = TestCertificates.ToPem(certificate) + keyPem + "\n";

        using var response = await PostAsync(pem, "application/x-pem-file");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.StartsWith("The upload contains a private key.", problem.Detail, StringComparison.Ordinal);
        foreach (var line in KeyBase64Lines(keyPem))
        {
            Assert.DoesNotContain(line, problem.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PrivateKeyInJsonIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-json-key");
        using var key = certificate.GetRSAPrivateKey()!;
        var keyPem = key.ExportRSAPrivateKeyPem();

        using var response = await client.PostAsJsonAsync(InspectRoute, new { certificate = TestCertificates.ToPem(certificate) + keyPem });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.StartsWith("The upload contains a private key.", problem.Detail, StringComparison.Ordinal);
        foreach (var line in KeyBase64Lines(keyPem))
        {
            Assert.DoesNotContain(line, problem.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GarbagePemIsRejected()
    {
        var pem = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

        using var response = await PostAsync(pem, "application/x-pem-file");

        var problem = await ReadBadCertificateAsync(response);
        Assert.Equal("Certificate 1 in the PEM text is not a valid X.509 certificate.", problem.Detail);
    }

    [Fact]
    public async Task TruncatedBase64IsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-truncated");
        var pem = TestCertificates.ToPem(certificate);
        var truncated = pem[..(pem.IndexOf("-----END", StringComparison.Ordinal) - 40)] + "\n-----END CERTIFICATE-----\n";

        using var response = await PostAsync(truncated, "application/x-pem-file");

        var problem = await ReadBadCertificateAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task TruncatedBase64DerIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-truncated-der");
        var base64 = Convert.ToBase64String(certificate.RawData);

        using var response = await client.PostAsJsonAsync(InspectRoute, new { certificate = base64[..(base64.Length / 2)] });

        var problem = await ReadBadCertificateAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task RandomBytesAreRejected()
    {
        var bytes = new byte[512];
        new Random(20260101).NextBytes(bytes);

        using var response = await PostAsync(bytes, "application/pkix-cert");

        var problem = await ReadBadCertificateAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task RandomBytesAfterSequenceTagAreRejected()
    {
        var bytes = new byte[512];
        new Random(20260102).NextBytes(bytes);
        bytes[0] = 0x30;

        using var response = await PostAsync(bytes, "application/pkix-cert");

        var problem = await ReadBadCertificateAsync(response);
        Assert.Equal("The DER bytes are not a valid X.509 certificate.", problem.Detail);
    }

    [Fact]
    public async Task EmptyBodyIsRejected()
    {
        using var response = await PostAsync([], "application/x-pem-file");

        var problem = await ReadBadCertificateAsync(response);
        Assert.StartsWith("The certificate is empty.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingContentTypeIsUnsupported()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-no-type");
        using var body = new ByteArrayContent(certificate.RawData);

        using var response = await client.PostAsync(InspectRoute, body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(415, problem.Status);
        Assert.StartsWith("The Content-Type header is missing.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedContentTypeIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("inspect-xml");

        using var response = await PostAsync(TestCertificates.ToPem(certificate), "application/xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(415, problem.Status);
        Assert.Equal("Unsupported Media Type", problem.Title);
    }

    [Fact]
    public async Task JsonWithoutCertificateIsRejected()
    {
        using var response = await client.PostAsJsonAsync(InspectRoute, new { certificate = "" });

        var problem = await ReadBadCertificateAsync(response);
        Assert.StartsWith("The field 'certificate' is missing or empty.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonWithUnknownFieldIsRejected()
    {
        using var response = await client.PostAsJsonAsync(InspectRoute, new { pem = "x" });

        var problem = await ReadBadCertificateAsync(response);
        Assert.StartsWith("The JSON body is malformed at '$.pem'.", problem.Detail, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string text, string contentType)
    {
        using var body = new StringContent(text, Encoding.UTF8, contentType);
        return await client.PostAsync(InspectRoute, body);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] bytes, string contentType)
    {
        using var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new(contentType);
        return await client.PostAsync(InspectRoute, body);
    }

    private static async Task<CertificateInspection> ReadInspectionAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var inspection = await response.Content.ReadFromJsonAsync<CertificateInspection>(Json);
        return inspection ?? throw new InvalidOperationException("The response body is the JSON literal null.");
    }

    private static async Task<ProblemResponse> ReadBadCertificateAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        return problem;
    }

    /// <summary>Returns the base64 lines of a PEM key, each long enough to identify the key.</summary>
    private static IEnumerable<string> KeyBase64Lines(string keyPem) =>
        keyPem.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("-----", StringComparison.Ordinal));
}
