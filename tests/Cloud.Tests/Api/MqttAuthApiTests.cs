using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// POST /api/mqtt/auth, the validation endpoint a remote broker calls on each CONNECT.
/// </summary>
public sealed class MqttAuthApiTests(CloudFixture fixture) : IClassFixture<CloudFixture>
{
    private const string AuthRoute = "/api/mqtt/auth";

    private readonly HttpClient client = fixture.Factory.CreateClient();

    [Fact]
    public async Task RegisteredCertificateIsAllowed()
    {
        using var certificate = TestCertificates.SelfSigned("auth-registered");
        await CreateAsync(client, "auth_registered", TlsSignature.FromCertificate(certificate).Canonical);

        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string>
        {
            ["clientid"] = "auth-registered",
            ["cert_pem"] = TestCertificates.ToPem(certificate),
        });

        using var decision = await ReadDecisionAsync(response);
        Assert.Equal("allow", Property(decision, "result"));
        Assert.Equal("definition-signature", Property(decision, "rule"));
        Assert.Equal("auth_registered", Property(decision, "thing_def"));
    }

    [Fact]
    public async Task UnregisteredCertificateIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("auth-unregistered");

        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string>
        {
            ["clientid"] = "auth-unregistered",
            ["cert_pem"] = TestCertificates.ToPem(certificate),
        });

        using var decision = await ReadDecisionAsync(response);
        Assert.Equal("deny", Property(decision, "result"));
        Assert.Equal("no-match", Property(decision, "rule"));
        Assert.Null(Property(decision, "thing_def"));
    }

    [Fact]
    public async Task DeletedDefinitionIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("auth-deleted");
        await CreateAsync(client, "auth_deleted", TlsSignature.FromCertificate(certificate).Canonical);
        using var deleted = await client.DeleteAsync($"{Route}/auth_deleted");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string>
        {
            ["clientid"] = "auth-deleted",
            ["cert_pem"] = TestCertificates.ToPem(certificate),
        });

        using var decision = await ReadDecisionAsync(response);
        Assert.Equal("deny", Property(decision, "result"));
        Assert.Equal("no-match", Property(decision, "rule"));
    }

    [Fact]
    public async Task MissingCertificateIsDenied()
    {
        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string> { ["clientid"] = "auth-no-cert" });

        using var decision = await ReadDecisionAsync(response);
        Assert.Equal("deny", Property(decision, "result"));
        Assert.Equal("no-certificate", Property(decision, "rule"));
    }

    [Fact]
    public async Task MalformedCertificateIsRejected()
    {
        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string>
        {
            ["clientid"] = "auth-malformed",
            ["cert_pem"] = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The certificate is invalid.", problem.Title);
        Assert.Equal("Certificate 1 in the PEM text is not a valid X.509 certificate.", problem.Detail);
    }

    [Fact]
    public async Task MissingClientIdIsRejected()
    {
        using var certificate = TestCertificates.SelfSigned("auth-no-client-id");

        using var response = await client.PostAsJsonAsync(AuthRoute, new Dictionary<string, string> { ["cert_pem"] = TestCertificates.ToPem(certificate) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        var error = Assert.Single(problem.Errors["clientid"]);
        Assert.StartsWith("clientid is required", error, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> ReadDecisionAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private static string? Property(JsonDocument document, string name) =>
        document.RootElement.GetProperty(name).GetString();
}
