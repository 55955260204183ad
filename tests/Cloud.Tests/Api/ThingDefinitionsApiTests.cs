using System.Net;
using Cloud.Tests.Signatures;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// Create, read, replace and delete through /api/thing-defs. Each test uses its own keys and
/// signatures, because the tests of this class share one service.
/// </summary>
public sealed class ThingDefinitionsApiTests(CloudFixture fixture) : IClassFixture<CloudFixture>
{
    private readonly HttpClient client = fixture.Factory.CreateClient();

    [Fact]
    public async Task CreateReturnsCreatedWithLocation()
    {
        var signature = NewSignature();

        using var response = await PostAsync(client, Definition("create_location", signature));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.Equal("/api/thing-defs/create_location", new Uri(client.BaseAddress!, response.Headers.Location).AbsolutePath);
    }

    [Fact]
    public async Task CreateReturnsCanonicalSignature()
    {
        using var response = await PostAsync(client, Definition("create_canonical", SignatureVectors.OpenSsl11Dump));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal("create_canonical", definition.Key);
        Assert.Equal("Sensor", definition.Name);
        Assert.Equal(SignatureVectors.OneLine, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task SignatureKeyCaseIsNormalized()
    {
        var signature = NewSignature();
        var body = Definition("create_key_case", signature: null);
        body["attributes"] = new Dictionary<string, object?> { ["TLSSignature"] = Attribute("TLS signature", signature.ToUpperInvariant()) };

        using var response = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task GetByKeyReturnsDefinition()
    {
        var signature = NewSignature();
        await CreateAsync(client, "get_by_key", signature);

        using var response = await client.GetAsync($"{Route}/get_by_key");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal("get_by_key", definition.Key);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task GetUnknownKeyReturnsNotFound()
    {
        using var response = await client.GetAsync($"{Route}/no_such_key");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(404, problem.Status);
        Assert.Equal("The thing definition was not found.", problem.Title);
        Assert.StartsWith("Thing definition 'no_such_key' was not found.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceReturnsUpdatedDefinition()
    {
        await CreateAsync(client, "replace_ok", NewSignature());
        var newSignature = NewSignature();
        var body = Definition("replace_ok", newSignature, name: "Renamed sensor");
        body["description"] = "Second revision";

        using var response = await PutAsync(client, "replace_ok", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal("Renamed sensor", definition.Name);
        Assert.Equal("Second revision", definition.Description);
        Assert.Equal(newSignature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task ReplaceIsVisibleToGet()
    {
        await CreateAsync(client, "replace_get", NewSignature());
        var newSignature = NewSignature();
        using var replaced = await PutAsync(client, "replace_get", Definition(key: null, newSignature, name: "Replaced"));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        using var response = await client.GetAsync($"{Route}/replace_get");

        var definition = await ReadDefinitionAsync(response);
        Assert.Equal("Replaced", definition.Name);
        Assert.Equal(newSignature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task ReplaceWithOwnSignatureSucceeds()
    {
        var signature = NewSignature();
        await CreateAsync(client, "replace_own", signature);

        using var response = await PutAsync(client, "replace_own", Definition("replace_own", signature, name: "Same certificate"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal("Same certificate", definition.Name);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task ReplaceWithBodyKeyMismatchReturnsBadRequest()
    {
        await CreateAsync(client, "replace_mismatch", NewSignature());

        using var response = await PutAsync(client, "replace_mismatch", Definition("other_key", NewSignature()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        var error = Assert.Single(problem.Errors["key"]);
        Assert.StartsWith("The body key 'other_key' differs from the path key 'replace_mismatch';", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceUnknownKeyReturnsNotFound()
    {
        using var response = await PutAsync(client, "replace_unknown", Definition("replace_unknown", NewSignature()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(404, problem.Status);
        Assert.StartsWith("Thing definition 'replace_unknown' was not found.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteReturnsNoContent()
    {
        await CreateAsync(client, "delete_ok", NewSignature());

        using var response = await client.DeleteAsync($"{Route}/delete_ok");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task GetAfterDeleteReturnsNotFound()
    {
        await CreateAsync(client, "delete_get", NewSignature());
        using var deleted = await client.DeleteAsync($"{Route}/delete_get");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var response = await client.GetAsync($"{Route}/delete_get");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteTwiceReturnsNotFound()
    {
        await CreateAsync(client, "delete_twice", NewSignature());
        using var first = await client.DeleteAsync($"{Route}/delete_twice");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var second = await client.DeleteAsync($"{Route}/delete_twice");

        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        var problem = await ProblemResponse.ReadAsync(second);
        Assert.StartsWith("Thing definition 'delete_twice' was not found.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteFreesSignatureForAnotherDefinition()
    {
        var signature = NewSignature();
        await CreateAsync(client, "delete_frees", signature);
        using var deleted = await client.DeleteAsync($"{Route}/delete_frees");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var response = await PostAsync(client, Definition("delete_frees_next", signature));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CreateWithDuplicateKeyReturnsConflict()
    {
        await CreateAsync(client, "duplicate_key", NewSignature());

        using var response = await PostAsync(client, Definition("duplicate_key", NewSignature()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(409, problem.Status);
        Assert.Equal("The thing definition conflicts with a stored one.", problem.Title);
        Assert.StartsWith("Thing definition 'duplicate_key' already exists.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithHeldSignatureReturnsConflict()
    {
        var signature = NewSignature();
        await CreateAsync(client, "signature_holder", signature);

        using var response = await PostAsync(client, Definition("signature_second", signature.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(409, problem.Status);
        Assert.Contains("already registered to thing definition 'signature_holder'", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConflictingCreateStoresNothing()
    {
        var signature = NewSignature();
        await CreateAsync(client, "conflict_holder", signature);
        using var conflict = await PostAsync(client, Definition("conflict_loser", signature));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        using var response = await client.GetAsync($"{Route}/conflict_loser");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ReplaceWithHeldSignatureReturnsConflict()
    {
        var heldSignature = NewSignature();
        await CreateAsync(client, "replace_holder", heldSignature);
        var ownSignature = NewSignature();
        await CreateAsync(client, "replace_taker", ownSignature);

        using var response = await PutAsync(client, "replace_taker", Definition("replace_taker", heldSignature));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Contains("already registered to thing definition 'replace_holder'", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConflictingReplaceKeepsStoredSignature()
    {
        var heldSignature = NewSignature();
        await CreateAsync(client, "keep_holder", heldSignature);
        var ownSignature = NewSignature();
        await CreateAsync(client, "keep_taker", ownSignature);
        using var conflict = await PutAsync(client, "keep_taker", Definition("keep_taker", heldSignature));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        using var response = await client.GetAsync($"{Route}/keep_taker");

        var definition = await ReadDefinitionAsync(response);
        Assert.Equal(ownSignature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task CreateWithoutSignatureSucceeds()
    {
        using var response = await PostAsync(client, Definition("no_signature", signature: null));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Empty(definition.Attributes);
    }

    [Fact]
    public async Task ReplaceCanRemoveSignature()
    {
        var signature = NewSignature();
        await CreateAsync(client, "remove_signature", signature);
        using var replaced = await PutAsync(client, "remove_signature", Definition("remove_signature", signature: null));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        using var response = await PostAsync(client, Definition("remove_signature_next", signature));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task SignatureFormsConflictWithEachOther()
    {
        var signature = NewSignature();
        await CreateAsync(client, "form_compact", signature.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant());

        using var response = await PostAsync(client, Definition("form_canonical", signature));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}
