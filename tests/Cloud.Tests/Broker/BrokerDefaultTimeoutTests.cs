using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Cloud.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cloud.Tests.Broker;

/// <summary>
/// Idle sockets under the default Broker:HandshakeTimeout and Broker:ConnectTimeout (10 s each).
/// Both connections wait at the same time, so the test takes one timeout, not two.
/// </summary>
public sealed class BrokerDefaultTimeoutTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Upper bound for a close that the 10 s defaults must cause, with room for a slow machine.</summary>
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(30);

    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task DefaultTimeoutsCloseIdleSockets()
    {
        using var certificate = TestCertificates.SelfSigned("device-idle", KeyKind.Ec);
        using var silent = new TcpClient();
        using var withoutConnect = new TcpClient();

        await silent.ConnectAsync(factory.BrokerEndpoint);
        var silentClock = Stopwatch.StartNew();
        await withoutConnect.ConnectAsync(factory.BrokerEndpoint);
        using var tls = new SslStream(withoutConnect.GetStream());
        await tls.AuthenticateAsClientAsync(BrokerTestSupport.TlsClientOptions(factory, certificate));
        var withoutConnectClock = Stopwatch.StartNew();

        var closes = await Task.WhenAll(
            BrokerTestSupport.MeasureUntilClosedAsync(silent.GetStream(), silentClock, CloseLimit),
            BrokerTestSupport.MeasureUntilClosedAsync(tls, withoutConnectClock, CloseLimit));

        output.WriteLine($"Socket without TLS handshake closed after {closes[0]?.TotalMilliseconds:F0} ms (default Broker:HandshakeTimeout).");
        output.WriteLine($"TLS connection without CONNECT closed {closes[1]?.TotalMilliseconds:F0} ms after the handshake (default Broker:ConnectTimeout).");
        Assert.NotNull(closes[0]);
        Assert.NotNull(closes[1]);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }
}
