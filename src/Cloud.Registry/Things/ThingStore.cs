using Cloud.Registry.Data;
using Cloud.Registry.Signatures;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Things;

/// <summary>
/// Content of a thing as a caller submits it.
/// </summary>
/// <param name="Signatures">Up to two signatures in any accepted text form, primary first.</param>
public sealed record ThingDraft(
    string Key,
    string Name,
    string DefinitionKey,
    bool Enabled,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<string> Signatures);

/// <summary>
/// Reads and writes things and keeps <see cref="RegistryIndex"/> current.
/// </summary>
public sealed class ThingStore(RegistryDbContext db, RegistryIndex index, TimeProvider clock)
{
    private const string SignatureField = "tlssignature";

    public async Task<Thing?> FindAsync(string key, CancellationToken cancellationToken) =>
        await db.Things
            .AsNoTracking()
            .Include(t => t.Definition)
            .Include(t => t.Signatures)
            .AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Key == key, cancellationToken);

    public async Task<(IReadOnlyList<Thing> Items, int Total)> ListAsync(string? definitionKey, int offset, int limit, CancellationToken cancellationToken)
    {
        var query = db.Things.AsNoTracking();
        if (definitionKey is not null)
        {
            query = query.Where(t => t.Definition!.Key == definitionKey);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderBy(t => t.Key)
            .Skip(offset)
            .Take(limit)
            .Include(t => t.Definition)
            .Include(t => t.Signatures)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<RegistryResult<Thing>> CreateAsync(ThingDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return await WriteAsync(draft, create: true, autoRegistered: false, cancellationToken);
    }

    public async Task<RegistryResult<Thing>> ReplaceAsync(ThingDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return await WriteAsync(draft, create: false, autoRegistered: false, cancellationToken);
    }

    /// <summary>
    /// Creates the thing a device's first admitted connect names. Succeeds without a change when
    /// the thing already exists under the same definition.
    /// </summary>
    public async Task<RegistryResult<Thing>> AutoRegisterAsync(string key, string definitionKey, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(key, cancellationToken);
        if (existing is not null)
        {
            return existing.Definition!.Key == definitionKey
                ? RegistryResult<Thing>.Ok(existing)
                : RegistryResult<Thing>.Conflict($"Client id '{key}' is a thing of definition '{existing.Definition.Key}'.");
        }

        var draft = new ThingDraft(key, key, definitionKey, Enabled: true, new Dictionary<string, string>(), []);
        return await WriteAsync(draft, create: true, autoRegistered: true, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var deleted = await db.Things.Where(t => t.Key == key).ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                index.Apply(snapshot => snapshot.WithoutThing(key));
            }

            return deleted > 0;
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    private async Task<RegistryResult<Thing>> WriteAsync(ThingDraft draft, bool create, bool autoRegistered, CancellationToken cancellationToken)
    {
        // Signatures are pinned only through the tlssignature list, which is checked against every
        // other pin. An attribute override of that name would bypass the check.
        var reserved = draft.Attributes.Keys.FirstOrDefault(k => string.Equals(k, SignatureField, StringComparison.OrdinalIgnoreCase));
        if (reserved is not null)
        {
            return RegistryResult<Thing>.Invalid(
                $"Attribute '{reserved}' cannot be set on a thing. Send the thing's signatures in its tlssignature list instead.", $"attributes.{reserved}");
        }

        if (!TryParseSignatures(draft.Signatures, out var signatures, out var invalid))
        {
            return invalid;
        }

        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var definition = await db.ThingDefinitions.FirstOrDefaultAsync(d => d.Key == draft.DefinitionKey, cancellationToken);
            if (definition is null)
            {
                return RegistryResult<Thing>.Invalid($"Thing definition '{draft.DefinitionKey}' does not exist. Create it first or name an existing one.", "definition");
            }

            var thing = await db.Things.Include(t => t.Signatures).FirstOrDefaultAsync(t => t.Key == draft.Key, cancellationToken);
            if (create && thing is not null)
            {
                return RegistryResult<Thing>.Conflict($"Thing '{draft.Key}' already exists. Choose another key or replace it with PUT.", "key");
            }

            if (!create && thing is null)
            {
                return RegistryResult<Thing>.NotFound($"Thing '{draft.Key}' was not found. Create it with POST /api/things.");
            }

            foreach (var signature in signatures)
            {
                var owner = await SignatureOwners.FindOtherOwnerAsync(db, signature, null, draft.Key, cancellationToken);
                if (owner is not null)
                {
                    return RegistryResult<Thing>.Conflict(SignatureOwners.ConflictMessage(owner), SignatureField);
                }
            }

            var now = clock.GetUtcNow().UtcDateTime;
            if (thing is null)
            {
                thing = new Thing { Key = draft.Key, Name = draft.Name, CreatedAt = now, AutoRegistered = autoRegistered };
                db.Things.Add(thing);
            }

            thing.Name = draft.Name;
            thing.ThingDefinitionId = definition.Id;
            thing.Enabled = draft.Enabled;
            thing.Attributes = new Dictionary<string, string>(draft.Attributes, StringComparer.Ordinal);
            thing.UpdatedAt = now;
            thing.Signatures.Clear();
            thing.Signatures.AddRange(signatures.Select((s, slot) => new ThingSignature { Slot = slot, Value = s.Canonical }));

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.InnerException is SqliteException { SqliteErrorCode: 19 })
            {
                db.ChangeTracker.Clear();
                return RegistryResult<Thing>.Conflict($"Thing '{draft.Key}' conflicts with a stored thing: its key or a tlssignature is already in use.");
            }

            thing.Definition = definition;
            var entry = ThingEntry.From(thing, definition.Key);
            index.Apply(snapshot => snapshot.WithThing(entry));
            return create ? RegistryResult<Thing>.Created(thing) : RegistryResult<Thing>.Ok(thing);
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    private static bool TryParseSignatures(IReadOnlyList<string> values, out List<TlsSignature> signatures, out RegistryResult<Thing> invalid)
    {
        signatures = [];
        invalid = null!;
        if (values.Count > Thing.MaxSignatures)
        {
            invalid = RegistryResult<Thing>.Invalid($"A thing holds at most {Thing.MaxSignatures} signatures (primary and secondary), not {values.Count}.", SignatureField);
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!TlsSignature.TryParse(values[i], out var signature, out var error))
            {
                invalid = RegistryResult<Thing>.Invalid(error, $"{SignatureField}[{i}]");
                return false;
            }

            if (signatures.Contains(signature))
            {
                invalid = RegistryResult<Thing>.Invalid("The primary and secondary signatures are the same; send it once.", $"{SignatureField}[{i}]");
                return false;
            }

            signatures.Add(signature);
        }

        return true;
    }
}
