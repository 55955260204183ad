using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Cloud.Tests.Broker;

/// <summary>
/// The log line the broker writes for each CONNECT decision.
/// </summary>
public sealed class BrokerDecisionLogTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AllowedConnectIsLogged()
    {
        using var certificate = TestCertificates.SelfSigned("device-logged-allow", KeyKind.Ec);
        await BrokerTestSupport.RegisterAsync(factory.CreateClient(), "sensor_logged", certificate);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-logged-allow", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            await client.DisconnectAsync();
        }

        var decision = await BrokerTestSupport.DecisionAsync(factory, "device-logged-allow");
        Assert.Equal(BrokerEvents.ConnectAllowed, decision.EventId);
        Assert.Contains("client device-logged-allow ", decision.Message, StringComparison.Ordinal);
        Assert.Matches(@" from 127\.0\.0\.1:\d+,", decision.Message);
        Assert.Contains(BrokerTestSupport.Fingerprint(certificate), decision.Message, StringComparison.Ordinal);
        Assert.Equal("definition-signature", BrokerTestSupport.RuleOf(decision));
        Assert.Contains("thing definition 'sensor_logged'", decision.Message, StringComparison.Ordinal);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task DeniedConnectIsLogged()
    {
        using var certificate = TestCertificates.SelfSigned("device-logged-deny", KeyKind.Rsa);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-logged-deny", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
        }

        var decision = await BrokerTestSupport.DecisionAsync(factory, "device-logged-deny");
        Assert.Equal(BrokerEvents.ConnectDenied, decision.EventId);
        Assert.Equal(LogLevel.Warning, decision.Level);
        Assert.Contains("client device-logged-deny ", decision.Message, StringComparison.Ordinal);
        Assert.Matches(@" from 127\.0\.0\.1:\d+,", decision.Message);
        Assert.Contains(BrokerTestSupport.Fingerprint(certificate), decision.Message, StringComparison.Ordinal);
        Assert.Equal("no-match", BrokerTestSupport.RuleOf(decision));
        Assert.Contains("rule no-match: Client id", decision.Message, StringComparison.Ordinal);
        Assert.Contains("the certificate signature is not registered", decision.Message, StringComparison.Ordinal);
        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }
}
