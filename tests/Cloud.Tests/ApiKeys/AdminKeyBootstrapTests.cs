using System.Net;
using Cloud.Registry.ApiKeys;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Tests.ApiKeys;

public sealed class AdminKeyBootstrapTests
{
    [Fact]
    public async Task FirstStartWritesOwnerOnlyKeyFile()
    {
        using var factory = new CloudFactory();
        _ = factory.Services;
        var path = Path.Combine(factory.DataDirectory, "admin-api-key");

        Assert.True(File.Exists(path), $"{path} was not written.");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var key = (await File.ReadAllTextAsync(path)).Trim();
        using var client = factory.CreateClientWithKey(key);
        using var response = await client.GetAsync("/api/keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var created = Assert.Single(factory.Logs.Entries, e => e.EventId == 4010);
        Assert.Contains(key.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength), created.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, created.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartWithActiveAdminKeepsKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "admin-api-key");
        string first;
        using (var factory = new CloudFactory(directory) { DeleteDataOnDispose = false })
        {
            _ = factory.Services;
            first = await File.ReadAllTextAsync(path);
        }

        using var restarted = new CloudFactory(directory);
        _ = restarted.Services;

        Assert.Equal(first, await File.ReadAllTextAsync(path));
        Assert.DoesNotContain(restarted.Logs.Entries, e => e.EventId == 4010);
    }

    [Fact]
    public async Task RestartAfterRevocationWritesNewKey()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "admin-api-key");
        string first;
        using (var factory = new CloudFactory(directory) { DeleteDataOnDispose = false })
        {
            _ = factory.Services;
            first = (await File.ReadAllTextAsync(path)).Trim();
            await using var scope = factory.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
            await store.RevokeAsync(first.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength), CancellationToken.None);
        }

        using var restarted = new CloudFactory(directory);
        _ = restarted.Services;
        var second = (await File.ReadAllTextAsync(path)).Trim();

        Assert.NotEqual(first, second);
        using var oldKey = restarted.CreateClientWithKey(first);
        using var newKey = restarted.CreateClientWithKey(second);
        using var rejected = await oldKey.GetAsync("/api/keys");
        using var accepted = await newKey.GetAsync("/api/keys");
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
