using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cloud.Registry.ApiKeys;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.Tests.ApiKeys;

public sealed partial class ApiKeysApiTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task CreateReturnsKeyOnce()
    {
        using var admin = factory.CreateClient();

        using var response = await admin.PostAsJsonAsync("/api/keys", new { name = "ci", role = "reader" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "The response that contains a key must not be cached.");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches(KeyPattern(), key);
        Assert.Equal($"cloud_{id}", created.GetProperty("prefix").GetString());
        Assert.StartsWith(created.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.Equal("reader", created.GetProperty("role").GetString());
        Assert.Equal("ci", created.GetProperty("name").GetString());
        Assert.True(created.TryGetProperty("createdAt", out _), "createdAt is missing.");
        Assert.Equal($"/api/keys/{id}", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task ListAndGetOmitKey()
    {
        using var admin = factory.CreateClient();
        using var response = await admin.PostAsJsonAsync("/api/keys", new { name = "ci", role = "reader" });
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        var secret = key[(ApiKeyFormat.PrefixLength + 1)..];

        var list = await admin.GetStringAsync("/api/keys");
        var single = await admin.GetStringAsync($"/api/keys/{id}");

        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.AdminKey[(ApiKeyFormat.PrefixLength + 1)..], list, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", list, StringComparison.Ordinal);
        Assert.Contains($"\"prefix\":\"cloud_{id}\"", single, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, single, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", single, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateWithInvalidBodyReturnsValidationProblem()
    {
        using var admin = factory.CreateClient();

        using var response = await admin.PostAsJsonAsync("/api/keys", new { name = " ", role = "root" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal("Name is required: say what the key is for, such as 'ci'.", Assert.Single(problem!.Errors["name"]));
        Assert.Equal("Role 'root' is invalid: use one of admin, reader, broker.", Assert.Single(problem.Errors["role"]));
    }

    [Fact]
    public async Task CreateWithLongNameReturnsValidationProblem()
    {
        using var admin = factory.CreateClient();

        using var response = await admin.PostAsJsonAsync("/api/keys", new { name = new string('n', 201), role = "admin" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal("Name has 201 characters; the maximum is 200.", Assert.Single(problem!.Errors["name"]));
    }

    [Fact]
    public async Task RevokeIsIdempotentAndRecorded()
    {
        using var admin = factory.CreateClient();
        var id = (await factory.CreateApiKeyAsync(ApiKeyRoles.Broker)).Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength);

        using var first = await admin.DeleteAsync($"/api/keys/{id}");
        using var second = await admin.DeleteAsync($"/api/keys/{id}");
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/keys/{id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(JsonValueKind.String, stored.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task UnknownIdReturns404Problem()
    {
        using var admin = factory.CreateClient();

        using var get = await admin.GetAsync("/api/keys/zzzzzzzzzzzz");
        using var revoke = await admin.DeleteAsync("/api/keys/zzzzzzzzzzzz");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        var problem = await revoke.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("API key 'zzzzzzzzzzzz' was not found. List the key ids with GET /api/keys.", problem?.Detail);
    }

    [Fact]
    public async Task UseRecordsLastUsedTime()
    {
        var key = await factory.CreateApiKeyAsync(ApiKeyRoles.Reader);
        using var reader = factory.CreateClientWithKey(key);
        using var admin = factory.CreateClient();

        using var response = await reader.GetAsync("/api/thing-defs");
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/keys/{key.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.String, stored.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task KeysNeverReachLogs()
    {
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/keys", new { name = "ci", role = "reader" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var reader = factory.CreateClientWithKey(key);
        using var read = await reader.GetAsync("/api/thing-defs");
        using var forbidden = await reader.DeleteAsync("/api/thing-defs/sensor_v1");
        using var revoked = await admin.DeleteAsync($"/api/keys/{key.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength)}");
        using var rejected = await reader.GetAsync("/api/thing-defs");
        using var wrong = factory.CreateClientWithKey(key[..^1] + "0");
        using var wrongSecret = await wrong.GetAsync("/api/thing-defs");
        var bootstrapKey = (await File.ReadAllTextAsync(Path.Combine(factory.DataDirectory, "admin-api-key"))).Trim();

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.NotEmpty(factory.Logs.Entries);
        foreach (var secret in new[] { key, factory.AdminKey, bootstrapKey, key[..^1] + "0" })
        {
            var tail = secret[(ApiKeyFormat.PrefixLength + 1)..];
            Assert.DoesNotContain(factory.Logs.Entries, e => e.Message.Contains(tail, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex("^cloud_[a-z0-9]{12}_[A-Za-z0-9]{43}$")]
    private static partial Regex KeyPattern();
}
