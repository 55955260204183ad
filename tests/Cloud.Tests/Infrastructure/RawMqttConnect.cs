using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Sends one MQTT 5 CONNECT over its own TLS stream, which presents the client certificate
/// together with chosen intermediates through <see cref="SslStreamCertificateContext"/>.
/// MQTTnet 5.2 takes client certificates only as a list, and in these tests its TLS handshake
/// sent the leaf without the intermediates listed after it.
/// </summary>
public static class RawMqttConnect
{
    /// <summary>Connects and returns the CONNACK reason code (0x00 success, 0x87 not authorized).</summary>
    public static async Task<byte> ConnectAsync(CloudFactory factory, string clientId, X509Certificate2 certificate, IEnumerable<X509Certificate2> intermediates)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var endpoint = factory.BrokerEndpoint;
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(new IPEndPoint(endpoint.Address, endpoint.Port));

        await using var tls = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(factory.DevelopmentCaPath));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = SslStreamCertificateContext.Create(certificate, [.. intermediates], offline: true),
            CertificateChainPolicy = policy,
        });

        await tls.WriteAsync(ConnectPacket(clientId));
        var header = new byte[2];
        await tls.ReadExactlyAsync(header);
        if (header[0] != 0x20 || header[1] < 2)
        {
            throw new InvalidDataException($"Expected CONNACK, got packet type 0x{header[0]:x2} with length {header[1]}.");
        }

        var body = new byte[header[1]];
        await tls.ReadExactlyAsync(body);
        return body[1];
    }

    /// <summary>
    /// Encodes CONNECT (MQTT 5.0, section 3.1): protocol name "MQTT", level 5, Clean Start,
    /// keep alive 60 s, no properties, then the client id. Short ids keep the length in one byte.
    /// </summary>
    private static byte[] ConnectPacket(string clientId)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        byte[] variableHeader = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x05, 0x02, 0x00, 0x3c, 0x00];
        byte[] payload = [(byte)(id.Length >> 8), (byte)id.Length, .. id];
        var remaining = variableHeader.Length + payload.Length;
        if (remaining > 127)
        {
            throw new ArgumentException("The client id is too long for a one-byte remaining length.", nameof(clientId));
        }

        return [0x10, (byte)remaining, .. variableHeader, .. payload];
    }
}
