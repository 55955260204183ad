using Cloud.Registry.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Registry.Records;

/// <summary>
/// Writes queued decision records in batches, off the connect path, and applies retention.
/// A batch that fails to write is logged and lost, so that a database fault cannot fill memory.
/// </summary>
internal sealed partial class DecisionRecordWriter(
    DecisionRecorder recorder,
    IServiceScopeFactory scopes,
    IOptions<DecisionRecordOptions> options,
    TimeProvider clock,
    ILogger<DecisionRecordWriter> logger) : BackgroundService
{
    private long reportedDrops;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // The first run waits one interval, because this service starts before RegistryStartup
        // has migrated the database.
        var nextRetention = clock.GetUtcNow() + settings.RetentionInterval;
        var batch = new List<AuthEvent>(settings.BatchSize);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitForRecordsAsync(nextRetention - clock.GetUtcNow(), stoppingToken);
                while (batch.Count < settings.BatchSize && recorder.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }

                if (batch.Count > 0)
                {
                    await WriteAsync(batch, stoppingToken);
                    batch.Clear();
                    ReportDrops();
                }

                if (clock.GetUtcNow() >= nextRetention)
                {
                    await ApplyRetentionAsync(stoppingToken);
                    nextRetention = clock.GetUtcNow() + settings.RetentionInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Records still buffered at shutdown are written below when possible.
        }

        while (recorder.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }

        if (batch.Count > 0)
        {
            await WriteAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits until records are queued or the next retention run is due, so that retention also
    /// runs while no records arrive.
    /// </summary>
    private async Task WaitForRecordsAsync(TimeSpan untilRetention, CancellationToken stoppingToken)
    {
        if (untilRetention <= TimeSpan.Zero)
        {
            return;
        }

        using var due = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        due.CancelAfter(untilRetention);
        try
        {
            await recorder.Reader.WaitToReadAsync(due.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Retention is due.
        }
    }

    /// <summary>
    /// Stops the writer. WebApplicationFactory can dispose a host before stopping it again, so a
    /// stop after disposal is ignored rather than failing the shutdown.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // Already stopped and disposed; the records were flushed by the first stop.
        }
    }

    private async Task WriteAsync(List<AuthEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            db.AuthEvents.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            recorder.CountWritten(batch.Count);
        }
        catch (Exception exception) when (exception is DbUpdateException or SqliteException or InvalidOperationException)
        {
            LogWriteFailed(logger, batch.Count, exception);
        }
    }

    private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            var cutoff = clock.GetUtcNow().UtcDateTime - settings.MaxAge;
            var expired = await db.AuthEvents.Where(e => e.Time < cutoff).ExecuteDeleteAsync(cancellationToken);

            var newestBeyondLimit = await db.AuthEvents
                .OrderByDescending(e => e.Id)
                .Skip(settings.MaxCount)
                .Select(e => (long?)e.Id)
                .FirstOrDefaultAsync(cancellationToken);
            var surplus = newestBeyondLimit is null
                ? 0
                : await db.AuthEvents.Where(e => e.Id <= newestBeyondLimit).ExecuteDeleteAsync(cancellationToken);

            if (expired + surplus > 0)
            {
                LogRetention(logger, expired, surplus);
            }
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException)
        {
            LogRetentionFailed(logger, exception);
        }
    }

    /// <summary>Logs dropped records at most once per batch, with the count since the last report.</summary>
    private void ReportDrops()
    {
        var dropped = recorder.Dropped;
        if (dropped > reportedDrops)
        {
            LogDropped(logger, dropped - reportedDrops, dropped);
            reportedDrops = dropped;
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Writing {RecordCount} decision records failed; they are lost")]
    private static partial void LogWriteFailed(ILogger logger, int recordCount, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Decision record buffer was full: {NewlyDropped} records dropped, {TotalDropped} since start")]
    private static partial void LogDropped(ILogger logger, long newlyDropped, long totalDropped);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Retention deleted {ExpiredCount} expired and {SurplusCount} surplus decision records")]
    private static partial void LogRetention(ILogger logger, int expiredCount, int surplusCount);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Applying decision record retention failed; the next run retries")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);
}
