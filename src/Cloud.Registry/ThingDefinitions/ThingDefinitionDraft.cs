namespace Cloud.Registry.ThingDefinitions;

/// <summary>
/// Content of a thing definition as a caller submits it, before it is stored.
/// </summary>
public sealed record ThingDefinitionDraft(
    string Key,
    string Name,
    string? Description,
    IReadOnlyDictionary<string, AttributeDraft> Attributes);

/// <summary>
/// Attribute of a <see cref="ThingDefinitionDraft"/>.
/// </summary>
public sealed record AttributeDraft(string Name, string? DefaultValue);
