using System.Net.Http.Json;
using Cloud.AuthEvents;
using Cloud.Http;
using Cloud.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace Cloud.Tests.Broker;

/// <summary>
/// Decision records the broker writes for connects, denied subscribes and publishes, and
/// disconnects, as GET /api/auth-events returns them.
/// </summary>
public sealed class BrokerDecisionRecordTests : IDisposable
{
    private readonly CloudFactory factory = new();

    private RegistryWriter Registry => new(factory.Services);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AllowedConnectIsRecorded()
    {
        using var certificate = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
        await AddThingAsync(certificate);

        using (var client = await ObservedMqttClient.ConnectAsync(factory, "thing-a", certificate))
        {
            Assert.True(client.Admitted, client.Result?.ReasonString);
        }

        var record = Assert.Single(await WaitForRecordsAsync("thing-a", "connect", 1));
        Assert.Equal("allow", record.Result);
        Assert.Equal("thing-signature", record.Rule);
        Assert.Contains("pinned to thing 'thing-a'", record.Reason, StringComparison.Ordinal);
        Assert.Equal("thing-a", record.Thing);
        Assert.Equal(BrokerTestSupport.Fingerprint(certificate), record.Fingerprint);
        Assert.Equal(certificate.Subject, record.Subject);
        Assert.Equal(certificate.Issuer, record.Issuer);
        Assert.StartsWith("127.0.0.1:", record.RemoteAddress, StringComparison.Ordinal);
        Assert.True(record.DecisionMicroseconds > 0, $"decisionMicroseconds is {record.DecisionMicroseconds}.");
    }

    [Fact]
    public async Task UnregisteredCertificateConnectIsRecorded()
    {
        using var certificate = TestCertificates.SelfSigned("stranger", KeyKind.Rsa);

        using (var client = await ObservedMqttClient.ConnectAsync(factory, "stranger", certificate))
        {
            Assert.False(client.Admitted);
        }

        var record = Assert.Single(await WaitForRecordsAsync("stranger", "connect", 1));
        Assert.Equal("deny", record.Result);
        Assert.Equal("no-match", record.Rule);
        Assert.Contains("the certificate signature is not registered", record.Reason, StringComparison.Ordinal);
        Assert.Null(record.Thing);
        Assert.Equal(BrokerTestSupport.Fingerprint(certificate), record.Fingerprint);
        Assert.Equal(certificate.Subject, record.Subject);
        Assert.Equal(certificate.Issuer, record.Issuer);
        Assert.True(record.DecisionMicroseconds > 0, $"decisionMicroseconds is {record.DecisionMicroseconds}.");
    }

    [Fact]
    public async Task DeniedSubscribeIsRecorded()
    {
        using var certificate = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
        await AddThingAsync(certificate);
        using var client = await ObservedMqttClient.ConnectAsync(factory, "thing-a", certificate);

        await client.Client.SubscribeAsync("things/#");

        var record = Assert.Single(await WaitForRecordsAsync("thing-a", "subscribe", 1));
        AssertTopicDenial(record, certificate, "things/#");
    }

    [Fact]
    public async Task DeniedPublishIsRecorded()
    {
        using var certificate = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
        await AddThingAsync(certificate);
        using var client = await ObservedMqttClient.ConnectAsync(factory, "thing-a", certificate);

        await client.Client.PublishStringAsync("things/thing-b/cmd", "x", MqttQualityOfServiceLevel.AtLeastOnce);

        var record = Assert.Single(await WaitForRecordsAsync("thing-a", "publish", 1));
        AssertTopicDenial(record, certificate, "things/thing-b/cmd");
    }

    [Fact]
    public async Task DisconnectIsRecorded()
    {
        using var certificate = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
        await AddThingAsync(certificate);
        using var client = await ObservedMqttClient.ConnectAsync(factory, "thing-a", certificate);

        await client.Client.DisconnectAsync();

        var record = Assert.Single(await WaitForRecordsAsync("thing-a", "disconnect", 1));
        Assert.Equal("allow", record.Result);
        Assert.Equal("thing-a", record.Thing);
        Assert.Equal(BrokerTestSupport.Fingerprint(certificate), record.Fingerprint);
        Assert.False(string.IsNullOrEmpty(record.Reason));
    }

    [Fact]
    public async Task SessionRecordsAreNewestFirst()
    {
        using var certificate = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
        await AddThingAsync(certificate);
        using (var client = await ObservedMqttClient.ConnectAsync(factory, "thing-a", certificate))
        {
            await client.Client.SubscribeAsync("things/#");
            await client.Client.PublishStringAsync("things/thing-b/cmd", "x", MqttQualityOfServiceLevel.AtLeastOnce);
            await client.Client.DisconnectAsync();
        }

        var records = await WaitForRecordsAsync("thing-a", kind: null, 4);

        Assert.Equal(["disconnect", "publish", "subscribe", "connect"], records.Select(r => r.Kind).ToArray());
    }

    private static void AssertTopicDenial(AuthEventResponse record, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string topic)
    {
        Assert.Equal("deny", record.Result);
        Assert.Equal("topic-acl", record.Rule);
        Assert.Equal(topic, record.Topic);
        Assert.Contains($"'{topic}'", record.Reason, StringComparison.Ordinal);
        Assert.Equal("thing-a", record.Thing);
        Assert.Equal(BrokerTestSupport.Fingerprint(certificate), record.Fingerprint);
        Assert.Equal(certificate.Subject, record.Subject);
        Assert.Equal(certificate.Issuer, record.Issuer);
    }

    private async Task AddThingAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("thing-a", "sensor_v1", certificate);
    }

    /// <summary>
    /// Polls the records of <paramref name="clientId"/>, because the broker writes them in the
    /// background, until <paramref name="count"/> of <paramref name="kind"/> (any when null) exist.
    /// </summary>
    private async Task<IReadOnlyList<AuthEventResponse>> WaitForRecordsAsync(string clientId, string? kind, int count)
    {
        var http = factory.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var page = await http.GetFromJsonAsync<Page<AuthEventResponse>>($"/api/auth-events?clientId={Uri.EscapeDataString(clientId)}");
            var records = page!.Items.Where(r => kind is null || r.Kind == kind).ToList();
            if (records.Count >= count || DateTime.UtcNow > deadline)
            {
                return records;
            }

            await Task.Delay(50);
        }
    }
}
