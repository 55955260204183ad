using System.Collections.Immutable;
using Cloud.Registry.Data;
using Cloud.Registry.Signatures;
using Cloud.Registry.ThingDefinitions;
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

        var definitions = await db.ThingDefinitions
            .AsNoTracking()
            .Include(d => d.Attributes)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        var snapshot = RegistrySnapshot.Empty;
        foreach (var definition in definitions)
        {
            snapshot = snapshot.WithDefinition(DefinitionEntry.From(definition));
        }

        Publish(snapshot);
    }

    internal void Publish(RegistrySnapshot snapshot)
    {
        Volatile.Write(ref current, snapshot);
        Changed?.Invoke(snapshot);
    }
}

/// <summary>
/// Immutable registry state at one point in time.
/// </summary>
public sealed record RegistrySnapshot(
    ImmutableDictionary<string, DefinitionEntry> Definitions,
    ImmutableDictionary<TlsSignature, DefinitionEntry> DefinitionsBySignature)
{
    public static RegistrySnapshot Empty { get; } = new(
        ImmutableDictionary.Create<string, DefinitionEntry>(StringComparer.Ordinal),
        ImmutableDictionary<TlsSignature, DefinitionEntry>.Empty);

    public DefinitionEntry? FindBySignature(TlsSignature signature) =>
        DefinitionsBySignature.GetValueOrDefault(signature);

    internal RegistrySnapshot WithDefinition(DefinitionEntry entry)
    {
        var next = WithoutDefinition(entry.Key);
        return new RegistrySnapshot(
            next.Definitions.SetItem(entry.Key, entry),
            entry.Signature is null ? next.DefinitionsBySignature : next.DefinitionsBySignature.SetItem(entry.Signature, entry));
    }

    internal RegistrySnapshot WithoutDefinition(string key)
    {
        if (!Definitions.TryGetValue(key, out var existing))
        {
            return this;
        }

        return new RegistrySnapshot(
            Definitions.Remove(key),
            existing.Signature is null ? DefinitionsBySignature : DefinitionsBySignature.Remove(existing.Signature));
    }
}

/// <summary>
/// Thing definition facts that admission needs.
/// </summary>
public sealed record DefinitionEntry(string Key, string Name, TlsSignature? Signature)
{
    internal static DefinitionEntry From(ThingDefinition definition)
    {
        var canonical = definition.SignatureCanonical;
        return new DefinitionEntry(
            definition.Key,
            definition.Name,
            canonical is null ? null : TlsSignature.Parse(canonical));
    }
}
