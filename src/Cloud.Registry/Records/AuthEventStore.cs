using Cloud.Registry.Data;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Records;

/// <summary>
/// Filter of a decision record query; null fields do not filter.
/// </summary>
public sealed record AuthEventFilter(string? ClientId, string? Thing, string? Result, DateTime? From, DateTime? To);

/// <summary>
/// Reads decision records, newest first.
/// </summary>
public sealed class AuthEventStore(RegistryDbContext db)
{
    public async Task<(IReadOnlyList<AuthEvent> Items, int Total)> ListAsync(AuthEventFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);

        var query = db.AuthEvents.AsNoTracking();
        if (filter.ClientId is not null)
        {
            query = query.Where(e => e.ClientId == filter.ClientId);
        }

        if (filter.Thing is not null)
        {
            query = query.Where(e => e.Thing == filter.Thing);
        }

        if (filter.Result is not null)
        {
            query = query.Where(e => e.Result == filter.Result);
        }

        if (filter.From is not null)
        {
            query = query.Where(e => e.Time >= filter.From);
        }

        if (filter.To is not null)
        {
            query = query.Where(e => e.Time < filter.To);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return (items, total);
    }
}
