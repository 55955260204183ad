namespace Cloud.Registry;

/// <summary>
/// Size limits of registry records, shared by the schema and the request validators.
/// </summary>
public static class RegistryLimits
{
    public const int KeyMaxLength = 64;

    public const int NameMaxLength = 200;

    public const int DescriptionMaxLength = 2000;

    public const int MaxAttributes = 100;

    /// <summary>
    /// Longest stored attribute value. A canonical signature of the maximum 2048 bytes takes
    /// 6143 characters.
    /// </summary>
    public const int AttributeValueMaxLength = 8192;

    /// <summary>Pattern of definition and attribute keys: letters, digits, '_', '-' and '.'.</summary>
    public const string KeyPattern = "^[A-Za-z0-9_.-]{1,64}$";
}
