using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cloud.Tests.Broker;

/// <summary>
/// Service A serves its API over real HTTP on 127.0.0.1; service B's broker sends each CONNECT to A's
/// validation endpoint (Broker:AuthUrl). Both brokers must reach the same decision for the same certificate.
/// </summary>
public sealed class DecisionPathFixture : IDisposable
{
    public DecisionPathFixture()
    {
        Local = new CloudFactory();
        Local.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Local.StartServer();

        var addresses = Local.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        ApiAddress = new Uri(addresses.Addresses.Single());
        Api = new HttpClient { BaseAddress = ApiAddress };
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Local.AdminKey);
        var brokerKey = Local.CreateApiKeyAsync(Cloud.Registry.ApiKeys.ApiKeyRoles.Broker).GetAwaiter().GetResult();

        Remote = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = new Uri(ApiAddress, "/api/mqtt/auth").ToString(),
            ["Broker:AuthApiKey"] = brokerKey,
        });
        _ = Remote.Services;
    }

    /// <summary>Service A: registry, validation endpoint, and a broker with in-process admission.</summary>
    public CloudFactory Local { get; }

    /// <summary>Service B: a broker that calls A's validation endpoint.</summary>
    public CloudFactory Remote { get; }

    public Uri ApiAddress { get; }

    /// <summary>HTTP client of A's API over the socket.</summary>
    public HttpClient Api { get; }

    public void Dispose()
    {
        Api.Dispose();
        Remote.Dispose();
        Local.Dispose();
    }
}

public sealed class BrokerDecisionPathTests(DecisionPathFixture services) : IClassFixture<DecisionPathFixture>
{
    public enum Device
    {
        RegisteredRsaSelfSigned,
        RegisteredEcCaSigned,
        RegisteredOnMqtt311,
        Unregistered,
    }

    [Fact]
    public void ApiListensOnLoopback()
    {
        Assert.Equal(IPAddress.Loopback.ToString(), services.ApiAddress.Host);
        Assert.NotEqual(0, services.ApiAddress.Port);
    }

    [Theory]
    [InlineData(Device.RegisteredRsaSelfSigned)]
    [InlineData(Device.RegisteredEcCaSigned)]
    [InlineData(Device.RegisteredOnMqtt311)]
    [InlineData(Device.Unregistered)]
    public async Task BothPathsDecideAlike(Device testCase)
    {
        var clientId = $"device-{testCase}";
        using var ca = TestCertificates.CreateCa($"CA {testCase}");
        using var certificate = testCase == Device.RegisteredEcCaSigned
            ? TestCertificates.Issue(ca, clientId, KeyKind.Ec)
            : TestCertificates.SelfSigned(clientId, KeyKind.Rsa);
        var version = testCase == Device.RegisteredOnMqtt311 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
        if (testCase != Device.Unregistered)
        {
            // Only A's registry contains the definition, so B can admit the device only through A's endpoint.
            await BrokerTestSupport.RegisterAsync(services.Api, $"def_{testCase}", certificate);
        }

        // The first admitted connect registers the thing, which changes the reason text of later
        // connects; both compared connects therefore come after it.
        await ConnectAsync(services.Local, clientId, certificate, version);
        var local = await ConnectAsync(services.Local, clientId, certificate, version);
        var remote = await ConnectAsync(services.Remote, clientId, certificate, version);

        var expected = testCase == Device.Unregistered ? MqttClientConnectResultCode.NotAuthorized : MqttClientConnectResultCode.Success;
        Assert.Equal(expected, local.Result.ResultCode);
        Assert.Equal(local.Result.ResultCode, remote.Result.ResultCode);
        Assert.Equal(local.Result.ReasonString, remote.Result.ReasonString);
        Assert.Equal(local.Decision.EventId, remote.Decision.EventId);
        Assert.Equal(BrokerTestSupport.RuleOf(local.Decision), BrokerTestSupport.RuleOf(remote.Decision));
        Assert.Equal(ReasonOf(local.Decision), ReasonOf(remote.Decision));
        Assert.Contains(BrokerTestSupport.Fingerprint(certificate), remote.Decision.Message, StringComparison.Ordinal);
        BrokerTestSupport.AssertNoUnexpectedErrors(services.Local);
        BrokerTestSupport.AssertNoUnexpectedErrors(services.Remote);
    }

    private static async Task<(MqttClientConnectResult Result, LogEntry Decision)> ConnectAsync(
        CloudFactory factory, string clientId, X509Certificate2 certificate, MqttProtocolVersion version)
    {
        var (client, result) = await MqttTestClient.ConnectAsync(factory, clientId, certificate, version);
        using (client)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }
        }

        // The decision is logged before CONNACK, so the newest matching line belongs to this connect.
        await BrokerTestSupport.DecisionAsync(factory, clientId);
        var decision = factory.Logs.Entries.Last(e =>
            e.EventId is BrokerEvents.ConnectAllowed or BrokerEvents.ConnectDenied &&
            e.Message.Contains($"client {clientId} from ", StringComparison.Ordinal));
        return (result, decision);
    }

    /// <summary>The reason at the end of a decision log line, after the last ": ".</summary>
    private static string ReasonOf(LogEntry decision) =>
        decision.Message[(decision.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
}
