namespace Cloud.Registry;

public enum RegistryStatus
{
    Ok,
    Created,
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>
/// Outcome of a registry operation. Expected failures (not found, conflict, invalid value)
/// are values, not exceptions; <see cref="Error"/> is a sentence for the caller.
/// </summary>
public sealed record RegistryResult<T>(RegistryStatus Status, T? Value, string? Error = null, string? Field = null)
{
    public static RegistryResult<T> Ok(T value) => new(RegistryStatus.Ok, value);

    public static RegistryResult<T> Created(T value) => new(RegistryStatus.Created, value);

    public static RegistryResult<T> NotFound(string error) => new(RegistryStatus.NotFound, default, error);

    public static RegistryResult<T> Conflict(string error, string? field = null) => new(RegistryStatus.Conflict, default, error, field);

    public static RegistryResult<T> Invalid(string error, string field) => new(RegistryStatus.Invalid, default, error, field);
}
