using Cloud.Registry.Data;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.ApiKeys;

/// <summary>
/// A key as created: the record and the key text, which exists only in this value and is never
/// stored.
/// </summary>
public sealed record CreatedApiKey(ApiKey Record, string Key);

/// <summary>
/// Creates, lists, revokes and verifies API keys. Verification reads the database on each call,
/// so a revoked key stops working with the next request.
/// </summary>
public sealed class ApiKeyStore(RegistryDbContext db, TimeProvider clock)
{
    /// <summary>Minimum time between two updates of <see cref="ApiKey.LastUsedAt"/>, so that requests do not each write.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<RegistryResult<CreatedApiKey>> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > RegistryLimits.NameMaxLength)
        {
            return RegistryResult<CreatedApiKey>.Invalid($"The key name must have 1 to {RegistryLimits.NameMaxLength} characters.", "name");
        }

        if (!ApiKeyRoles.IsValid(role))
        {
            return RegistryResult<CreatedApiKey>.Invalid($"Role '{role}' is invalid; use one of: {string.Join(", ", ApiKeyRoles.All)}.", "role");
        }

        var (id, key) = ApiKeyFormat.Generate();
        var record = new ApiKey
        {
            Id = id,
            Name = name.Trim(),
            Role = role,
            Prefix = ApiKeyFormat.PrefixOf(id),
            SecretHash = ApiKeyFormat.Hash(key),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(record).State = EntityState.Detached;

        return RegistryResult<CreatedApiKey>.Created(new CreatedApiKey(record, key));
    }

    public async Task<ApiKey?> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    /// <summary>Lists keys, active and revoked, oldest first.</summary>
    public async Task<(IReadOnlyList<ApiKey> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var total = await db.ApiKeys.CountAsync(cancellationToken);
        var items = await db.ApiKeys
            .AsNoTracking()
            .OrderBy(k => k.CreatedAt)
            .ThenBy(k => k.Id)
            .Skip(offset)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>
    /// Revokes a key. Revoking a revoked key succeeds and keeps the first revocation time.
    /// </summary>
    public async Task<RegistryResult<ApiKey>> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var record = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (record is null)
        {
            return RegistryResult<ApiKey>.NotFound($"API key '{id}' was not found.");
        }

        if (record.RevokedAt is null)
        {
            record.RevokedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        return RegistryResult<ApiKey>.Ok(record);
    }

    public async Task<bool> HasActiveKeyAsync(string role, CancellationToken cancellationToken) =>
        await db.ApiKeys.AnyAsync(k => k.Role == role && k.RevokedAt == null, cancellationToken);

    /// <summary>
    /// Checks a presented key text against the stored hash and revocation, and records the use
    /// of a valid key.
    /// </summary>
    public async Task<ApiKeyVerification> VerifyAsync(string? key, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryGetId(key, out var id))
        {
            return new ApiKeyVerification(ApiKeyVerificationStatus.Malformed, null, null);
        }

        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (record is null || !ApiKeyFormat.Matches(key!, record.SecretHash))
        {
            return new ApiKeyVerification(ApiKeyVerificationStatus.Unknown, id, null);
        }

        if (record.IsRevoked)
        {
            return new ApiKeyVerification(ApiKeyVerificationStatus.Revoked, id, record);
        }

        await TouchAsync(record, cancellationToken);
        return new ApiKeyVerification(ApiKeyVerificationStatus.Valid, id, record);
    }

    private async Task TouchAsync(ApiKey record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (record.LastUsedAt is { } last && now - last < LastUsedResolution)
        {
            return;
        }

        await db.ApiKeys
            .Where(k => k.Id == record.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        record.LastUsedAt = now;
    }
}

public enum ApiKeyVerificationStatus
{
    Valid,

    /// <summary>The text does not have the shape of a key.</summary>
    Malformed,

    /// <summary>No key has this id, or the secret differs.</summary>
    Unknown,

    Revoked,
}

/// <summary>
/// Outcome of <see cref="ApiKeyStore.VerifyAsync"/>. <see cref="Id"/> is set when the text had
/// the shape of a key. The id is not secret and may be logged.
/// </summary>
public sealed record ApiKeyVerification(ApiKeyVerificationStatus Status, string? Id, ApiKey? Record);
