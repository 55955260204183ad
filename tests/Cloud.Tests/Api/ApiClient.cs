using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cloud.Tests.Api;

/// <summary>
/// Request and response helpers for the REST tests: raw JSON bodies, problem details and the
/// registry records most tests start from.
/// </summary>
internal static class ApiClient
{
    /// <summary>
    /// Starts the service on Kestrel at 127.0.0.1 with a port the OS chooses. The in-memory test
    /// server does not enforce request body size limits, so tests that expect 413 need Kestrel.
    /// </summary>
    public static CloudFactory StartOnKestrel()
    {
        var factory = new CloudFactory();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Asserts the status and the problem content type, then returns the problem body.</summary>
    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string? Title(JsonElement problem) => problem.GetProperty("title").GetString();

    public static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString() ?? string.Empty;

    public static string? Field(JsonElement problem) =>
        problem.TryGetProperty("field", out var field) ? field.GetString() : null;

    public static IReadOnlyList<string> ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name)] : [];

    public static string ErrorMessage(JsonElement problem, string key) =>
        problem.GetProperty("errors").GetProperty(key)[0].GetString() ?? string.Empty;

    public static IReadOnlyList<string?> Keys(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString())];

    public static async Task CreateDefinitionAsync(HttpClient http, string key, object? signature = null, string[]? trustedCas = null)
    {
        var attributes = signature is null
            ? new Dictionary<string, object>()
            : new Dictionary<string, object> { ["tlssignature"] = new { name = "TLS signature", @default = signature } };
        var response = await http.PostAsJsonAsync("/api/thing-defs", new { key, name = $"Definition {key}", attributes, trustedCas });
        await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateThingAsync(HttpClient http, string key, string definition, params string[] signatures)
    {
        var response = await http.PostAsJsonAsync("/api/things", new { key, name = $"Thing {key}", definition, tlssignature = signatures });
        return await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> CreateCaAsync(HttpClient http, string key, string pem)
    {
        var response = await http.PostAsJsonAsync("/api/cas", new { key, name = $"CA {key}", certificate = pem });
        return await ReadJsonAsync(response, HttpStatusCode.Created);
    }
}
