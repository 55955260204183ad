using System.Text.Json.Serialization;

namespace Cloud.Broker.Authorization;

/// <summary>
/// Body of POST /api/mqtt/auth: the connecting client and its certificate.
/// </summary>
/// <param name="CertificatePem">
/// Client certificate in PEM, followed by any intermediate certificates the client sent.
/// </param>
public sealed record ValidationRequest(
    [property: JsonPropertyName("clientid")] string? ClientId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("cert_pem")] string? CertificatePem);

/// <summary>
/// Response of POST /api/mqtt/auth.
/// </summary>
/// <param name="Result">"allow" or "deny".</param>
/// <param name="Rule">Name of the admission rule that decided.</param>
/// <param name="Thing">Key of the thing the client connects as, when allowed.</param>
/// <param name="Publish">Topic filters the client may publish to, when allowed.</param>
/// <param name="Subscribe">Topic filters the client may subscribe to, when allowed.</param>
public sealed record ValidationResponse(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("rule")] string Rule,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("thing_def")] string? ThingDefinition,
    [property: JsonPropertyName("thing")] string? Thing = null,
    [property: JsonPropertyName("publish")] IReadOnlyList<string>? Publish = null,
    [property: JsonPropertyName("subscribe")] IReadOnlyList<string>? Subscribe = null)
{
    public const string Allow = "allow";
    public const string Deny = "deny";
}
