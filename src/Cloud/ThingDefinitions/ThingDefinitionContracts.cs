using Cloud.Registry.ThingDefinitions;

namespace Cloud.ThingDefinitions;

/// <summary>
/// Body of POST and PUT /api/thing-defs. On PUT the key comes from the path and may be omitted here.
/// </summary>
/// <param name="Key">Unique key: 1 to 64 letters, digits, '_', '-' or '.'.</param>
/// <param name="Attributes">
/// Attributes by key. The attribute "tlssignature" pins the signature of a device certificate.
/// </param>
/// <param name="Enabled">Disabled definitions admit no device; default true.</param>
/// <param name="AutoRegister">
/// Whether an admitted device whose client id names no thing becomes a thing of this definition; default true.
/// </param>
/// <param name="NameRule">
/// Certificate name that must equal the client id under the trusted-issuer rule:
/// "cn" (default), "san-dns", "san-uri" or "any".
/// </param>
/// <param name="TrustedCas">Keys of CAs registered under /api/cas that device certificates must chain to.</param>
/// <param name="PublishTopics">
/// Topic filter templates devices may publish to, with ${thing.key}, ${thing_def.key} and
/// ${thing.attributes.NAME}; default ["things/${thing.key}/#"].
/// </param>
/// <param name="SubscribeTopics">Topic filter templates devices may subscribe to; same form and default.</param>
public sealed record ThingDefinitionRequest(
    string? Key,
    string? Name,
    string? Description,
    Dictionary<string, AttributeRequest?>? Attributes,
    bool? Enabled = null,
    bool? AutoRegister = null,
    string? NameRule = null,
    List<string>? TrustedCas = null,
    List<string>? PublishTopics = null,
    List<string>? SubscribeTopics = null);

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
    bool Enabled,
    bool AutoRegister,
    string NameRule,
    IReadOnlyList<string> TrustedCas,
    IReadOnlyList<string> PublishTopics,
    IReadOnlyList<string> SubscribeTopics,
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
        definition.Enabled,
        definition.AutoRegister,
        NameRules.Format(definition.NameRule),
        [.. definition.TrustedCas.Order(StringComparer.Ordinal)],
        definition.PublishTopics,
        definition.SubscribeTopics,
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
            StringComparer.Ordinal))
    {
        Enabled = request.Enabled ?? true,
        AutoRegister = request.AutoRegister ?? true,
        NameRule = NameRules.Parse(request.NameRule) ?? NameRule.CommonName,
        TrustedCas = [.. (request.TrustedCas ?? []).Distinct(StringComparer.Ordinal)],
        PublishTopics = request.PublishTopics is null ? [ThingDefinition.DefaultTopicTemplate] : [.. request.PublishTopics.Distinct(StringComparer.Ordinal)],
        SubscribeTopics = request.SubscribeTopics is null ? [ThingDefinition.DefaultTopicTemplate] : [.. request.SubscribeTopics.Distinct(StringComparer.Ordinal)],
    };
}

/// <summary>
/// Text forms of <see cref="NameRule"/> in the API.
/// </summary>
internal static class NameRules
{
    public const string Allowed = "'cn', 'san-dns', 'san-uri' or 'any'";

    public static NameRule? Parse(string? value) => value switch
    {
        null or "cn" => NameRule.CommonName,
        "san-dns" => NameRule.SanDns,
        "san-uri" => NameRule.SanUri,
        "any" => NameRule.Any,
        _ => null,
    };

    public static string Format(NameRule rule) => rule switch
    {
        NameRule.SanDns => "san-dns",
        NameRule.SanUri => "san-uri",
        NameRule.Any => "any",
        _ => "cn",
    };
}
