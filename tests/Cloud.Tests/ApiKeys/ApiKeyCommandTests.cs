using System.Net;
using System.Net.Http.Json;
using Cloud.Hosting;
using Cloud.Registry.ApiKeys;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.ApiKeys;

public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task KeysCreatePrintsWorkingKey()
    {
        var (exitCode, output, error) = await RunAsync("keys", "create", "--role", "reader", "--name", "ci");

        Assert.Equal(0, exitCode);
        var key = output.Trim();
        Assert.DoesNotContain('\n', key);
        Assert.Equal(ApiKeyFormat.KeyLength, key.Length);
        Assert.Contains("role reader named 'ci'", error, StringComparison.Ordinal);
        using var reader = factory.CreateClientWithKey(key);
        using var read = await reader.GetAsync("/api/thing-defs");
        using var write = await reader.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor" });
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task KeysListShowsPrefixWithoutSecret()
    {
        var (_, key, _) = await RunAsync("keys", "create", "--role=broker", "--name=edge broker");
        key = key.Trim();

        var (exitCode, output, _) = await RunAsync("keys", "list");

        Assert.Equal(0, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("edge broker", StringComparison.Ordinal));
        Assert.Contains(key[..ApiKeyFormat.PrefixLength], line, StringComparison.Ordinal);
        Assert.Contains("broker", line, StringComparison.Ordinal);
        Assert.DoesNotContain(key[(ApiKeyFormat.PrefixLength + 1)..], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRevokeStopsKey()
    {
        var (_, key, _) = await RunAsync("keys", "create", "--role", "admin", "--name", "ops");
        key = key.Trim();

        var (exitCode, _, _) = await RunAsync("keys", "revoke", key.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength));

        Assert.Equal(0, exitCode);
        using var client = factory.CreateClientWithKey(key);
        using var response = await client.GetAsync("/api/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(2, "--role and --name", "keys", "create", "--name", "ci")]
    [InlineData(2, "Role 'root' is invalid", "keys", "create", "--role", "root", "--name", "ci")]
    [InlineData(1, "API key 'zzzzzzzzzzzz' was not found. List the key ids with 'keys list'.", "keys", "revoke", "zzzzzzzzzzzz")]
    [InlineData(2, "Usage: keys create", "keys", "rotate")]
    public async Task InvalidKeysCommandFails(int expectedExitCode, string expectedError, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(arguments);

        Assert.Equal(expectedExitCode, exitCode);
        Assert.Empty(output);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CloudCommands.RunAsync(arguments[0], arguments[1..], factory.Services, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
