using System.Net;
using System.Net.Sockets;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Broker;

/// <summary>
/// The host must not run without its broker: a port that cannot be bound fails the start.
/// </summary>
public sealed class BrokerStartupTests
{
    /// <summary>Event id of "Hosting failed to start" in Microsoft.Extensions.Hosting 10.</summary>
    private const int HostingFailedToStart = 11;

    [Fact]
    public void BusyPortFailsStart()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var exception = Record.Exception(() => factory.Services);

        Assert.IsAssignableFrom<InvalidOperationException>(exception);
        Assert.Contains($"127.0.0.1:{port}", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(exception.InnerException);

        var critical = Assert.Single(factory.Logs.AtLeast(LogLevel.Critical));
        Assert.Equal(BrokerEvents.ListenFailed, critical.EventId);
        Assert.Contains("failed to listen", critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId == BrokerEvents.Started);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory, BrokerEvents.ListenFailed, HostingFailedToStart);
    }
}
