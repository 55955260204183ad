using System.Net;
using System.Net.Http.Json;
using Cloud.AuthEvents;
using Cloud.Http;
using Cloud.Registry.ApiKeys;
using Cloud.Registry.Records;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Tests.Api;

/// <summary>
/// GET /api/auth-events over records queued through <see cref="DecisionRecorder"/>, with their
/// times chosen by the test.
/// </summary>
public sealed class AuthEventsApiTests : IDisposable
{
    // An hour ago in whole seconds, so that retention by DecisionRecords:MaxAge keeps the records.
    private static readonly DateTime BaseTime = new(DateTime.UtcNow.AddHours(-1).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task ListReturnsNewestFirst()
    {
        await RecordAsync(Record("dev-1", "allow", 0), Record("dev-2", "deny", 1), Record("dev-3", "allow", 2));

        var page = await ListAsync("");

        Assert.Equal(["dev-3", "dev-2", "dev-1"], page.Items.Select(e => e.ClientId).ToArray());
        Assert.Equal(3, page.Total);
    }

    [Fact]
    public async Task ClientIdFilterReturnsOnlyThatClient()
    {
        await RecordAsync(Record("dev-1", "allow", 0), Record("dev-2", "allow", 1), Record("dev-1", "deny", 2));

        var page = await ListAsync("?clientId=dev-1");

        Assert.Equal(2, page.Total);
        Assert.All(page.Items, e => Assert.Equal("dev-1", e.ClientId));
    }

    [Fact]
    public async Task ThingFilterReturnsOnlyThatThing()
    {
        await RecordAsync(Record("dev-1", "allow", 0, thing: "dev-1"), Record("dev-2", "allow", 1, thing: "dev-2"), Record("dev-1", "deny", 2));

        var page = await ListAsync("?thing=dev-1");

        var record = Assert.Single(page.Items);
        Assert.Equal("dev-1", record.Thing);
        Assert.Equal("allow", record.Result);
    }

    [Fact]
    public async Task ResultFilterReturnsOnlyThatResult()
    {
        await RecordAsync(Record("dev-1", "allow", 0), Record("dev-2", "deny", 1), Record("dev-3", "deny", 2));

        var page = await ListAsync("?result=deny");

        Assert.Equal(["dev-3", "dev-2"], page.Items.Select(e => e.ClientId).ToArray());
    }

    [Fact]
    public async Task TimeFilterIncludesFromExcludesTo()
    {
        await RecordAsync(Record("dev-0", "allow", 0), Record("dev-1", "allow", 1), Record("dev-2", "allow", 2), Record("dev-3", "allow", 3));

        var page = await ListAsync($"?from={Time(1)}&to={Time(3)}");

        Assert.Equal(["dev-2", "dev-1"], page.Items.Select(e => e.ClientId).ToArray());
    }

    [Fact]
    public async Task FiltersCombine()
    {
        await RecordAsync(Record("dev-1", "allow", 0), Record("dev-1", "deny", 1), Record("dev-2", "deny", 2), Record("dev-1", "deny", 5));

        var page = await ListAsync($"?clientId=dev-1&result=deny&to={Time(3)}");

        var record = Assert.Single(page.Items);
        Assert.Equal(BaseTime.AddMinutes(1), record.Time);
    }

    [Fact]
    public async Task PagingWalksNewestFirst()
    {
        await RecordAsync([.. Enumerable.Range(0, 5).Select(i => Record($"dev-{i}", "allow", i))]);

        var first = await ListAsync("?limit=2");
        var second = await ListAsync("?limit=2&offset=2");
        var last = await ListAsync("?limit=2&offset=4");

        Assert.Equal(["dev-4", "dev-3"], first.Items.Select(e => e.ClientId).ToArray());
        Assert.Equal(["dev-2", "dev-1"], second.Items.Select(e => e.ClientId).ToArray());
        Assert.Equal(["dev-0"], last.Items.Select(e => e.ClientId).ToArray());
        Assert.Equal(5, second.Total);
        Assert.Equal(2, second.Offset);
        Assert.Equal(2, second.Limit);
    }

    [Theory]
    [InlineData("?result=maybe", "result", "'maybe'")]
    [InlineData("?limit=0", "limit", "limit is 0")]
    [InlineData("?limit=201", "limit", "limit is 201")]
    [InlineData("?offset=-1", "offset", "offset is -1")]
    [InlineData("?from=2026-03-01T12:05:00Z&to=2026-03-01T12:00:00Z", "to", "must be later than from")]
    [InlineData("?from=2026-03-01T12:00:00Z&to=2026-03-01T12:00:00Z", "to", "must be later than from")]
    public async Task InvalidQueryReturnsValidationProblem(string query, string field, string expected)
    {
        using var response = await factory.CreateClient().GetAsync("/api/auth-events" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
        Assert.True(problem.Errors.ContainsKey(field), problem.Raw);
        Assert.Contains(expected, problem.Errors[field][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?from=notatime")]
    [InlineData("?to=yesterday")]
    [InlineData("?limit=ten")]
    [InlineData("?offset=1.5")]
    public async Task UnparsableQueryReturnsProblem(string query)
    {
        using var response = await factory.CreateClient().GetAsync("/api/auth-events" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public async Task ReaderKeyCanList()
    {
        var key = await factory.CreateApiKeyAsync(ApiKeyRoles.Reader);

        using var response = await factory.CreateClientWithKey(key).GetAsync("/api/auth-events");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReaderKeyCanReadStats()
    {
        var key = await factory.CreateApiKeyAsync(ApiKeyRoles.Reader);

        using var response = await factory.CreateClientWithKey(key).GetAsync("/api/auth-events/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/auth-events")]
    [InlineData("/api/auth-events/stats")]
    public async Task MissingKeyGetsUnauthorized(string path)
    {
        using var response = await factory.CreateAnonymousClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static AuthEvent Record(string clientId, string result, int minute, string? thing = null) => new()
    {
        Time = BaseTime.AddMinutes(minute),
        Kind = AuthEventKinds.Connect,
        ClientId = clientId,
        Thing = thing,
        Result = result,
        Rule = "test",
        Reason = "Recorded by the test.",
    };

    private static string Time(int minute) => Uri.EscapeDataString(BaseTime.AddMinutes(minute).ToString("O"));

    /// <summary>Records in order and waits until the writer stored them all.</summary>
    private async Task RecordAsync(params AuthEvent[] records)
    {
        var recorder = factory.Services.GetRequiredService<DecisionRecorder>();
        var target = recorder.Written + records.Length;
        foreach (var record in records)
        {
            recorder.Record(record);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (recorder.Written < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {recorder.Written} of {target} decision records were written in time.");
            await Task.Delay(20);
        }
    }

    private async Task<Page<AuthEventResponse>> ListAsync(string query)
    {
        using var response = await factory.CreateClient().GetAsync("/api/auth-events" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return await response.Content.ReadFromJsonAsync<Page<AuthEventResponse>>() ?? throw new InvalidOperationException("The response body is the JSON literal null.");
    }
}
