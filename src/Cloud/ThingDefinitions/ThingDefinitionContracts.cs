using Cloud.Registry.ThingDefinitions;

namespace Cloud.ThingDefinitions;

/// <summary>
/// Body of POST and PUT /api/thing-defs. On PUT the key comes from the path and may be omitted here.
/// </summary>
/// <param name="Key">Unique key: 1 to 64 letters, digits, '_', '-' or '.'.</param>
/// <param name="Attributes">
/// Attributes by key. The attribute "tlssignature" pins the signature of a device certificate.
/// </param>
public sealed record ThingDefinitionRequest(
    string? Key,
    string? Name,
    string? Description,
    Dictionary<string, AttributeRequest?>? Attributes);

/// <summary>
/// Attribute of a thing definition.
/// </summary>
/// <param name="Default">
/// Default value. For "tlssignature", the certificate signature as 'openssl x509 -text' prints
/// it; it is stored as lowercase hex bytes joined by ':'.
/// </param>
public sealed record AttributeRequest(string? Name, string? Default);

/// <summary>
/// A stored thing definition.
/// </summary>
public sealed record ThingDefinitionResponse(
    string Key,
    string Name,
    string? Description,
    IReadOnlyDictionary<string, AttributeResponse> Attributes,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ThingDefinitionResponse From(ThingDefinition definition) => new(
        definition.Key,
        definition.Name,
        definition.Description,
        definition.Attributes
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(a => a.Key, a => new AttributeResponse(a.Name, a.DefaultValue), StringComparer.Ordinal),
        definition.CreatedAt,
        definition.UpdatedAt);
}

/// <summary>
/// A stored attribute with its default value.
/// </summary>
public sealed record AttributeResponse(string Name, string? Default);

internal static class ThingDefinitionMapping
{
    public static ThingDefinitionDraft ToDraft(this ThingDefinitionRequest request, string key) => new(
        key,
        request.Name!.Trim(),
        string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
        (request.Attributes ?? []).ToDictionary(
            a => a.Key,
            a => new AttributeDraft(a.Value!.Name!.Trim(), a.Value.Default),
            StringComparer.Ordinal));
}
