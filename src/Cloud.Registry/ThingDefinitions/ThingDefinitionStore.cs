using Cloud.Registry.Data;
using Cloud.Registry.Signatures;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.ThingDefinitions;

/// <summary>
/// Reads and writes thing definitions and keeps <see cref="RegistryIndex"/> current.
/// Enforces the registry invariants: keys are unique, and a signature belongs to at most one
/// definition.
/// </summary>
public sealed class ThingDefinitionStore(RegistryDbContext db, RegistryIndex index, TimeProvider clock)
{
    private const string SignatureField = "attributes.tlssignature.default";

    public async Task<ThingDefinition?> FindAsync(string key, CancellationToken cancellationToken) =>
        await db.ThingDefinitions
            .AsNoTracking()
            .Include(d => d.Attributes)
            .AsSplitQuery()
            .FirstOrDefaultAsync(d => d.Key == key, cancellationToken);

    public async Task<(IReadOnlyList<ThingDefinition> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var total = await db.ThingDefinitions.CountAsync(cancellationToken);
        var items = await db.ThingDefinitions
            .AsNoTracking()
            .OrderBy(d => d.Key)
            .Skip(offset)
            .Take(limit)
            .Include(d => d.Attributes)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<RegistryResult<ThingDefinition>> CreateAsync(ThingDefinitionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!TryNormalize(draft, out var attributes, out var signature, out var invalid))
        {
            return invalid;
        }

        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            if (await db.ThingDefinitions.AnyAsync(d => d.Key == draft.Key, cancellationToken))
            {
                return RegistryResult<ThingDefinition>.Conflict($"Thing definition '{draft.Key}' already exists. Choose another key or replace it with PUT.", "key");
            }

            var holder = signature is null ? null : await SignatureOwners.FindOtherOwnerAsync(db, signature, draft.Key, null, cancellationToken);
            if (holder is not null)
            {
                return SignatureConflict(holder);
            }

            var unknownCa = await FindUnknownCaAsync(draft.TrustedCas, cancellationToken);
            if (unknownCa is not null)
            {
                return unknownCa;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var definition = new ThingDefinition
            {
                Key = draft.Key,
                Name = draft.Name,
                Description = draft.Description,
                Enabled = draft.Enabled,
                AutoRegister = draft.AutoRegister,
                NameRule = draft.NameRule,
                PublishTopics = [.. draft.PublishTopics],
                SubscribeTopics = [.. draft.SubscribeTopics],
                CreatedAt = now,
                UpdatedAt = now,
                Attributes = attributes,
                TrustedCas = [.. draft.TrustedCas],
            };
            db.ThingDefinitions.Add(definition);

            var conflict = await SaveAsync(draft.Key, cancellationToken);
            if (conflict is not null)
            {
                return conflict;
            }

            index.Apply(snapshot => snapshot.WithDefinition(DefinitionEntry.From(definition)));
            return RegistryResult<ThingDefinition>.Created(definition);
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    public async Task<RegistryResult<ThingDefinition>> ReplaceAsync(ThingDefinitionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!TryNormalize(draft, out var attributes, out var signature, out var invalid))
        {
            return invalid;
        }

        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var definition = await db.ThingDefinitions
                .Include(d => d.Attributes)
                    .AsSplitQuery()
                .FirstOrDefaultAsync(d => d.Key == draft.Key, cancellationToken);
            if (definition is null)
            {
                return RegistryResult<ThingDefinition>.NotFound($"Thing definition '{draft.Key}' was not found. Create it with POST /api/thing-defs.");
            }

            var holder = signature is null ? null : await SignatureOwners.FindOtherOwnerAsync(db, signature, draft.Key, null, cancellationToken);
            if (holder is not null)
            {
                return SignatureConflict(holder);
            }

            var unknownCa = await FindUnknownCaAsync(draft.TrustedCas, cancellationToken);
            if (unknownCa is not null)
            {
                return unknownCa;
            }

            definition.Name = draft.Name;
            definition.Enabled = draft.Enabled;
            definition.AutoRegister = draft.AutoRegister;
            definition.NameRule = draft.NameRule;
            definition.PublishTopics = [.. draft.PublishTopics];
            definition.SubscribeTopics = [.. draft.SubscribeTopics];
            definition.TrustedCas = [.. draft.TrustedCas];
            definition.Description = draft.Description;
            definition.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            definition.Attributes.Clear();
            definition.Attributes.AddRange(attributes);

            var conflict = await SaveAsync(draft.Key, cancellationToken);
            if (conflict is not null)
            {
                return conflict;
            }

            index.Apply(snapshot => snapshot.WithDefinition(DefinitionEntry.From(definition)));
            return RegistryResult<ThingDefinition>.Ok(definition);
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var deleted = await db.ThingDefinitions.Where(d => d.Key == key).ExecuteDeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                return false;
            }

            index.Apply(snapshot => snapshot.WithoutDefinition(key));
            return true;
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    private static RegistryResult<ThingDefinition> SignatureConflict(string holder) =>
        RegistryResult<ThingDefinition>.Conflict(SignatureOwners.ConflictMessage(holder), SignatureField);

    private static bool TryNormalize(
        ThingDefinitionDraft draft,
        out List<AttributeDefinition> attributes,
        out TlsSignature? signature,
        out RegistryResult<ThingDefinition> invalid)
    {
        attributes = [];
        signature = null;
        invalid = null!;

        foreach (var (key, attribute) in draft.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var value = attribute.DefaultValue;
            if (string.Equals(key, ThingDefinition.SignatureAttributeKey, StringComparison.OrdinalIgnoreCase) && value is not null)
            {
                if (!TlsSignature.TryParse(value, out signature, out var error))
                {
                    invalid = RegistryResult<ThingDefinition>.Invalid(error, SignatureField);
                    return false;
                }

                value = signature.Canonical;
            }

            var storedKey = string.Equals(key, ThingDefinition.SignatureAttributeKey, StringComparison.OrdinalIgnoreCase)
                ? ThingDefinition.SignatureAttributeKey
                : key;
            attributes.Add(new AttributeDefinition { Key = storedKey, Name = attribute.Name, DefaultValue = value });
        }

        return true;
    }

    /// <summary>Returns an invalid result naming the first CA key that is not registered, or null.</summary>
    private async Task<RegistryResult<ThingDefinition>?> FindUnknownCaAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return null;
        }

        var known = await db.TrustedCas.Where(c => keys.Contains(c.Key)).Select(c => c.Key).ToListAsync(cancellationToken);
        var missing = keys.Except(known, StringComparer.Ordinal).FirstOrDefault();
        return missing is null
            ? null
            : RegistryResult<ThingDefinition>.Invalid($"Trusted CA '{missing}' is not registered. Register it with POST /api/cas first.", "trustedCas");
    }

    /// <summary>
    /// Saves, turning a unique-constraint failure from a concurrent writer into a conflict.
    /// </summary>
    private async Task<RegistryResult<ThingDefinition>?> SaveAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException exception) when (exception.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            db.ChangeTracker.Clear();
            return RegistryResult<ThingDefinition>.Conflict($"Thing definition '{key}' conflicts with a stored definition: its key or tlssignature is already in use.");
        }
    }
}
