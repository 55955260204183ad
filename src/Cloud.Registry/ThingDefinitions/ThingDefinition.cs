namespace Cloud.Registry.ThingDefinitions;

/// <summary>
/// Thing definition (thing_def): a template for devices, with attributes and default values.
/// The attribute <see cref="SignatureAttributeKey"/> pins the signature of a device certificate.
/// </summary>
public sealed class ThingDefinition
{
    public const string SignatureAttributeKey = "tlssignature";

    public long Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

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
