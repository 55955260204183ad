using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Registry.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Authorities;

/// <summary>
/// Content of a CA registration: the parsed certificate and its settings.
/// </summary>
public sealed record TrustedCaDraft(string Key, string Name, X509Certificate2 Certificate, bool Enabled);

/// <summary>
/// Reads and writes trusted CA certificates and keeps <see cref="RegistryIndex"/> current.
/// </summary>
public sealed class TrustedCaStore(RegistryDbContext db, RegistryIndex index, TimeProvider clock)
{
    public async Task<TrustedCa?> FindAsync(string key, CancellationToken cancellationToken) =>
        await db.TrustedCas.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, cancellationToken);

    public async Task<(IReadOnlyList<TrustedCa> Items, int Total)> ListAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var total = await db.TrustedCas.CountAsync(cancellationToken);
        var items = await db.TrustedCas.AsNoTracking().OrderBy(c => c.Key).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>
    /// Checks that a certificate may act as a CA: basic constraints with cA set
    /// (RFC 5280, section 4.2.1.9), and keyCertSign when a key usage extension is present.
    /// </summary>
    public static string? ValidateCaCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);

        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
        {
            return $"The certificate '{certificate.Subject}' is not a CA certificate: its basic constraints do not set CA:TRUE.";
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return $"The certificate '{certificate.Subject}' may not sign certificates: its key usage lacks keyCertSign.";
        }

        return null;
    }

    public async Task<RegistryResult<TrustedCa>> CreateAsync(TrustedCaDraft draft, CancellationToken cancellationToken) =>
        await WriteAsync(draft, create: true, cancellationToken);

    public async Task<RegistryResult<TrustedCa>> ReplaceAsync(TrustedCaDraft draft, CancellationToken cancellationToken) =>
        await WriteAsync(draft, create: false, cancellationToken);

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var deleted = await db.TrustedCas.Where(c => c.Key == key).ExecuteDeleteAsync(cancellationToken);
            if (deleted > 0)
            {
                index.Apply(snapshot => snapshot.WithoutCa(key));
            }

            return deleted > 0;
        }
        finally
        {
            index.WriteLock.Release();
        }
    }

    private async Task<RegistryResult<TrustedCa>> WriteAsync(TrustedCaDraft draft, bool create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var invalid = ValidateCaCertificate(draft.Certificate);
        if (invalid is not null)
        {
            return RegistryResult<TrustedCa>.Invalid(invalid, "certificate");
        }

        var der = draft.Certificate.RawData;
        var fingerprint = string.Join(':', SHA256.HashData(der).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        await index.WriteLock.WaitAsync(cancellationToken);
        try
        {
            var ca = await db.TrustedCas.FirstOrDefaultAsync(c => c.Key == draft.Key, cancellationToken);
            if (create && ca is not null)
            {
                return RegistryResult<TrustedCa>.Conflict($"CA '{draft.Key}' already exists. Choose another key or replace it with PUT.", "key");
            }

            if (!create && ca is null)
            {
                return RegistryResult<TrustedCa>.NotFound($"CA '{draft.Key}' was not found. Register it with POST /api/cas.");
            }

            var holder = await db.TrustedCas.Where(c => c.Fingerprint == fingerprint && c.Key != draft.Key).Select(c => c.Key).FirstOrDefaultAsync(cancellationToken);
            if (holder is not null)
            {
                return RegistryResult<TrustedCa>.Conflict($"This certificate is already registered as CA '{holder}'.", "certificate");
            }

            var now = clock.GetUtcNow().UtcDateTime;
            if (ca is null)
            {
                ca = new TrustedCa { Key = draft.Key, Name = draft.Name, Certificate = der, Fingerprint = fingerprint, Subject = draft.Certificate.Subject, CreatedAt = now };
                db.TrustedCas.Add(ca);
            }

            ca.Name = draft.Name;
            ca.Certificate = der;
            ca.Fingerprint = fingerprint;
            ca.Subject = draft.Certificate.Subject;
            ca.Enabled = draft.Enabled;
            ca.UpdatedAt = now;

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.InnerException is SqliteException { SqliteErrorCode: 19 })
            {
                db.ChangeTracker.Clear();
                return RegistryResult<TrustedCa>.Conflict($"CA '{draft.Key}' conflicts with a stored CA: its key or certificate is already registered.");
            }

            var entry = CaEntry.From(ca);
            index.Apply(snapshot => snapshot.WithCa(entry));
            return create ? RegistryResult<TrustedCa>.Created(ca) : RegistryResult<TrustedCa>.Ok(ca);
        }
        finally
        {
            index.WriteLock.Release();
        }
    }
}
