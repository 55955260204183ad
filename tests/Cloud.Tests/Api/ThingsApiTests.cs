using System.Net;
using System.Net.Http.Json;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ApiClient;

namespace Cloud.Tests.Api;

public sealed class ThingsApiTests : IDisposable
{
    private const string Definition = "sensor_v1";

    private readonly CloudFactory factory = new();
    private readonly HttpClient http;

    public ThingsApiTests()
    {
        http = factory.CreateClient();
    }

    public void Dispose()
    {
        http.Dispose();
        factory.Dispose();
    }

    [Fact]
    public async Task CreateReturnsThingWithLocation()
    {
        await CreateDefinitionAsync(http, Definition);
        var signature = NewSignature();

        var response = await http.PostAsJsonAsync("/api/things", new
        {
            key = "sensor-0001",
            name = "Roof sensor",
            definition = Definition,
            attributes = new Dictionary<string, string> { ["interval"] = "30" },
            tlssignature = new[] { signature.Canonical.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant() },
        });

        var thing = await ReadJsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("/api/things/sensor-0001", response.Headers.Location?.AbsolutePath);
        Assert.Equal("sensor-0001", thing.GetProperty("key").GetString());
        Assert.Equal("Roof sensor", thing.GetProperty("name").GetString());
        Assert.Equal(Definition, thing.GetProperty("definition").GetString());
        Assert.True(thing.GetProperty("enabled").GetBoolean());
        Assert.Equal("30", thing.GetProperty("attributes").GetProperty("interval").GetString());
        Assert.Equal(signature.Canonical, thing.GetProperty("tlssignature")[0].GetString());
        Assert.False(thing.GetProperty("autoRegistered").GetBoolean());
        Assert.Equal(thing.GetProperty("createdAt").GetDateTime(), thing.GetProperty("updatedAt").GetDateTime());
    }

    [Fact]
    public async Task CreateStoresSignaturesCanonical()
    {
        await CreateDefinitionAsync(http, Definition);
        var primary = NewSignature();
        var secondary = NewSignature();
        var opensslText = "    Signature Algorithm: sha256WithRSAEncryption\n    Signature Value:\n        " +
            string.Join("\n        ", primary.Canonical.Chunk(54).Select(c => new string(c)));

        var thing = await CreateThingAsync(http, "sensor-0001", Definition, opensslText, secondary.Canonical.ToUpperInvariant());

        var stored = thing.GetProperty("tlssignature");
        Assert.Equal(2, stored.GetArrayLength());
        Assert.Equal(primary.Canonical, stored[0].GetString());
        Assert.Equal(secondary.Canonical, stored[1].GetString());
    }

    [Fact]
    public async Task CreateWithoutEnabledDefaultsToEnabled()
    {
        await CreateDefinitionAsync(http, Definition);

        var thing = await CreateThingAsync(http, "sensor-0001", Definition);

        Assert.True(thing.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, thing.GetProperty("tlssignature").GetArrayLength());
        Assert.Empty(thing.GetProperty("attributes").EnumerateObject());
    }

    [Fact]
    public async Task GetReturnsStoredThing()
    {
        await CreateDefinitionAsync(http, Definition);
        var signature = NewSignature();
        await CreateThingAsync(http, "sensor-0001", Definition, signature.Canonical);

        var thing = await ReadJsonAsync(await http.GetAsync("/api/things/sensor-0001"), HttpStatusCode.OK);

        Assert.Equal("sensor-0001", thing.GetProperty("key").GetString());
        Assert.Equal(Definition, thing.GetProperty("definition").GetString());
        Assert.Equal(signature.Canonical, thing.GetProperty("tlssignature")[0].GetString());
    }

    [Fact]
    public async Task GetUnknownKeyReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/things/missing-1"), HttpStatusCode.NotFound);

        Assert.Equal("The thing was not found.", Title(problem));
        Assert.Contains("'missing-1'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListReturnsPageOrderedByKey()
    {
        await CreateDefinitionAsync(http, Definition);
        foreach (var key in new[] { "c-3", "a-1", "b-2" })
        {
            await CreateThingAsync(http, key, Definition);
        }

        var page = await ReadJsonAsync(await http.GetAsync("/api/things?offset=1&limit=1"), HttpStatusCode.OK);

        Assert.Equal(["b-2"], Keys(page));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(1, page.GetProperty("offset").GetInt32());
        Assert.Equal(1, page.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task ListFiltersByDefinition()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateDefinitionAsync(http, "gateway_v1");
        await CreateThingAsync(http, "sensor-0001", Definition);
        await CreateThingAsync(http, "gateway-0001", "gateway_v1");

        var page = await ReadJsonAsync(await http.GetAsync($"/api/things?definition={Definition}"), HttpStatusCode.OK);

        Assert.Equal(["sensor-0001"], Keys(page));
        Assert.Equal(1, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListWithUnknownDefinitionIsEmpty()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateThingAsync(http, "sensor-0001", Definition);

        var page = await ReadJsonAsync(await http.GetAsync("/api/things?definition=unknown_v9"), HttpStatusCode.OK);

        Assert.Empty(Keys(page));
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ListWithInvalidPagingReturnsValidationProblem()
    {
        var problem = await ReadProblemAsync(await http.GetAsync("/api/things?offset=-1&limit=500"), HttpStatusCode.BadRequest);

        Assert.Equal("The paging parameters are invalid.", Title(problem));
        Assert.Equal(["limit", "offset"], ErrorKeys(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplaceUpdatesEveryField()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateDefinitionAsync(http, "sensor_v2");
        var created = await CreateThingAsync(http, "sensor-0001", Definition, NewSignature().Canonical);
        var signature = NewSignature();

        var response = await http.PutAsJsonAsync("/api/things/sensor-0001", new
        {
            name = "Renamed sensor",
            definition = "sensor_v2",
            enabled = false,
            attributes = new Dictionary<string, string> { ["interval"] = "5" },
            tlssignature = new[] { signature.Canonical },
        });

        var thing = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("Renamed sensor", thing.GetProperty("name").GetString());
        Assert.Equal("sensor_v2", thing.GetProperty("definition").GetString());
        Assert.False(thing.GetProperty("enabled").GetBoolean());
        Assert.Equal("5", thing.GetProperty("attributes").GetProperty("interval").GetString());
        Assert.Equal([signature.Canonical], thing.GetProperty("tlssignature").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(created.GetProperty("createdAt").GetDateTime(), thing.GetProperty("createdAt").GetDateTime());
    }

    [Fact]
    public async Task ReplaceKeepsSameSignatures()
    {
        await CreateDefinitionAsync(http, Definition);
        var primary = NewSignature();
        var secondary = NewSignature();
        await CreateThingAsync(http, "sensor-0001", Definition, primary.Canonical, secondary.Canonical);

        var response = await http.PutAsJsonAsync("/api/things/sensor-0001", new
        {
            key = "sensor-0001",
            name = "Same signatures, swapped",
            definition = Definition,
            tlssignature = new[] { secondary.Canonical, primary.Canonical },
        });

        var thing = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(secondary.Canonical, thing.GetProperty("tlssignature")[0].GetString());
        Assert.Equal(primary.Canonical, thing.GetProperty("tlssignature")[1].GetString());
    }

    [Fact]
    public async Task ReplaceWithOtherBodyKeyReturnsValidationProblem()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateThingAsync(http, "sensor-0001", Definition);

        var response = await http.PutAsJsonAsync("/api/things/sensor-0001", new { key = "sensor-0002", name = "Sensor", definition = Definition });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["key"], ErrorKeys(problem));
        Assert.Contains("'sensor-0002'", ErrorMessage(problem, "key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceUnknownKeyReturnsNotFound()
    {
        await CreateDefinitionAsync(http, Definition);

        var response = await http.PutAsJsonAsync("/api/things/missing-1", new { name = "Sensor", definition = Definition });

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("The thing was not found.", Title(problem));
        Assert.Contains("'missing-1'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRemovesThing()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateThingAsync(http, "sensor-0001", Definition);

        var deleted = await http.DeleteAsync("/api/things/sensor-0001");
        var after = await http.GetAsync("/api/things/sensor-0001");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task DeleteUnknownKeyReturnsNotFound()
    {
        var problem = await ReadProblemAsync(await http.DeleteAsync("/api/things/missing-1"), HttpStatusCode.NotFound);

        Assert.Contains("'missing-1'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingDefinitionDeletesItsThings()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateDefinitionAsync(http, "gateway_v1");
        await CreateThingAsync(http, "sensor-0001", Definition);
        await CreateThingAsync(http, "gateway-0001", "gateway_v1");

        var deleted = await http.DeleteAsync($"/api/thing-defs/{Definition}");
        var sensor = await http.GetAsync("/api/things/sensor-0001");
        var gateway = await http.GetAsync("/api/things/gateway-0001");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sensor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gateway.StatusCode);
    }

    [Fact]
    public async Task CreateWithUnknownDefinitionReturnsBadRequest()
    {
        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = "unknown_v9" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("definition", Field(problem));
        Assert.Contains("'unknown_v9'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithDuplicateKeyReturnsConflict()
    {
        await CreateDefinitionAsync(http, Definition);
        await CreateThingAsync(http, "sensor-0001", Definition);

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Again", definition = Definition });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("key", Field(problem));
        Assert.Contains("'sensor-0001' already exists", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithSignatureOfOtherThingReturnsConflict()
    {
        await CreateDefinitionAsync(http, Definition);
        var signature = NewSignature();
        await CreateThingAsync(http, "sensor-0001", Definition, signature.Canonical);

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0002", name = "Copy", definition = Definition, tlssignature = new[] { signature.Canonical } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("tlssignature", Field(problem));
        Assert.Contains("thing 'sensor-0001'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithSignatureOfDefinitionReturnsConflict()
    {
        var signature = NewSignature();
        await CreateDefinitionAsync(http, Definition, signature.Canonical);

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = Definition, tlssignature = new[] { signature.Canonical } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("tlssignature", Field(problem));
        Assert.Contains($"thing definition '{Definition}'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithInvalidSignatureNamesItsIndex()
    {
        await CreateDefinitionAsync(http, Definition);

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = Definition, tlssignature = new[] { NewSignature().Canonical, "zz:01" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("tlssignature[1]", Field(problem));
        Assert.Contains("'z'", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithThreeSignaturesReturnsBadRequest()
    {
        await CreateDefinitionAsync(http, Definition);
        var signatures = new[] { NewSignature().Canonical, NewSignature().Canonical, NewSignature().Canonical };

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = Definition, tlssignature = signatures });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("tlssignature", Field(problem));
        Assert.Contains("at most 2", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithRepeatedSignatureReturnsBadRequest()
    {
        await CreateDefinitionAsync(http, Definition);
        var signature = NewSignature();

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = Definition, tlssignature = new[] { signature.Canonical, signature.Canonical.ToUpperInvariant() } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("tlssignature[1]", Field(problem));
    }

    [Fact]
    public async Task CreateWithSignatureAttributeReturnsValidationProblem()
    {
        await CreateDefinitionAsync(http, Definition);

        var response = await http.PostAsJsonAsync("/api/things", new
        {
            key = "sensor-0001",
            name = "Sensor",
            definition = Definition,
            attributes = new Dictionary<string, string> { ["TlsSignature"] = NewSignature().Canonical },
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["attributes.TlsSignature"], ErrorKeys(problem));
        Assert.Contains("'tlssignature' field", ErrorMessage(problem, "attributes.TlsSignature"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithInvalidAttributesReturnsValidationProblem()
    {
        await CreateDefinitionAsync(http, Definition);

        var response = await http.PostAsync("/api/things", Json(
            $$$"""{"key": "sensor-0001", "name": "Sensor", "definition": "{{{Definition}}}", "attributes": {"bad key": "1", "empty": null, "long": "{{{new string('x', 8193)}}}"}}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["attributes.bad key", "attributes.empty", "attributes.long"], ErrorKeys(problem).Order(StringComparer.Ordinal));
        Assert.Contains("8193", ErrorMessage(problem, "attributes.long"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithTooManyAttributesReturnsValidationProblem()
    {
        await CreateDefinitionAsync(http, Definition);
        var attributes = Enumerable.Range(0, 101).ToDictionary(i => $"a{i}", i => "1");

        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = "Sensor", definition = Definition, attributes });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["attributes"], ErrorKeys(problem));
        Assert.Contains("101", ErrorMessage(problem, "attributes"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithoutKeyReturnsValidationProblem()
    {
        await CreateDefinitionAsync(http, Definition);

        var response = await http.PostAsJsonAsync("/api/things", new { name = "Sensor", definition = Definition });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["key"], ErrorKeys(problem));
    }

    [Fact]
    public async Task CreateWithMissingFieldsReturnsValidationProblem()
    {
        var response = await http.PostAsync("/api/things", Json("""{"key": "sensor-0001"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request is invalid.", Title(problem));
        Assert.Equal(["definition", "name"], ErrorKeys(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateWithInvalidKeysReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor 0001", name = "Sensor", definition = "sensor/v1" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["definition", "key"], ErrorKeys(problem).Order(StringComparer.Ordinal));
        Assert.Contains("'sensor 0001'", ErrorMessage(problem, "key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithOversizedNameReturnsValidationProblem()
    {
        var response = await http.PostAsJsonAsync("/api/things", new { key = "sensor-0001", name = new string('n', 201), definition = Definition });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["name"], ErrorKeys(problem));
        Assert.Contains("201", ErrorMessage(problem, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithOversizedBodyReturnsPayloadTooLarge()
    {
        using var kestrel = StartOnKestrel();
        using var client = kestrel.CreateClient();

        var response = await client.PostAsync("/api/things", Json("{\"key\": \"sensor-0001\", \"name\": \"" + new string('n', 1024 * 1024) + "\"}"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The request body is too large.", Title(problem));
        Assert.Contains("1048576 bytes", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithMalformedJsonReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/things", Json("""{"key": "sensor-0001", "name": """));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
    }

    [Fact]
    public async Task CreateWithWrongTypeReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/things", Json("""{"key": "sensor-0001", "name": "Sensor", "definition": "sensor_v1", "enabled": "yes"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
        Assert.Contains("enabled", Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithDuplicatePropertyReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/things", Json("""{"key": "sensor-0001", "key": "sensor-0002", "name": "Sensor", "definition": "sensor_v1"}"""));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON for this endpoint.", Title(problem));
    }

    [Fact]
    public async Task CreateWithEmptyBodyReturnsBadRequest()
    {
        var response = await http.PostAsync("/api/things", Json(string.Empty));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(Detail(problem)));
    }

    private static TlsSignature NewSignature()
    {
        using var certificate = TestCertificates.SelfSigned("signature-source", KeyKind.Ec);
        return TlsSignature.FromCertificate(certificate);
    }
}
