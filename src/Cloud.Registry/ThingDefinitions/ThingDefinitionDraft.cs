namespace Cloud.Registry.ThingDefinitions;

/// <summary>
/// Content of a thing definition as a caller submits it, before it is stored.
/// </summary>
public sealed record ThingDefinitionDraft(
    string Key,
    string Name,
    string? Description,
    IReadOnlyDictionary<string, AttributeDraft> Attributes)
{
    public bool Enabled { get; init; } = true;

    public bool AutoRegister { get; init; } = true;

    public NameRule NameRule { get; init; } = NameRule.CommonName;

    /// <summary>Keys of trusted CAs registered under /api/cas.</summary>
    public IReadOnlyList<string> TrustedCas { get; init; } = [];

    public IReadOnlyList<string> PublishTopics { get; init; } = [ThingDefinition.DefaultTopicTemplate];

    public IReadOnlyList<string> SubscribeTopics { get; init; } = [ThingDefinition.DefaultTopicTemplate];
}

/// <summary>
/// Attribute of a <see cref="ThingDefinitionDraft"/>.
/// </summary>
public sealed record AttributeDraft(string Name, string? DefaultValue);
