using System.Net;
using System.Net.Http.Json;
using Cloud.Http;
using Cloud.Tests.Infrastructure;
using Cloud.ThingDefinitions;
using static Cloud.Tests.Api.ThingDefinitionBodies;

namespace Cloud.Tests.Api;

/// <summary>
/// GET /api/thing-defs paging. Each test starts its own service, because the counts depend on
/// every stored definition.
/// </summary>
public sealed class ThingDefinitionPagingTests : IDisposable
{
    private readonly CloudFactory factory = new();
    private readonly HttpClient client;

    public ThingDefinitionPagingTests()
    {
        client = factory.CreateClient();
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ListReturnsPageOrderedByKey()
    {
        foreach (var key in new[] { "e", "c", "a", "d", "b" })
        {
            await CreateAsync(client, key, NewSignature());
        }

        var page = await GetPageAsync("?offset=1&limit=2");

        Assert.Equal(["b", "c"], page.Items.Select(d => d.Key));
        Assert.Equal(1, page.Offset);
        Assert.Equal(2, page.Limit);
        Assert.Equal(5, page.Total);
    }

    [Fact]
    public async Task OffsetPastEndReturnsEmptyPage()
    {
        await CreateAsync(client, "only", NewSignature());

        var page = await GetPageAsync("?offset=5");

        Assert.Empty(page.Items);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task ListUsesDefaultLimitOf50()
    {
        for (var i = 0; i < 51; i++)
        {
            await CreateAsync(client, $"def_{i:D2}", signature: null);
        }

        var page = await GetPageAsync(string.Empty);

        Assert.Equal(50, page.Items.Count);
        Assert.Equal(50, page.Limit);
        Assert.Equal(0, page.Offset);
        Assert.Equal(51, page.Total);
    }

    [Fact]
    public async Task LimitOf200IsAccepted()
    {
        var page = await GetPageAsync("?limit=200");

        Assert.Equal(200, page.Limit);
    }

    [Fact]
    public async Task ListIncludesAttributes()
    {
        var signature = NewSignature();
        await CreateAsync(client, "with_attributes", signature);

        var page = await GetPageAsync(string.Empty);

        var definition = Assert.Single(page.Items);
        Assert.Equal(signature, definition.Attributes["tlssignature"].Default);
    }

    [Theory]
    [InlineData("?limit=201", "limit", "limit is 201; use 1 to 200.")]
    [InlineData("?limit=0", "limit", "limit is 0; use 1 to 200.")]
    [InlineData("?offset=-1", "offset", "offset is -1; use 0 or more.")]
    public async Task OutOfRangePagingIsRejected(string query, string field, string expected)
    {
        using var response = await client.GetAsync(Route + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("The paging parameters are invalid.", problem.Title);
        var error = Assert.Single(problem.Errors[field]);
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task NonNumericLimitIsRejected()
    {
        using var response = await client.GetAsync($"{Route}?limit=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.Equal("A query or route value is invalid.", problem.Title);
        Assert.StartsWith("'limit' has the invalid value 'abc'. Use a whole number.", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("abc", problem.Detail, StringComparison.Ordinal);
    }

    private async Task<Page<ThingDefinitionResponse>> GetPageAsync(string query)
    {
        using var response = await client.GetAsync(Route + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var page = await response.Content.ReadFromJsonAsync<Page<ThingDefinitionResponse>>(Json);
        return page ?? throw new InvalidOperationException("The response body is the JSON literal null.");
    }
}
