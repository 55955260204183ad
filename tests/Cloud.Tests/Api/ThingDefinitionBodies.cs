using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Cloud.Registry.Signatures;
using Cloud.ThingDefinitions;

namespace Cloud.Tests.Api;

/// <summary>
/// Request bodies and calls for /api/thing-defs.
/// </summary>
internal static class ThingDefinitionBodies
{
    public const string Route = "/api/thing-defs";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerOptions.Web);

    /// <summary>Creates a canonical signature of 256 random bytes, unique per call.</summary>
    public static string NewSignature() => TlsSignature.FromBytes(RandomNumberGenerator.GetBytes(256)).Canonical;

    /// <summary>Creates a definition body with a tlssignature attribute unless <paramref name="signature"/> is null.</summary>
    public static Dictionary<string, object?> Definition(string? key, string? signature, string? name = "Sensor")
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (signature is not null)
        {
            attributes["tlssignature"] = Attribute("TLS signature", signature);
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["key"] = key,
            ["name"] = name,
            ["attributes"] = attributes,
        };
    }

    public static Dictionary<string, object?> Attribute(string? name, string? defaultValue) =>
        new(StringComparer.Ordinal) { ["name"] = name, ["default"] = defaultValue };

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, object body) =>
        client.PostAsJsonAsync(Route, body);

    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string key, object body) =>
        client.PutAsJsonAsync($"{Route}/{key}", body);

    /// <summary>Creates a definition and fails the test unless the service returns 201.</summary>
    public static async Task<ThingDefinitionResponse> CreateAsync(HttpClient client, string key, string? signature)
    {
        using var response = await PostAsync(client, Definition(key, signature));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await ReadDefinitionAsync(response);
    }

    public static async Task<ThingDefinitionResponse> ReadDefinitionAsync(HttpResponseMessage response)
    {
        var definition = await response.Content.ReadFromJsonAsync<ThingDefinitionResponse>(Json);
        return definition ?? throw new InvalidOperationException("The response body is the JSON literal null.");
    }
}
