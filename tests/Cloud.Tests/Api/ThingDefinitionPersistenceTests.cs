using System.Net;
using System.Net.Http.Json;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// Registrations stored by one host are read by the next host on the same data directory.
/// </summary>
public sealed class ThingDefinitionPersistenceTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task DefinitionSurvivesRestart()
    {
        var signature = NewSignature();
        await CreateInFirstHostAsync("restart_get", signature);

        using var factory = new CloudFactory(dataDirectory) { DeleteDataOnDispose = false };
        using var response = await factory.CreateClient().GetAsync($"{Route}/restart_get");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task SignatureIsAdmittedAfterRestart()
    {
        using var certificate = TestCertificates.SelfSigned("restart-auth");
        await CreateInFirstHostAsync("restart_auth", TlsSignature.FromCertificate(certificate).Canonical);

        using var factory = new CloudFactory(dataDirectory) { DeleteDataOnDispose = false };
        using var response = await factory.CreateClient().PostAsJsonAsync("/api/mqtt/auth", new Dictionary<string, string>
        {
            ["clientid"] = "restart-auth",
            ["cert_pem"] = TestCertificates.ToPem(certificate),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decision = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("allow", decision.GetProperty("result").GetString());
        Assert.Equal("restart_auth", decision.GetProperty("thing_def").GetString());
    }

    private async Task CreateInFirstHostAsync(string key, string signature)
    {
        using var factory = new CloudFactory(dataDirectory) { DeleteDataOnDispose = false };
        await CreateAsync(factory.CreateClient(), key, signature);
    }
}
