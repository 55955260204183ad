using System.Net;
using System.Net.Http.Json;
using Cloud.Registry.ApiKeys;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Tests.ApiKeys;

public sealed class ApiKeyAuthorizationTests : IDisposable
{
    /// <summary>Every /api endpoint with the roles besides admin that may call it.</summary>
    private static readonly (string Method, string Path, bool Reader, bool Broker)[] Endpoints =
    [
        ("GET", "/api/thing-defs", true, false),
        ("GET", "/api/thing-defs/sensor_v1", true, false),
        ("POST", "/api/thing-defs", false, false),
        ("PUT", "/api/thing-defs/sensor_v1", false, false),
        ("DELETE", "/api/thing-defs/sensor_v1", false, false),
        ("GET", "/api/things", true, false),
        ("GET", "/api/things/sensor_v1", true, false),
        ("POST", "/api/things", false, false),
        ("PUT", "/api/things/sensor_v1", false, false),
        ("DELETE", "/api/things/sensor_v1", false, false),
        ("GET", "/api/cas", true, false),
        ("GET", "/api/cas/sensor_v1", true, false),
        ("POST", "/api/cas", false, false),
        ("PUT", "/api/cas/sensor_v1", false, false),
        ("DELETE", "/api/cas/sensor_v1", false, false),
        ("GET", "/api/revocations", true, false),
        ("GET", "/api/revocations/1", true, false),
        ("POST", "/api/revocations", false, false),
        ("DELETE", "/api/revocations/1", false, false),
        ("GET", "/api/auth-events", true, false),
        ("GET", "/api/auth-events/stats", true, false),
        ("POST", "/api/certificates/inspect", false, false),
        ("POST", "/api/mqtt/auth", false, true),
        ("GET", "/api/keys", false, false),
        ("GET", "/api/keys/abcdefghijkl", false, false),
        ("POST", "/api/keys", false, false),
        ("DELETE", "/api/keys/abcdefghijkl", false, false),
    ];

    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task EveryApiEndpointRejectsMissingKey()
    {
        using var anonymous = factory.CreateAnonymousClient();
        var endpoints = MappedApiEndpoints();
        Assert.True(endpoints.Count >= Endpoints.Length, $"Only {endpoints.Count} /api endpoints were found.");

        foreach (var (method, path) in endpoints)
        {
            using var response = await anonymous.SendAsync(Request(method, path));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} returned {(int)response.StatusCode} without a key.");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
            Assert.Equal(401, problem?.Status);
            Assert.Contains("Authorization: Bearer <key>", problem?.Detail, StringComparison.Ordinal);
            Assert.Contains("X-Api-Key: <key>", problem?.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EndpointTableCoversEveryApiEndpoint()
    {
        var mapped = MappedApiEndpoints().Select(e => $"{e.Method} {e.Path}").Order(StringComparer.Ordinal);
        var table = Endpoints.Select(e => $"{e.Method} {e.Path}").Order(StringComparer.Ordinal);

        Assert.Equal(table, mapped);
    }

    [Fact]
    public async Task RolesGrantExpectedAccess()
    {
        var clients = new Dictionary<string, HttpClient>
        {
            [ApiKeyRoles.Admin] = factory.CreateClientWithKey(await factory.CreateApiKeyAsync(ApiKeyRoles.Admin)),
            [ApiKeyRoles.Reader] = factory.CreateClientWithKey(await factory.CreateApiKeyAsync(ApiKeyRoles.Reader)),
            [ApiKeyRoles.Broker] = factory.CreateClientWithKey(await factory.CreateApiKeyAsync(ApiKeyRoles.Broker)),
        };

        foreach (var (method, path, reader, broker) in Endpoints)
        {
            foreach (var (role, client) in clients)
            {
                var allowed = role == ApiKeyRoles.Admin || (role == ApiKeyRoles.Reader && reader) || (role == ApiKeyRoles.Broker && broker);
                using var response = await client.SendAsync(Request(method, path));
                var status = (int)response.StatusCode;

                if (allowed)
                {
                    Assert.True(status is not 401 and not 403, $"Role {role} got {status} for {method} {path}.");
                }
                else
                {
                    Assert.True(status == 403, $"Role {role} got {status} for {method} {path}; expected 403.");
                    var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
                    Assert.Contains($"has role '{role}'", problem?.Detail, StringComparison.Ordinal);
                }
            }
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task ForbiddenProblemNamesRequiredRole()
    {
        using var reader = factory.CreateClientWithKey(await factory.CreateApiKeyAsync(ApiKeyRoles.Reader));

        using var response = await reader.PostAsJsonAsync("/api/thing-defs", new { key = "sensor_v1", name = "Sensor" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(403, problem?.Status);
        Assert.Equal("API key '" + ReaderIdFrom(reader) + "' has role 'reader', but POST /api/thing-defs requires role admin. Send a key with that role.", problem?.Detail);
    }

    [Fact]
    public async Task RevokedKeyReturns401()
    {
        var key = await factory.CreateApiKeyAsync(ApiKeyRoles.Reader);
        using var reader = factory.CreateClientWithKey(key);
        using var admin = factory.CreateClient();
        using var before = await reader.GetAsync("/api/thing-defs");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using var revoke = await admin.DeleteAsync($"/api/keys/{IdOf(key)}");
        using var after = await reader.GetAsync("/api/thing-defs");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", after.Headers.WwwAuthenticate.ToString());
        var problem = await after.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.StartsWith($"API key '{IdOf(key)}' is revoked", problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task XApiKeyHeaderAuthenticates()
    {
        using var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", await factory.CreateApiKeyAsync(ApiKeyRoles.Reader));

        using var response = await client.GetAsync("/api/thing-defs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("not-a-key", "malformed")]
    [InlineData("cloud_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid")]
    public async Task RejectedKeyReturns401Problem(string key, string expectedWord)
    {
        using var client = factory.CreateClientWithKey(key);

        using var response = await client.GetAsync("/api/thing-defs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains(expectedWord, problem?.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(key, problem?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyWithWrongSecretReturns401()
    {
        var key = await factory.CreateApiKeyAsync(ApiKeyRoles.Admin);
        var altered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        using var client = factory.CreateClientWithKey(altered);

        using var response = await client.GetAsync("/api/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPathRequiresKey()
    {
        using var anonymous = factory.CreateAnonymousClient();

        using var response = await anonymous.GetAsync("/api/unknown");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task OpenPathsNeedNoKey(string path)
    {
        using var anonymous = factory.CreateAnonymousClient();

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocumentDeclaresBearerScheme()
    {
        using var anonymous = factory.CreateAnonymousClient();

        var document = await anonymous.GetStringAsync("/swagger/v1/swagger.json");

        Assert.Contains("\"securitySchemes\"", document, StringComparison.Ordinal);
        Assert.Contains("\"scheme\": \"bearer\"", document, StringComparison.Ordinal);
        Assert.Contains("\"security\"", document, StringComparison.Ordinal);
    }

    private List<(string Method, string Path)> MappedApiEndpoints()
    {
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        return
        [
            .. source.Endpoints
                .OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (method, Concrete(e.RoutePattern.RawText!))))
                .Distinct(),
        ];
    }

    /// <summary>Fills route parameters with values of the right shape, such as "/api/keys/{id}" to "/api/keys/abcdefghijkl".</summary>
    private static string Concrete(string pattern) => pattern.TrimEnd('/')
        .Replace("{key}", "sensor_v1", StringComparison.Ordinal)
        .Replace("{id}", "abcdefghijkl", StringComparison.Ordinal)
        .Replace("{id:long}", "1", StringComparison.Ordinal);

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { }),
    };

    private static string IdOf(string key) => key.Substring(ApiKeyFormat.Scheme.Length, ApiKeyFormat.IdLength);

    private static string ReaderIdFrom(HttpClient client) => IdOf(client.DefaultRequestHeaders.Authorization!.Parameter!);
}
