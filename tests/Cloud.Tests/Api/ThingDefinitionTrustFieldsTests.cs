using System.Net;
using System.Net.Http.Json;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ApiClient;

namespace Cloud.Tests.Api;

/// <summary>
/// Admission settings of thing definitions: enabled, autoRegister, nameRule and trustedCas.
/// </summary>
public sealed class ThingDefinitionTrustFieldsTests : IDisposable
{
    private readonly CloudFactory factory = new();
    private readonly HttpClient http;

    public ThingDefinitionTrustFieldsTests()
    {
        http = factory.CreateClient();
    }

    public void Dispose()
    {
        http.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task CreateDefaultsAdmissionSettings()
    {
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor" });

        var definition = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.True(definition.GetProperty("enabled").GetBoolean());
        Assert.True(definition.GetProperty("autoRegister").GetBoolean());
        Assert.Equal("cn", definition.GetProperty("nameRule").GetString());
        Assert.Equal(0, definition.GetProperty("trustedCas").GetArrayLength());
    }

    [Fact]
    public async Task CreateStoresAdmissionSettings()
    {
        using var root = TestCertificates.CreateCa("Test Root");
        await CreateCaAsync(http, "root", TestCertificates.ToPem(root));

        var response = await http.PostAsJsonAsync("/api/thing-defs", new
        {
            key = "sensor_v1",
            name = "Sensor",
            enabled = false,
            autoRegister = false,
            nameRule = "san-dns",
            trustedCas = new List<string> { "root" },
        });
        await ReadJsonAsync(response, HttpStatusCode.Created);

        var definition = await ReadJsonAsync(await http.GetAsync("/api/thing-defs/sensor_v1"), HttpStatusCode.OK);
        Assert.False(definition.GetProperty("enabled").GetBoolean());
        Assert.False(definition.GetProperty("autoRegister").GetBoolean());
        Assert.Equal("san-dns", definition.GetProperty("nameRule").GetString());
        Assert.Equal(["root"], definition.GetProperty("trustedCas").EnumerateArray().Select(c => c.GetString()));
    }

    [Theory]
    [InlineData("cn")]
    [InlineData("san-dns")]
    [InlineData("san-uri")]
    [InlineData("any")]
    public async Task CreateAcceptsEveryNameRule(string nameRule)
    {
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor", nameRule });

        var definition = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(nameRule, definition.GetProperty("nameRule").GetString());
    }

    [Fact]
    public async Task ReplaceChangesTrustedCas()
    {
        using var first = TestCertificates.CreateCa("Root A");
        using var second = TestCertificates.CreateCa("Root B");
        await CreateCaAsync(http, "root-a", TestCertificates.ToPem(first));
        await CreateCaAsync(http, "root-b", TestCertificates.ToPem(second));
        await CreateDefinitionAsync(http, "sensor_v1", trustedCas: ["root-a"]);

        var response = await http.PutAsJsonAsync("/api/thing-defs/sensor_v1", new { name = "Sensor", nameRule = "any", trustedCas = new List<string> { "root-b" } });

        var definition = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(["root-b"], definition.GetProperty("trustedCas").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("any", definition.GetProperty("nameRule").GetString());
    }

    [Fact]
    public async Task CreateWithInvalidNameRuleReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor", nameRule = "CN" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["nameRule"], ErrorKeys(problem));
        Assert.Contains("'CN'", ErrorMessage(problem, "nameRule"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithUnknownTrustedCaReturnsBadRequest()
    {
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor", trustedCas = new List<string> { "missing-ca" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("trustedCas", Field(problem));
        Assert.Contains("'missing-ca'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTrustedCaKeyIsRejected()
    {
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor", trustedCas = new List<string> { "not a key" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["trustedCas[0]"], ErrorKeys(problem));
        Assert.Contains("'not a key'", ErrorMessage(problem, "trustedCas[0]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithWrongSettingTypeReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/thing-defs", Json("""{"key": "sensor_v1", "name": "Sensor", "autoRegister": "no"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
        Assert.Contains("autoRegister", Detail(problem), StringComparison.Ordinal);
    }
}
