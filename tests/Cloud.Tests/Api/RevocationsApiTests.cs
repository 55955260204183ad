using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ApiClient;

namespace Cloud.Tests.Api;

public sealed class RevocationsApiTests : IDisposable
{
    private readonly CloudFactory factory = new();
    private readonly HttpClient http;

    public RevocationsApiTests()
    {
        http = factory.CreateClient();
    }

    public void Dispose()
    {
        http.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task CreateBySignatureReturnsRevocation()
    {
        var signature = NewSignature();

        var response = await http.PostAsJsonAsync("/api/revocations", new { signature = signature.Canonical.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), reason = "Device lost" });

        var revocation = await ReadJsonAsync(response, HttpStatusCode.Created);
        var id = revocation.GetProperty("id").GetInt64();
        Assert.Equal($"/api/revocations/{id}", response.Headers.Location?.AbsolutePath);
        Assert.Equal(signature.Canonical, revocation.GetProperty("signature").GetString());
        Assert.Equal("Device lost", revocation.GetProperty("reason").GetString());
        Assert.True(revocation.GetProperty("revokedAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task CreateByCertificateRevokesItsSignature()
    {
        using var certificate = TestCertificates.SelfSigned("device-1", KeyKind.Ec);

        var response = await http.PostAsJsonAsync("/api/revocations", new { certificate = TestCertificates.ToPem(certificate), reason = "Key leaked" });

        var revocation = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(TlsSignature.FromCertificate(certificate).Canonical, revocation.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task CreateAlreadyRevokedReturnsConflict()
    {
        using var certificate = TestCertificates.SelfSigned("device-1", KeyKind.Ec);
        var signature = TlsSignature.FromCertificate(certificate).Canonical;
        await ReadJsonAsync(await http.PostAsJsonAsync("/api/revocations", new { signature, reason = "Device lost" }), HttpStatusCode.Created);

        var response = await http.PostAsJsonAsync("/api/revocations", new { certificate = TestCertificates.ToPem(certificate), reason = "Again" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("signature", Field(problem));
        Assert.Contains("already revoked", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReturnsRevocation()
    {
        var created = await RevokeAsync(NewSignature(), "Device lost");
        var id = created.GetProperty("id").GetInt64();

        var revocation = await ReadJsonAsync(await http.GetAsync($"/api/revocations/{id}"), HttpStatusCode.OK);

        Assert.Equal(created.GetProperty("signature").GetString(), revocation.GetProperty("signature").GetString());
        Assert.Equal("Device lost", revocation.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetUnknownIdReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/revocations/4711"), HttpStatusCode.NotFound);

        Assert.Equal("The revocation was not found.", Title(problem));
        Assert.Contains("4711", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListReturnsNewestFirst()
    {
        var first = await RevokeAsync(NewSignature(), "First");
        var second = await RevokeAsync(NewSignature(), "Second");
        var third = await RevokeAsync(NewSignature(), "Third");

        var page = await ReadJsonAsync(await http.GetAsync("/api/revocations?limit=2"), HttpStatusCode.OK);

        var ids = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([third.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64()], ids);
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.DoesNotContain(first.GetProperty("id").GetInt64(), ids);
    }

    [Fact]
    public async Task ListWithInvalidOffsetReturnsValidationProblem()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/revocations?offset=-5"), HttpStatusCode.BadRequest);

        Assert.Equal(["offset"], ErrorKeys(problem));
    }

    [Fact]
    public async Task DeleteUnrevokesSignature()
    {
        var signature = NewSignature();
        var created = await RevokeAsync(signature, "Device lost");
        var id = created.GetProperty("id").GetInt64();

        var deleted = await http.DeleteAsync($"/api/revocations/{id}");
        var after = await http.GetAsync($"/api/revocations/{id}");
        var again = await http.PostAsJsonAsync("/api/revocations", new { signature = signature.Canonical, reason = "Lost again" });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task DeleteUnknownIdReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.DeleteAsync("/api/revocations/4711"), HttpStatusCode.NotFound);

        Assert.Contains("4711", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignatureWithCertificateIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("device-1", KeyKind.Ec);

        var response = await http.PostAsJsonAsync("/api/revocations", new { signature = NewSignature().Canonical, certificate = TestCertificates.ToPem(certificate), reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["signature"], ErrorKeys(problem));
        Assert.Contains("not both", ErrorMessage(problem, "signature"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithoutSignatureIsRejected()
    {
        var response = await http.PostAsJsonAsync("/api/revocations", new { reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["signature"], ErrorKeys(problem));
        Assert.Contains("both are missing", ErrorMessage(problem, "signature"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithoutReasonReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/revocations", new { signature = NewSignature().Canonical, reason = "  " });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], ErrorKeys(problem));
    }

    [Fact]
    public async Task CreateWithOversizedReasonReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/revocations", new { signature = NewSignature().Canonical, reason = new string('r', 2001) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], ErrorKeys(problem));
        Assert.Contains("2001", ErrorMessage(problem, "reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithInvalidSignatureReturnsBadRequest()
    {
        var response = await http.PostAsJsonAsync("/api/revocations", new { signature = "51:0c:1", reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The signature is invalid.", Title(problem));
        Assert.Equal("signature", Field(problem));
        Assert.Contains("'1'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeyIsRejectedWithoutEcho()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPem = key.ExportPkcs8PrivateKeyPem();

        var response = await http.PostAsJsonAsync("/api/revocations", new { certificate = keyPem, reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("private key", Detail(problem), StringComparison.Ordinal);
        Assert.DoesNotContain(keyPem.Split('\n')[1], problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithMalformedPemReturnsBadRequest()
    {
        const string pem = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";

        var response = await http.PostAsJsonAsync("/api/revocations", new { certificate = pem, reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The certificate is invalid.", Title(problem));
        Assert.Equal("certificate", Field(problem));
    }

    [Fact]
    public async Task CreateWithTwoCertificatesReturnsBadRequest()
    {
        using var first = TestCertificates.SelfSigned("device-1", KeyKind.Ec);
        using var second = TestCertificates.SelfSigned("device-2", KeyKind.Ec);

        var response = await http.PostAsJsonAsync("/api/revocations", new { certificate = TestCertificates.ToPem(first) + TestCertificates.ToPem(second), reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("certificate", Field(problem));
        Assert.Contains("Revoke each certificate separately", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithOversizedBodyReturnsPayloadTooLarge()
    {
        using var kestrel = StartOnKestrel();
        using var client = kestrel.CreateClient();

        var response = await client.PostAsJsonAsync("/api/revocations", new { certificate = new string('A', 200_000), reason = "Lost" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The request body is too large.", Title(problem));
    }

    [Fact]
    public async Task CreateWithMalformedJsonReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/revocations", Json("""{"signature": 51, "reason": "Lost"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
        Assert.Contains("signature", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithDuplicatePropertyReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/revocations", Json("""{"reason": "Lost", "reason": "Stolen", "signature": "01"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
    }

    private async Task<System.Text.Json.JsonElement> RevokeAsync(TlsSignature signature, string reason) =>
        await ReadJsonAsync(await http.PostAsJsonAsync("/api/revocations", new { signature = signature.Canonical, reason }), HttpStatusCode.Created);

    private static TlsSignature NewSignature()
    {
        using var certificate = TestCertificates.SelfSigned("signature-source", KeyKind.Ec);
        return TlsSignature.FromCertificate(certificate);
    }
}
