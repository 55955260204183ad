using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Connects real MQTTnet clients to the broker of a <see cref="CloudFactory"/> over TLS,
/// trusting the broker's development CA.
/// </summary>
public static class MqttTestClient
{
    public static MqttClientOptions Options(
        CloudFactory factory,
        string clientId,
        X509Certificate2? certificate,
        MqttProtocolVersion version = MqttProtocolVersion.V500,
        IEnumerable<X509Certificate2>? intermediates = null)
    {
        var endpoint = factory.BrokerEndpoint;
        var trust = new X509Certificate2Collection(X509CertificateLoader.LoadCertificateFromFile(factory.DevelopmentCaPath));
        var clientCertificates = new List<X509Certificate2>();
        if (certificate is not null)
        {
            clientCertificates.Add(certificate);
            clientCertificates.AddRange(intermediates ?? []);
        }

        return new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Address.ToString(), endpoint.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(tls => tls
                .UseTls()
                .WithTargetHost("localhost")
                .WithTrustChain(trust)
                .WithClientCertificates(clientCertificates))
            .Build();
    }

    /// <summary>Connects and returns the client with the CONNACK result; the caller disposes the client.</summary>
    public static async Task<(IMqttClient Client, MqttClientConnectResult Result)> ConnectAsync(
        CloudFactory factory,
        string clientId,
        X509Certificate2? certificate,
        MqttProtocolVersion version = MqttProtocolVersion.V500,
        IEnumerable<X509Certificate2>? intermediates = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(factory, clientId, certificate, version, intermediates));
        return (client, result);
    }
}
