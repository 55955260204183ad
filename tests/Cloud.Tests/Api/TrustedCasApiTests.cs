using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ApiClient;

namespace Cloud.Tests.Api;

public sealed class TrustedCasApiTests : IDisposable
{
    private readonly CloudFactory factory = new();
    private readonly HttpClient http;

    public TrustedCasApiTests()
    {
        http = factory.CreateClient();
    }

    public void Dispose()
    {
        http.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task CreateReturnsCertificateFacts()
    {
        using var root = TestCertificates.CreateCa("Test Root");

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Test root", certificate = TestCertificates.ToPem(root) });

        var ca = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("/api/cas/root", response.Headers.Location?.AbsolutePath);
        Assert.Equal("root", ca.GetProperty("key").GetString());
        Assert.Equal("Test root", ca.GetProperty("name").GetString());
        Assert.True(ca.GetProperty("enabled").GetBoolean());
        Assert.Equal("CN=Test Root", ca.GetProperty("subject").GetString());
        Assert.Equal("CN=Test Root", ca.GetProperty("issuer").GetString());
        Assert.Equal(root.SerialNumber.ToLowerInvariant(), ca.GetProperty("serialNumber").GetString());
        Assert.Equal(Fingerprint(root), ca.GetProperty("sha256Fingerprint").GetString());
        Assert.Equal(root.NotAfter.ToUniversalTime(), ca.GetProperty("notAfter").GetDateTimeOffset().UtcDateTime);
        Assert.True(ca.GetProperty("selfSigned").GetBoolean());
        Assert.Equal(ca.GetProperty("createdAt").GetDateTime(), ca.GetProperty("updatedAt").GetDateTime());
    }

    [Fact]
    public async Task CreateIntermediateIsNotSelfSigned()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        using var intermediate = TestCertificates.CreateCa("Test Issuing CA", root, notAfter: DateTimeOffset.UtcNow.AddDays(300));

        var ca = await CreateCaAsync(http, "issuing", TestCertificates.ToPem(intermediate));

        Assert.False(ca.GetProperty("selfSigned").GetBoolean());
        Assert.Equal("CN=Test Root", ca.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task CreateWithDisabledFlagStoresIt()
    {
        using var root = TestCertificates.CreateCa("Test Root");

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = TestCertificates.ToPem(root), enabled = false });

        var ca = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.False(ca.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task GetReturnsStoredCa()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(root));

        var ca = await ReadJsonAsync(await http.GetAsync("/api/cas/root"), HttpStatusCode.OK);

        Assert.Equal("root", ca.GetProperty("key").GetString());
        Assert.Equal(Fingerprint(root), ca.GetProperty("sha256Fingerprint").GetString());
    }

    [Fact]
    public async Task GetUnknownKeyReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/cas/missing"), HttpStatusCode.NotFound);

        Assert.Equal("The CA was not found.", Title(problem));
        Assert.Contains("'missing'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListReturnsPageOrderedByKey()
    {
        foreach (var key in new[] { "c", "a", "b" })
        {
            using var ca = TestCertificates.CreateCa($"Root {key}");
            await CreateCaAsync(http, key, TestCertificates.ToPem(ca));
        }

        var page = await ReadJsonAsync(await http.GetAsync("/api/cas?offset=1&limit=5"), HttpStatusCode.OK);

        Assert.Equal(["b", "c"], Keys(page));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListWithInvalidLimitReturnsValidationProblem()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/cas?limit=0"), HttpStatusCode.BadRequest);

        Assert.Equal(["limit"], ErrorKeys(problem));
    }

    [Fact]
    public async Task ReplaceUpdatesNameFlagAndCertificate()
    {
        using var first = TestCertificates.CreateCa("Root 2025");
        using var second = TestCertificates.CreateCa("Root 2026");
        var created = await CreateCaAsync(http, "root", TestCertificates.ToPem(first));

        var response = await http.PutAsJsonAsync("/api/cas/root", new { name = "Renewed root", certificate = TestCertificates.ToPem(second), enabled = false });

        var ca = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Renewed root", ca.GetProperty("name").GetString());
        Assert.False(ca.GetProperty("enabled").GetBoolean());
        Assert.Equal("CN=Root 2026", ca.GetProperty("subject").GetString());
        Assert.Equal(Fingerprint(second), ca.GetProperty("sha256Fingerprint").GetString());
        Assert.Equal(created.GetProperty("createdAt").GetDateTime(), ca.GetProperty("createdAt").GetDateTime());
    }

    [Fact]
    public async Task ReplaceUnknownKeyReturnsNotFound()
    {
        using var root = TestCertificates.CreateCa("Test Root");

        var response = await http.PutAsJsonAsync("/api/cas/missing", new { name = "Root", certificate = TestCertificates.ToPem(root) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("'missing'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceWithOtherBodyKeyReturnsValidationProblem()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(root));

        var response = await http.PutAsJsonAsync("/api/cas/root", new { key = "other", name = "Root", certificate = TestCertificates.ToPem(root) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["key"], ErrorKeys(problem));
    }

    [Fact]
    public async Task DeleteRemovesCa()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(root));

        var deleted = await http.DeleteAsync("/api/cas/root");
        var after = await http.GetAsync("/api/cas/root");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task DeleteUnknownKeyReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.DeleteAsync("/api/cas/missing"), HttpStatusCode.NotFound);

        Assert.Contains("'missing'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedCaStaysNamedByDefinitions()
    {
        using var first = TestCertificates.CreateCa("Root A");
        using var second = TestCertificates.CreateCa("Root B");
        await CreateCaAsync(http, "root-a", TestCertificates.ToPem(first));
        await CreateCaAsync(http, "root-b", TestCertificates.ToPem(second));
        await CreateDefinitionAsync(http, "sensor_v1", trustedCas: ["root-a", "root-b"]);

        var deleted = await http.DeleteAsync("/api/cas/root-a");
        var definition = await ReadJsonAsync(await http.GetAsync("/api/thing-defs/sensor_v1"), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // A definition keeps naming a deleted CA, so deleting a CA never loosens what it admits.
        Assert.Equal(["root-a", "root-b"], definition.GetProperty("trustedCas").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task CreateWithTwoCertificatesReturnsBadRequest()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        using var intermediate = TestCertificates.CreateCa("Test Issuing CA", root, notAfter: DateTimeOffset.UtcNow.AddDays(300));
        var bundle = TestCertificates.ToPem(intermediate) + TestCertificates.ToPem(root);

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "bundle", name = "Bundle", certificate = bundle });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("2 certificates", Detail(problem), StringComparison.Ordinal);
        Assert.Contains("Register each CA separately", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeyIsRejectedWithoutEcho()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var keyBody = keyPem.Split('\n')[1];

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = TestCertificates.ToPem(root) + keyPem });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var body = problem.GetRawText();
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("private key", Detail(problem), StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithLeafCertificateReturnsBadRequest()
    {
        using var leaf = TestCertificates.SelfSigned("device-1");

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "leaf", name = "Leaf", certificate = TestCertificates.ToPem(leaf) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("'CN=device-1' is not a CA certificate", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithMalformedPemReturnsBadRequest()
    {
        const string pem = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = pem });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The certificate is invalid.", Title(problem));
        Assert.Equal("certificate", Field(problem));
    }

    [Fact]
    public async Task NonPemTextIsRejected()
    {
        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = "not a certificate" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("not PEM", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithDuplicateKeyReturnsConflict()
    {
        using var first = TestCertificates.CreateCa("Root A");
        using var second = TestCertificates.CreateCa("Root B");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(first));

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = TestCertificates.ToPem(second) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("key", Field(problem));
        Assert.Contains("'root' already exists", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithRegisteredCertificateReturnsConflict()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(root));

        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root-copy", name = "Copy", certificate = TestCertificates.ToPem(root) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("CA 'root'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithMissingFieldsReturnsValidationProblem()
    {
        var response = await http.PostAsync("/api/cas", Json("""{"key": "root"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request is invalid.", Title(problem));
        Assert.Equal(["certificate", "name"], ErrorKeys(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateWithoutKeyReturnsValidationProblem()
    {
        using var root = TestCertificates.CreateCa("Test Root");

        var response = await http.PostAsJsonAsync("/api/cas", new { name = "Root", certificate = TestCertificates.ToPem(root) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["key"], ErrorKeys(problem));
    }

    [Fact]
    public async Task CreateWithOversizedFieldsReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/cas", new { key = "root", name = new string('n', 201), certificate = new string('A', 70_000) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["certificate", "name"], ErrorKeys(problem).Order(StringComparer.Ordinal));
        Assert.Contains("70000", ErrorMessage(problem, "certificate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithOversizedBodyReturnsPayloadTooLarge()
    {
        using var kestrel = StartOnKestrel();
        using var client = kestrel.CreateClient();

        var response = await client.PostAsJsonAsync("/api/cas", new { key = "root", name = "Root", certificate = new string('A', 200_000) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The request body is too large.", Title(problem));
    }

    [Fact]
    public async Task CreateWithMalformedJsonReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/cas", Json("""{"key": "root", "name": "Root", "certificate": ["""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
    }

    [Fact]
    public async Task CreateWithDuplicatePropertyReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/cas", Json("""{"key": "root", "name": "Root", "name": "Other", "certificate": "x"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
    }

    private static string Fingerprint(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
