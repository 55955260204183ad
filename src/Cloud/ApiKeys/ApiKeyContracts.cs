using Cloud.Registry;
using Cloud.Registry.ApiKeys;
using FluentValidation;

namespace Cloud.ApiKeys;

/// <summary>
/// Body of POST /api/keys.
/// </summary>
/// <param name="Name">What the key is for, such as "ci" or "broker eu-1", in 1 to 200 characters.</param>
/// <param name="Role">"admin" (every operation), "reader" (GET only) or "broker" (POST /api/mqtt/auth only).</param>
public sealed record ApiKeyRequest(string? Name, string? Role);

/// <summary>
/// A stored API key, without its secret.
/// </summary>
/// <param name="Prefix">Start of the key, so that a key in a config file can be recognised.</param>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    string Role,
    string Prefix,
    DateTime CreatedAt,
    DateTime? RevokedAt,
    DateTime? LastUsedAt)
{
    public static ApiKeyResponse From(ApiKey key) =>
        new(key.Id, key.Name, key.Role, key.Prefix, key.CreatedAt, key.RevokedAt, key.LastUsedAt);
}

/// <summary>
/// A new API key. <see cref="Key"/> is returned only here: the service stores its hash.
/// </summary>
/// <param name="Key">The key to send as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.</param>
public sealed record CreatedApiKeyResponse(
    string Id,
    string Name,
    string Role,
    string Prefix,
    string Key,
    DateTime CreatedAt);

internal sealed class ApiKeyRequestValidator : AbstractValidator<ApiKeyRequest>
{
    public ApiKeyRequestValidator()
    {
        RuleFor(r => r.Name)
            .NotEmpty()
            .OverridePropertyName("name")
            .WithMessage("Name is required: say what the key is for, such as 'ci'.")
            .MaximumLength(RegistryLimits.NameMaxLength)
            .OverridePropertyName("name")
            .WithMessage(r => $"Name has {r.Name!.Length} characters; the maximum is {RegistryLimits.NameMaxLength}.");

        RuleFor(r => r.Role)
            .Must(ApiKeyRoles.IsValid)
            .OverridePropertyName("role")
            .WithMessage(r => r.Role is null
                ? $"Role is required: use one of {string.Join(", ", ApiKeyRoles.All)}."
                : $"Role '{Shorten(r.Role)}' is invalid: use one of {string.Join(", ", ApiKeyRoles.All)}.");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
