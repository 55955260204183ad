using System.Net;
using System.Net.Http.Json;
using Cloud.Registry.ApiKeys;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace Cloud.Tests.Broker;

/// <summary>
/// A broker that calls another instance's POST /api/mqtt/auth over HTTP, with and without
/// Broker:AuthApiKey.
/// </summary>
public sealed class RemoteValidationApiKeyTests : IDisposable
{
    private readonly CloudFactory validator = new();

    public RemoteValidationApiKeyTests()
    {
        validator.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        validator.StartServer();
    }

    public void Dispose() => validator.Dispose();

    [Fact]
    public async Task BrokerKeyAdmitsDevice()
    {
        using var certificate = TestCertificates.SelfSigned("device-1");
        await RegisterAsync(certificate);
        var brokerKey = await validator.CreateApiKeyAsync(ApiKeyRoles.Broker);
        using var broker = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = AuthUrl(),
            ["Broker:AuthApiKey"] = brokerKey,
        });

        var (client, result) = await MqttTestClient.ConnectAsync(broker, "device-1", certificate);
        using (client)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        }

        var tail = brokerKey[(ApiKeyFormat.PrefixLength + 1)..];
        Assert.DoesNotContain(broker.Logs.Entries, e => e.Message.Contains(tail, StringComparison.Ordinal));
        Assert.DoesNotContain(validator.Logs.Entries, e => e.Message.Contains(tail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingBrokerKeyDeniesDevice()
    {
        using var certificate = TestCertificates.SelfSigned("device-1");
        await RegisterAsync(certificate);
        using var broker = new CloudFactory(settings: new Dictionary<string, string?> { ["Broker:AuthUrl"] = AuthUrl() });

        var (client, result) = await MqttTestClient.ConnectAsync(broker, "device-1", certificate);
        using (client)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, result.ResultCode);
        }

        var failure = await broker.Logs.WaitForAsync(e => e.EventId == 2013);
        Assert.Contains("HTTP 401; set Broker:AuthApiKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReaderKeyDeniesDevice()
    {
        using var certificate = TestCertificates.SelfSigned("device-1");
        await RegisterAsync(certificate);
        using var broker = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["Broker:AuthUrl"] = AuthUrl(),
            ["Broker:AuthApiKey"] = await validator.CreateApiKeyAsync(ApiKeyRoles.Reader),
        });

        var (client, result) = await MqttTestClient.ConnectAsync(broker, "device-1", certificate);
        using (client)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, result.ResultCode);
        }

        var failure = await broker.Logs.WaitForAsync(e => e.EventId == 2013);
        Assert.Contains("HTTP 403", failure.Message, StringComparison.Ordinal);
    }

    private string AuthUrl()
    {
        var addresses = validator.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return addresses.First().TrimEnd('/') + "/api/mqtt/auth";
    }

    private async Task RegisterAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var admin = validator.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/thing-defs", new
        {
            key = "sensor_v1",
            name = "Sensor",
            attributes = new { tlssignature = new { name = "TLS signature", @default = TlsSignature.FromCertificate(certificate).Canonical } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
