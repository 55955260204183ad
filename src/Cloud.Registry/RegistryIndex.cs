using Cloud.Registry.Data;
using Cloud.Registry.Signatures;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry;

/// <summary>
/// In-memory copy of the registry state that admission reads on every connect, so that a
/// connect costs no database query. Writers replace the snapshot after each committed change
/// and raise <see cref="Changed"/>.
/// </summary>
public sealed class RegistryIndex
{
    private RegistrySnapshot current = RegistrySnapshot.Empty;

    /// <summary>Raised after a committed change, with the new snapshot.</summary>
    public event Action<RegistrySnapshot>? Changed;

    public RegistrySnapshot Current => Volatile.Read(ref current);

    /// <summary>
    /// Serialises registry writes, so that snapshots are published in commit order.
    /// </summary>
    internal SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Replaces the snapshot with the full content of the database.</summary>
    public async Task LoadAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);

        var snapshot = RegistrySnapshot.Empty;

        var cas = await db.TrustedCas.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var ca in cas)
        {
            snapshot = snapshot.WithCa(CaEntry.From(ca));
        }

        var definitions = await db.ThingDefinitions
            .AsNoTracking()
            .Include(d => d.Attributes)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        foreach (var definition in definitions)
        {
            snapshot = snapshot.WithDefinition(DefinitionEntry.From(definition));
        }

        var definitionKeys = definitions.ToDictionary(d => d.Id, d => d.Key);
        var things = await db.Things.AsNoTracking().Include(t => t.Signatures).AsSplitQuery().ToListAsync(cancellationToken);
        foreach (var thing in things)
        {
            snapshot = snapshot.WithThing(ThingEntry.From(thing, definitionKeys[thing.ThingDefinitionId]));
        }

        var revocations = await db.Revocations.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var revocation in revocations)
        {
            snapshot = snapshot.WithRevocation(new RevocationEntry(TlsSignature.Parse(revocation.Signature), revocation.Reason, revocation.RevokedAt));
        }

        Publish(snapshot);
    }

    /// <summary>
    /// Publishes the result of a committed change. Callers hold <see cref="WriteLock"/>.
    /// </summary>
    internal void Publish(RegistrySnapshot snapshot)
    {
        var next = snapshot with { Version = Current.Version + 1 };
        Volatile.Write(ref current, next);
        Changed?.Invoke(next);
    }

    /// <summary>Applies a change to the current snapshot and publishes it.</summary>
    internal void Apply(Func<RegistrySnapshot, RegistrySnapshot> change) => Publish(change(Current));
}
