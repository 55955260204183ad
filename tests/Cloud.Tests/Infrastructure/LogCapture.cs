using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Logger provider that keeps every entry, so tests can assert on decisions and on
/// unexpected errors.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IEnumerable<LogEntry> AtLeast(LogLevel level) => entries.Where(e => e.Level >= level);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, entries);

    public void Dispose()
    {
    }

    /// <summary>Waits until an entry matches, or fails after the timeout.</summary>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var match = entries.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No matching log entry was written in time.");
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            entries.Enqueue(new LogEntry(logLevel, category, eventId.Id, formatter(state, exception), exception));
        }
    }
}

public sealed record LogEntry(LogLevel Level, string Category, int EventId, string Message, Exception? Exception);
