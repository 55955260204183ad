using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Cloud.Tests.Broker;

/// <summary>
/// A stand-in validation endpoint on 127.0.0.1 with a port the OS chooses, with one path per
/// kind of broken response and one that records the certificates it receives.
/// </summary>
public sealed class StubValidationEndpoint : IAsyncLifetime
{
    private WebApplication? app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The cert_pem of the last request to /record.</summary>
    public string? RecordedCertificatePem { get; private set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        app = builder.Build();

        app.MapPost("/slow", async (CancellationToken aborted) =>
        {
            // Longer than the Broker:AuthTimeout of the test; the broker's cancellation ends it early.
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return Results.Json(new { result = "allow", rule = "definition-signature", reason = "Late answer.", thing_def = "late" });
        });
        app.MapPost("/malformed", () => Results.Text("{\"result\":\"allow\",", "application/json"));
        app.MapPost("/maybe", () => Results.Json(new { result = "maybe", rule = "definition-signature", reason = "Undecided." }));
        app.MapPost("/allow-without-definition", () => Results.Json(new { result = "allow", rule = "definition-signature", reason = "Allowed without a definition." }));
        app.MapPost("/server-error", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        app.MapPost("/record", async (HttpRequest request) =>
        {
            using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            RecordedCertificatePem = body.RootElement.GetProperty("cert_pem").GetString();
            return Results.Json(new { result = "deny", rule = "no-match", reason = "Recorded." });
        });

        await app.StartAsync();
        BaseAddress = new Uri(app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>
/// The HTTP decision path (Broker:AuthUrl) sends the client's certificates, and fails closed:
/// every failed, late or malformed response denies the connect and logs the cause at Error.
/// </summary>
public sealed class ValidationEndpointTests(StubValidationEndpoint endpoint) : IClassFixture<StubValidationEndpoint>
{
    private const string DeniedReason = "The validation endpoint failed, so the connect is denied.";

    [Fact]
    public async Task SlowEndpointDenies()
    {
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = new Uri(endpoint.BaseAddress, "/slow").ToString(),
            ["Broker:AuthTimeout"] = "00:00:00.200",
        });

        await AssertDeniedAsync(factory, "did not answer within 200 ms");
    }

    // These keep the default Broker:AuthTimeout of 5 s, so that a first request on a cold,
    // busy machine cannot time out and hide the cause under test.
    [Theory]
    [InlineData("/malformed", "malformed JSON")]
    [InlineData("/maybe", "without a valid result")]
    [InlineData("/allow-without-definition", "without a valid result")]
    [InlineData("/server-error", "returned HTTP 500")]
    public async Task BrokenAnswerDenies(string path, string cause)
    {
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = new Uri(endpoint.BaseAddress, path).ToString(),
        });

        await AssertDeniedAsync(factory, cause);
    }

    [Fact]
    public async Task UnreachableEndpointDenies()
    {
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = $"http://127.0.0.1:{FreePort()}/api/mqtt/auth",
        });

        await AssertDeniedAsync(factory, "could not be reached");
    }

    [Fact]
    public async Task IntermediatesReachEndpoint()
    {
        using var root = TestCertificates.CreateCa("Remote root CA");
        using var intermediate = TestCertificates.CreateCa("Remote issuing CA", root);
        using var certificate = TestCertificates.Issue(intermediate, "device-chain", KeyKind.Ec);
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = new Uri(endpoint.BaseAddress, "/record").ToString(),
        });

        // The .NET TLS client sends intermediates only from a certificate context, so this
        // test speaks MQTT 3.1.1 over its own SslStream.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(factory.BrokerEndpoint);
        using var tls = new SslStream(tcp.GetStream());
        var options = BrokerTestSupport.TlsClientOptions(factory, certificate);
        options.ClientCertificates = null;
        options.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, [intermediate], offline: true);
        await tls.AuthenticateAsClientAsync(options);

        await tls.WriteAsync(Mqtt311Connect("device-chain"));
        var connack = new byte[4];
        await tls.ReadExactlyAsync(connack);

        // CONNACK: type 0x20, remaining length 2, flags, return code 5 (not authorized).
        Assert.Equal(5, connack[3]);

        var sent = new X509Certificate2Collection();
        sent.ImportFromPem(endpoint.RecordedCertificatePem);
        Assert.Equal(2, sent.Count);
        Assert.Equal(certificate.Thumbprint, sent[0].Thumbprint);
        Assert.Equal(intermediate.Thumbprint, sent[1].Thumbprint);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    private static async Task AssertDeniedAsync(CloudFactory factory, string cause)
    {
        using var certificate = TestCertificates.SelfSigned("device-remote", KeyKind.Ec);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-remote", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
            Assert.Equal(DeniedReason, result.ReasonString);
        }

        var error = await factory.Logs.WaitForAsync(e => e.EventId == BrokerEvents.ValidationEndpointFailed);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("client device-remote ", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);

        var decision = await BrokerTestSupport.DecisionAsync(factory, "device-remote");
        Assert.Equal(BrokerEvents.ConnectDenied, decision.EventId);
        Assert.Equal("error", BrokerTestSupport.RuleOf(decision));
        BrokerTestSupport.AssertNoUnexpectedErrors(factory, BrokerEvents.ValidationEndpointFailed);
    }

    /// <summary>Encodes an MQTT 3.1.1 CONNECT with a clean session and a 60 s keep alive (MQTT 3.1.1, section 3.1).</summary>
    private static byte[] Mqtt311Connect(string clientId)
    {
        var id = System.Text.Encoding.UTF8.GetBytes(clientId);
        byte[] variableHeader = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C];
        var remainingLength = variableHeader.Length + 2 + id.Length;
        return [0x10, (byte)remainingLength, .. variableHeader, (byte)(id.Length >> 8), (byte)id.Length, .. id];
    }

    /// <summary>
    /// Returns a loopback port that was free a moment ago. Another process could take it before
    /// the test connects, but on 127.0.0.1 with an OS-chosen port that is unlikely.
    /// </summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
