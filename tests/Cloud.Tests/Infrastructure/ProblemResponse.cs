using System.Text.Json;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// ProblemDetails body (RFC 9457) of an error response, with the raw text for checks on what
/// the body must not contain.
/// </summary>
public sealed record ProblemResponse(
    int Status,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, string[]> Errors,
    string Raw)
{
    public const string MediaType = "application/problem+json";

    /// <summary>Reads the body, failing the test when the response is not application/problem+json.</summary>
    public static async Task<ProblemResponse> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);

        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);

        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.TryGetProperty("errors", out var errorsElement))
        {
            foreach (var field in errorsElement.EnumerateObject())
            {
                errors[field.Name] = [.. field.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
            }
        }

        return new ProblemResponse(
            root.GetProperty("status").GetInt32(),
            root.TryGetProperty("title", out var title) ? title.GetString() : null,
            root.TryGetProperty("detail", out var detail) ? detail.GetString() : null,
            errors,
            raw);
    }
}
