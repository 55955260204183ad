using Cloud.Tests.Infrastructure;
using MQTTnet;
using System.Net.Http.Json;
using Cloud.Registry.Signatures;

namespace Cloud.Tests.Broker;

public sealed class BrokerSmokeTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task RegisteredSignatureConnects()
    {
        using var certificate = TestCertificates.SelfSigned("device-1");
        var http = factory.CreateClient();
        var signature = TlsSignature.FromCertificate(certificate).Canonical;
        var created = await http.PostAsJsonAsync("/api/thing-defs", new
        {
            key = "sensor_v1",
            name = "Sensor",
            attributes = new { tlssignature = new { name = "TLS signature", @default = signature } },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);

        var (client, result) = await MqttTestClient.ConnectAsync(factory, "device-1", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        }
    }
}
