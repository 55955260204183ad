using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Broker.Throttling;

/// <summary>
/// What the throttle decides for a connect: go ahead, go ahead after a delay, or reject.
/// </summary>
internal readonly record struct ThrottleVerdict(TimeSpan Delay, DateTimeOffset? BlockedUntil, string? Key)
{
    public static ThrottleVerdict Pass { get; } = new(TimeSpan.Zero, null, null);

    public bool IsBlocked => BlockedUntil is not null;
}

/// <summary>
/// Counts rejected connects per remote IP address and per client id in a sliding window, slows
/// and then rejects repeat offenders. It logs a slowed offender at most once per window and
/// each start of a block, never each attempt.
/// </summary>
internal sealed class ConnectThrottle(IOptions<BrokerOptions> options, TimeProvider clock, ILogger<ConnectThrottle> logger)
{
    private readonly ConcurrentDictionary<string, Tracker> trackers = new(StringComparer.Ordinal);

    private ThrottleOptions Settings => options.Value.Throttle;

    public ThrottleVerdict Check(string address, string clientId)
    {
        if (!Settings.Enabled)
        {
            return ThrottleVerdict.Pass;
        }

        var now = clock.GetUtcNow();
        var verdict = ThrottleVerdict.Pass;
        foreach (var key in Keys(address, clientId))
        {
            if (!trackers.TryGetValue(key, out var tracker))
            {
                continue;
            }

            var next = tracker.Judge(key, now, Settings);
            if (next.IsBlocked)
            {
                return next;
            }

            if (next.Delay > verdict.Delay)
            {
                verdict = next;
            }
        }

        return verdict;
    }

    public void RecordFailure(string address, string clientId)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (trackers.Count >= Settings.MaxTrackedKeys)
        {
            ForgetQuiet(now);
        }

        foreach (var key in Keys(address, clientId))
        {
            var tracker = trackers.GetOrAdd(key, _ => new Tracker());
            var report = tracker.CountFailure(now, Settings);
            if (report is not null)
            {
                BrokerLog.Throttled(logger, key, report.Value.Failures, report.Value.Action, report.Value.Suppressed);
            }
        }
    }

    private static IEnumerable<string> Keys(string address, string clientId)
    {
        yield return "address " + address;
        if (clientId.Length > 0)
        {
            yield return "client id " + clientId;
        }
    }

    private void ForgetQuiet(DateTimeOffset now)
    {
        foreach (var (key, tracker) in trackers)
        {
            if (tracker.IsQuiet(now, Settings))
            {
                trackers.TryRemove(key, out _);
            }
        }
    }

    private sealed class Tracker
    {
        private readonly Queue<DateTimeOffset> failures = new();
        private DateTimeOffset? blockedUntil;
        private DateTimeOffset lastReport = DateTimeOffset.MinValue;
        private int suppressed;

        public ThrottleVerdict Judge(string key, DateTimeOffset now, ThrottleOptions settings)
        {
            lock (failures)
            {
                if (blockedUntil > now)
                {
                    return new ThrottleVerdict(TimeSpan.Zero, blockedUntil, key);
                }

                Prune(now, settings);
                return failures.Count >= settings.SlowAfter ? new ThrottleVerdict(settings.Delay, null, key) : ThrottleVerdict.Pass;
            }
        }

        /// <summary>Counts a refusal; returns what to log, or null within the current log window.</summary>
        public (int Failures, string Action, int Suppressed)? CountFailure(DateTimeOffset now, ThrottleOptions settings)
        {
            lock (failures)
            {
                Prune(now, settings);
                failures.Enqueue(now);
                var count = failures.Count;
                if (count >= settings.BlockAfter && !(blockedUntil > now))
                {
                    blockedUntil = now + settings.BlockFor;
                    return Report(now, count, $"rejected until {blockedUntil:O}", settings.Window, force: true);
                }

                return count >= settings.SlowAfter
                    ? Report(now, count, $"slowed by {settings.Delay.TotalMilliseconds} ms per connect", settings.Window, force: false)
                    : null;
            }
        }

        public bool IsQuiet(DateTimeOffset now, ThrottleOptions settings)
        {
            lock (failures)
            {
                Prune(now, settings);
                return failures.Count == 0 && !(blockedUntil > now);
            }
        }

        private (int, string, int)? Report(DateTimeOffset now, int count, string action, TimeSpan window, bool force)
        {
            if (!force && now - lastReport < window)
            {
                suppressed++;
                return null;
            }

            var skipped = suppressed;
            suppressed = 0;
            lastReport = now;
            return (count, action, skipped);
        }

        private void Prune(DateTimeOffset now, ThrottleOptions settings)
        {
            while (failures.Count > 0 && (now - failures.Peek() > settings.Window || failures.Count > settings.BlockAfter))
            {
                failures.Dequeue();
            }
        }
    }
}
