namespace Cloud.Registry.ApiKeys;

/// <summary>
/// API key record. The key itself is shown once at creation and only its SHA-256 hash is stored.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Public identifier, also embedded in the key: <c>cloud_&lt;id&gt;_&lt;secret&gt;</c>.</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>One of <see cref="ApiKeyRoles.All"/>.</summary>
    public required string Role { get; set; }

    /// <summary>Start of the key that is safe to show, so that a key in a config file can be recognised.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key as lowercase hex.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>Last successful authentication, updated at most once per <see cref="ApiKeyStore.LastUsedResolution"/>.</summary>
    public DateTime? LastUsedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// Roles an API key can have.
/// </summary>
public static class ApiKeyRoles
{
    /// <summary>Every operation.</summary>
    public const string Admin = "admin";

    /// <summary>Read-only requests (GET).</summary>
    public const string Reader = "reader";

    /// <summary>The MQTT validation endpoint only, for a broker that runs elsewhere.</summary>
    public const string Broker = "broker";

    public static IReadOnlyList<string> All { get; } = [Admin, Reader, Broker];

    public static bool IsValid(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
