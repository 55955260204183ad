using System.Net;
using Cloud.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cloud.Tests.Broker;

/// <summary>
/// CONNECT decisions of the embedded broker over real TLS, with the in-process admission rules.
/// </summary>
public sealed class BrokerAdmissionTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    public static TheoryData<KeyKind, bool, MqttProtocolVersion> RegisteredCases()
    {
        var cases = new TheoryData<KeyKind, bool, MqttProtocolVersion>();
        foreach (var kind in new[] { KeyKind.Rsa, KeyKind.Ec })
        {
            foreach (var caSigned in new[] { false, true })
            {
                foreach (var version in new[] { MqttProtocolVersion.V500, MqttProtocolVersion.V311 })
                {
                    cases.Add(kind, caSigned, version);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(RegisteredCases))]
    public async Task RegisteredSignatureConnects(KeyKind kind, bool caSigned, MqttProtocolVersion version)
    {
        using var ca = TestCertificates.CreateCa("Device CA", kind: kind);
        using var certificate = caSigned
            ? TestCertificates.Issue(ca, "device-registered", kind)
            : TestCertificates.SelfSigned("device-registered", kind);
        await BrokerTestSupport.RegisterAsync(factory.CreateClient(), "sensor_v1", certificate);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-registered", certificate, version);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            Assert.True(client.IsConnected);
            await client.DisconnectAsync();
        }

        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task UnregisteredSignatureIsNotAuthorizedOnMqtt5()
    {
        using var certificate = TestCertificates.SelfSigned("device-unknown", KeyKind.Ec);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-unknown", certificate, MqttProtocolVersion.V500);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);
            Assert.Contains("the certificate signature is not registered", result.ReasonString, StringComparison.Ordinal);
            Assert.False(client.IsConnected);
        }

        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task UnregisteredSignatureIsNotAuthorizedOnMqtt311()
    {
        using var certificate = TestCertificates.SelfSigned("device-unknown", KeyKind.Rsa);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-unknown", certificate, MqttProtocolVersion.V311);
        using (client)
        {
            // MQTT 3.1.1 return code 5 (Connection Refused, not authorized); MQTTnet 5.2 reports it as NotAuthorized.
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, result.ResultCode);

            // MQTT 3.1.1 CONNACK has no reason string.
            Assert.Null(result.ReasonString);
            Assert.False(client.IsConnected);
        }

        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task DeletedDefinitionIsNotAuthorized()
    {
        using var certificate = TestCertificates.SelfSigned("device-deleted", KeyKind.Ec);
        var http = factory.CreateClient();
        await BrokerTestSupport.RegisterAsync(http, "sensor_deleted", certificate);

        var (first, before) = await MqttTestClient.ConnectAsync(factory, "device-deleted", certificate);
        using (first)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, before.ResultCode);
            await first.DisconnectAsync();
        }

        var deleted = await http.DeleteAsync(new Uri("/api/thing-defs/sensor_deleted", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var (second, after) = await MqttTestClient.ConnectAsync(factory, "device-deleted", certificate);
        using (second)
        {
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized, after.ResultCode);
        }

        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }

    [Fact]
    public async Task Version1CertificateConnects()
    {
        using var certificate = TestCertificates.SelfSignedVersion1("device-v1");
        Assert.Equal(1, certificate.Version);
        Assert.Empty(certificate.Extensions);
        await BrokerTestSupport.RegisterAsync(factory.CreateClient(), "legacy_v1", certificate);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-v1", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            await client.DisconnectAsync();
        }

        BrokerTestSupport.AssertNoUnexpectedErrors(factory);
    }
}
