using Cloud.Registry.Data;
using Cloud.Registry.Signatures;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Revocations;

/// <summary>
/// Reads and writes the revoked-signature list and keeps <see cref="RegistryIndex"/> current.
/// </summary>
public sealed class RevocationStore(RegistryDbContext db, RegistryIndex index, TimeProvider clock)
{
    public async Task<Revocation?> FindAsync(long id, CancellationToken cancellationToken) =>
        await db.Revocations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    public async Task<(IReadOnlyList<Revocation> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var total = await db.Revocations.CountAsync(cancellationToken);
        var items = await db.Revocations.AsNoTracking()
            .OrderByDescending(r => r.RevokedAt)
            .ThenByDescending(r => r.Id)
            .Skip(offset)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<RegistryResult<Revocation>> CreateAsync(TlsSignature signature, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signature);

        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var canonical = signature.Canonical;
            var existing = await db.Revocations.AsNoTracking().FirstOrDefaultAsync(r => r.Signature == canonical, cancellationToken);
            if (existing is not null)
            {
                return RegistryResult<Revocation>.Conflict($"This signature is already revoked (revocation {existing.Id}).", "signature");
            }

            var revocation = new Revocation { Signature = canonical, Reason = reason, RevokedAt = clock.GetUtcNow().UtcDateTime };
            db.Revocations.Add(revocation);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.InnerException is SqliteException { SqliteErrorCode: 19 })
            {
                db.ChangeTracker.Clear();
                return RegistryResult<Revocation>.Conflict("This signature is already revoked.", "signature");
            }

            index.Apply(snapshot => snapshot.WithRevocation(new RevocationEntry(signature, reason, revocation.RevokedAt)));
            return RegistryResult<Revocation>.Created(revocation);
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var revocation = await db.Revocations.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (revocation is null)
            {
                return false;
            }

            db.Revocations.Remove(revocation);
            await db.SaveChangesAsync(cancellationToken);
            var signature = TlsSignature.Parse(revocation.Signature);
            index.Apply(snapshot => snapshot.WithoutRevocation(signature));
            return true;
        }
        finally
        {
            index.WriteLock.Release();
        }
    }
}
