using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Broker;

internal static class BrokerAssert
{
    /// <summary>Event id of the log line the broker writes for each session it closes.</summary>
    public const int SessionClosedEventId = 2020;

    public static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(5);

    public static void NoErrorsLogged(CloudFactory factory)
    {
        var errors = factory.Logs.AtLeast(LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}").ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    public static int SessionsClosed(CloudFactory factory, string clientId) =>
        factory.Logs.Entries.Count(e => e.EventId == SessionClosedEventId && e.Message.Contains($"client {clientId} ", StringComparison.Ordinal));
}
