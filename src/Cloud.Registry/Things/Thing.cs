namespace Cloud.Registry.Things;

/// <summary>
/// A device of a thing definition. Its key is the MQTT client id it connects with.
/// </summary>
public sealed class Thing
{
    /// <summary>Maximum of signatures pinned to a thing at once: a primary and a secondary for rotation.</summary>
    public const int MaxSignatures = 2;

    public long Id { get; set; }

    public required string Key { get; set; }

    public required string Name { get; set; }

    public long ThingDefinitionId { get; set; }

    public ThingDefinitions.ThingDefinition? Definition { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Attribute values that override the definition's defaults.</summary>
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pinned certificate signatures, primary (slot 0) first.</summary>
    public List<ThingSignature> Signatures { get; set; } = [];

    /// <summary>Whether the thing was created by a device's first connect.</summary>
    public bool AutoRegistered { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A certificate signature pinned to a thing, in canonical form.
/// </summary>
public sealed class ThingSignature
{
    public long Id { get; set; }

    public long ThingId { get; set; }

    /// <summary>0 for the primary signature, 1 for the secondary.</summary>
    public int Slot { get; set; }

    public required string Value { get; set; }
}
