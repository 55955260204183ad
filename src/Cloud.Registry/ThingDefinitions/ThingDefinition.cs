namespace Cloud.Registry.ThingDefinitions;

/// <summary>
/// Thing definition (thing_def): a template for devices, with attributes and default values.
/// The attribute <see cref="SignatureAttributeKey"/> pins the signature of a device certificate.
/// </summary>
public sealed class ThingDefinition
{
    public const string SignatureAttributeKey = "tlssignature";

    /// <summary>Topics a device may use when its definition names none: its own subtree.</summary>
    public const string DefaultTopicTemplate = "things/${thing.key}/#";

    public long Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Disabled definitions admit no device.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether a device admitted by this definition's signature or trusted issuers, whose client id
    /// names no thing yet, becomes a new thing of this definition.
    /// </summary>
    public bool AutoRegister { get; set; } = true;

    /// <summary>Which certificate name must equal the client id under the trusted-issuer rule.</summary>
    public NameRule NameRule { get; set; } = NameRule.CommonName;

    /// <summary>
    /// Keys of the CAs that device certificates of this definition must chain to. When not
    /// empty, a certificate admitted by signature must chain to one of them too. A key stays
    /// when its CA is deleted, so that deleting a CA never loosens the definition.
    /// </summary>
    public List<string> TrustedCas { get; set; } = [];

    /// <summary>Topic filter templates a device of this definition may publish to.</summary>
    public List<string> PublishTopics { get; set; } = [DefaultTopicTemplate];

    /// <summary>Topic filter templates a device of this definition may subscribe to.</summary>
    public List<string> SubscribeTopics { get; set; } = [DefaultTopicTemplate];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<AttributeDefinition> Attributes { get; set; } = [];

    public string? SignatureCanonical =>
        Attributes.FirstOrDefault(a => a.Key == SignatureAttributeKey)?.DefaultValue;
}

/// <summary>
/// Attribute of a thing definition with its default value.
/// </summary>
public sealed class AttributeDefinition
{
    public long Id { get; set; }

    public long ThingDefinitionId { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public string? DefaultValue { get; set; }
}

/// <summary>
/// Certificate name that must equal the MQTT client id under the trusted-issuer rule.
/// </summary>
public enum NameRule
{
    /// <summary>The subject common name (CN).</summary>
    CommonName,

    /// <summary>A DNS name in the subject alternative name extension.</summary>
    SanDns,

    /// <summary>A URI in the subject alternative name extension.</summary>
    SanUri,

    /// <summary>The CN or any SAN DNS name or URI.</summary>
    Any,
}
