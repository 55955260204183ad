using System.Net;
using System.Text;
using Cloud.Tests.Infrastructure;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// Rejected bodies of POST and PUT /api/thing-defs: each returns a ProblemDetails body naming
/// the field, and stores nothing.
/// </summary>
public sealed class ThingDefinitionValidationTests(CloudFixture fixture) : IClassFixture<CloudFixture>
{
    private readonly HttpClient client = fixture.Factory.CreateClient();

    [Fact]
    public async Task MissingKeyIsRejected()
    {
        var problem = await PostInvalidAsync(Definition(key: null, NewSignature()));

        var error = Assert.Single(problem.Errors["key"]);
        Assert.StartsWith("Key is required:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidKeyCharactersAreRejected()
    {
        var problem = await PostInvalidAsync(Definition("bad key!", NewSignature()));

        var error = Assert.Single(problem.Errors["key"]);
        Assert.StartsWith("Key 'bad key!' is invalid:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyOf65CharactersIsRejected()
    {
        var problem = await PostInvalidAsync(Definition(new string('k', 65), NewSignature()));

        Assert.Contains("key", problem.Errors.Keys);
    }

    [Fact]
    public async Task KeyOf64CharactersIsAccepted()
    {
        var key = new string('m', 64);

        using var response = await PostAsync(client, Definition(key, NewSignature()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task MissingNameIsRejected()
    {
        var problem = await PostInvalidAsync(Definition("missing_name", NewSignature(), name: null));

        var error = Assert.Single(problem.Errors["name"]);
        Assert.StartsWith("Name is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameOf201CharactersIsRejected()
    {
        var problem = await PostInvalidAsync(Definition("long_name", NewSignature(), name: new string('n', 201)));

        var error = Assert.Single(problem.Errors["name"]);
        Assert.Equal("Name has 201 characters; the maximum is 200.", error);
    }

    [Fact]
    public async Task Over100AttributesAreRejected()
    {
        var body = Definition("many_attributes", signature: null);
        body["attributes"] = Enumerable.Range(0, 101).ToDictionary(i => $"a{i}", i => (object?)Attribute($"Attribute {i}", "x"));

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes"]);
        Assert.Equal("The definition has 101 attributes; the maximum is 100.", error);
    }

    [Fact]
    public async Task InvalidAttributeKeyIsRejected()
    {
        var body = Definition("bad_attribute_key", signature: null);
        body["attributes"] = new Dictionary<string, object?> { ["bad key"] = Attribute("Bad", "x") };

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes.bad key"]);
        Assert.StartsWith("Attribute key 'bad key' is invalid:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttributeKeysDifferingInCaseAreRejected()
    {
        var body = Definition("case_duplicates", signature: null);
        body["attributes"] = new Dictionary<string, object?>
        {
            ["color"] = Attribute("Color", "red"),
            ["Color"] = Attribute("Color", "blue"),
        };

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes.Color"]);
        Assert.StartsWith("Attribute key 'Color' appears more than once", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullAttributeIsRejected()
    {
        var body = Definition("null_attribute", signature: null);
        body["attributes"] = new Dictionary<string, object?> { ["color"] = null };

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes.color"]);
        Assert.StartsWith("Attribute 'color' is null;", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttributeWithoutNameIsRejected()
    {
        var body = Definition("attribute_no_name", signature: null);
        body["attributes"] = new Dictionary<string, object?> { ["color"] = Attribute(name: null, "red") };

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes.color.name"]);
        Assert.Equal("Attribute 'color' needs a name.", error);
    }

    [Theory]
    [InlineData("", "The signature is empty.")]
    [InlineData("   ", "The signature is empty.")]
    [InlineData("Signature Value:", "The signature contains labels but no hex digits.")]
    [InlineData("510c1", "The signature has an odd number of hex digits (5);")]
    [InlineData("51:0g", "The signature contains 'g' at position 5,")]
    [InlineData("51:0c1:12", "Byte 2 of the signature is '0c1',")]
    [InlineData("51::0c", "The signature has an empty byte at position 2:")]
    [InlineData("51:0c:", "The signature has an empty byte at position 3:")]
    public async Task BadSignatureIsRejected(string signature, string expectedStart)
    {
        var problem = await PostInvalidAsync(Definition("bad_signature", signature));

        var error = Assert.Single(problem.Errors["attributes.tlssignature.default"]);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NullSignatureIsRejected()
    {
        var body = Definition("null_signature", signature: null);
        body["attributes"] = new Dictionary<string, object?> { ["tlssignature"] = Attribute("TLS signature", defaultValue: null) };

        var problem = await PostInvalidAsync(body);

        var error = Assert.Single(problem.Errors["attributes.tlssignature.default"]);
        Assert.StartsWith("The signature is empty.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedSignatureIsRejected()
    {
        var signature = new string('a', 2049 * 2);

        var problem = await PostInvalidAsync(Definition("big_signature", signature));

        var error = Assert.Single(problem.Errors["attributes.tlssignature.default"]);
        Assert.StartsWith("The signature has 2049 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxSizeSignatureIsStored()
    {
        var signature = string.Join(':', Enumerable.Repeat("ab", 2048));

        using var response = await PostAsync(client, Definition("max_signature", signature));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var definition = await ReadDefinitionAsync(response);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Fact]
    public async Task InvalidFieldsAreReportedTogether()
    {
        var body = Definition("bad key!", "51::0c", name: null);

        var problem = await PostInvalidAsync(body);

        Assert.Contains("key", problem.Errors.Keys);
        Assert.Contains("name", problem.Errors.Keys);
        Assert.Contains("attributes.tlssignature.default", problem.Errors.Keys);
    }

    [Fact]
    public async Task ReplaceWithInvalidSignatureIsRejected()
    {
        var signature = NewSignature();
        await CreateAsync(client, "replace_invalid", signature);

        using var response = await PutAsync(client, "replace_invalid", Definition("replace_invalid", "51::0c"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Contains("attributes.tlssignature.default", problem.Errors.Keys);
    }

    [Fact]
    public async Task RejectedCreateStoresNothing()
    {
        await PostInvalidAsync(Definition("rejected_create", "51::0c"));

        using var response = await client.GetAsync($"{Route}/rejected_create");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TruncatedJsonIsRejected()
    {
        using var response = await PostRawAsync("""{"key":"truncated","name":"Sen""");

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The request body is not valid JSON for this endpoint.", problem.Title);
        Assert.StartsWith("The JSON at '$.name' is malformed:", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongTypeForNameIsRejected()
    {
        using var response = await PostRawAsync("""{"key":"wrong_type","name":5}""");

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The request body is not valid JSON for this endpoint.", problem.Title);
        Assert.StartsWith("The value at '$.name' has the wrong type", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Cloud.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltFieldIsRejected()
    {
        using var response = await PostRawAsync("""{"key":"misspelt","name":"Sensor","auto_register":false}""");

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.StartsWith("The field at '$.auto_register' is unknown.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateJsonPropertyIsRejected()
    {
        using var response = await PostRawAsync("""{"key":"dup_a","key":"dup_b","name":"Sensor"}""");

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The request body is not valid JSON for this endpoint.", problem.Title);
        Assert.StartsWith("The field at '$.key' appears more than once.", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateJsonPropertyStoresNothing()
    {
        using var rejected = await PostRawAsync("""{"key":"dup_first","key":"dup_second","name":"Sensor"}""");
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);

        using var first = await client.GetAsync($"{Route}/dup_first");
        using var second = await client.GetAsync($"{Route}/dup_second");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task EmptyBodyIsRejected()
    {
        using var response = await PostRawAsync(string.Empty);

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task JsonNullBodyIsRejected()
    {
        using var response = await PostRawAsync("null");

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    private async Task<ProblemResponse> PostInvalidAsync(object body)
    {
        using var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The request is invalid.", problem.Title);
        return problem;
    }

    private async Task<HttpResponseMessage> PostRawAsync(string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync(Route, body);
    }
}
