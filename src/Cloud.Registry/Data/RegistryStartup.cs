using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cloud.Registry.Data;

/// <summary>
/// Applies pending migrations and loads <see cref="RegistryIndex"/> before the broker and the
/// API take traffic. Hosted services start in registration order, and this one is registered
/// with the registry, before the broker.
/// </summary>
internal sealed partial class RegistryStartup(IServiceScopeFactory scopes, RegistryIndex index, ILogger<RegistryStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();

        await RegistryMigrator.MigrateAsync(db, logger, cancellationToken);
        await index.LoadAsync(db, cancellationToken);
        LogIndexLoaded(logger, index.Current.Definitions.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Loaded {DefinitionCount} thing definitions into the admission index")]
    private static partial void LogIndexLoaded(ILogger logger, int definitionCount);
}

/// <summary>
/// Applies EF Core migrations with a log line per migration.
/// </summary>
public static partial class RegistryMigrator
{
    public static async Task MigrateAsync(RegistryDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(logger);

        var dataSource = db.Database.GetDbConnection().DataSource;
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            LogSchemaCurrent(logger, dataSource);
            return;
        }

        var names = string.Join(", ", pending);
        LogApplying(logger, pending.Count, dataSource, names);
        await db.Database.MigrateAsync(cancellationToken);
        LogApplied(logger, pending.Count, dataSource);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Registry schema in {DataSource} is up to date")]
    private static partial void LogSchemaCurrent(ILogger logger, string dataSource);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applying {MigrationCount} migrations to {DataSource}: {Migrations}")]
    private static partial void LogApplying(ILogger logger, int migrationCount, string dataSource, string migrations);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Applied {MigrationCount} migrations to {DataSource}")]
    private static partial void LogApplied(ILogger logger, int migrationCount, string dataSource);
}
