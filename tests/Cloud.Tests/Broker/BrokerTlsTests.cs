using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Cloud.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using Xunit.Abstractions;

namespace Cloud.Tests.Broker;

/// <summary>
/// The TLS listener: client certificates are required, and idle sockets are closed after
/// Broker:HandshakeTimeout (no TLS handshake) or Broker:ConnectTimeout (TLS but no CONNECT).
/// </summary>
public sealed class BrokerTlsTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Upper bound for a close that the 1 s timeouts below must cause; far above them, so a slow machine passes.</summary>
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(8);

    private readonly CloudFactory factory = new(settings: new Dictionary<string, string?>
    {
        ["Broker:HandshakeTimeout"] = "00:00:01",
        ["Broker:ConnectTimeout"] = "00:00:01",
    });

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task MissingClientCertificateIsRejected(SslProtocols protocol)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        using (client)
        {
            var options = MqttTestClient.Options(factory, "device-without-certificate", certificate: null);
            ((MqttClientTcpOptions)options.ChannelOptions).TlsOptions.SslProtocol = protocol;

            var exception = await Record.ExceptionAsync(() => client.ConnectAsync(options));

            // The client's handshake succeeds on TLS 1.2 and 1.3 alike (measured with .NET 10 on
            // Linux), so the rejection reaches it as a closed connection while it waits for CONNACK.
            output.WriteLine(exception?.ToString());
            var failed = Assert.IsType<MqttConnectingFailedException>(exception);
            Assert.IsType<MqttCommunicationException>(failed.InnerException);
            Assert.False(client.IsConnected);
        }

        var warning = await factory.Logs.WaitForAsync(e => e.EventId == BrokerEvents.NoClientCertificate);
        Assert.Contains("sent no certificate", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.EventId is BrokerEvents.ConnectAllowed or BrokerEvents.ConnectDenied);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task SilentTcpClientIsClosed()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(factory.BrokerEndpoint);
        var stopwatch = Stopwatch.StartNew();

        var closedAfter = await BrokerTestSupport.MeasureUntilClosedAsync(tcp.GetStream(), stopwatch, CloseLimit);

        output.WriteLine($"Socket without TLS handshake closed after {closedAfter?.TotalMilliseconds:F0} ms (Broker:HandshakeTimeout 1 s).");
        Assert.NotNull(closedAfter);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task TlsClientWithoutConnectIsClosed()
    {
        using var certificate = TestCertificates.SelfSigned("device-silent", KeyKind.Ec);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(factory.BrokerEndpoint);
        using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(BrokerTestSupport.TlsClientOptions(factory, certificate));
        var stopwatch = Stopwatch.StartNew();

        var closedAfter = await BrokerTestSupport.MeasureUntilClosedAsync(tls, stopwatch, CloseLimit);

        output.WriteLine($"TLS connection without CONNECT closed {closedAfter?.TotalMilliseconds:F0} ms after the handshake (Broker:ConnectTimeout 1 s).");
        Assert.NotNull(closedAfter);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }
}
