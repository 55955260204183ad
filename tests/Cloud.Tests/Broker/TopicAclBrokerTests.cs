using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Cloud.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cloud.Tests.Broker;

/// <summary>
/// Topic ACLs over real TLS: thing-a and thing-b of definition sensor_v1, which grants each
/// thing things/KEY/# for publish and subscribe.
/// </summary>
public sealed class TopicAclBrokerTests : IDisposable
{
    private const int PublishDeniedEventId = 2030;

    private static readonly MqttClientSubscribeResultCode[] GrantedCodes =
    [
        MqttClientSubscribeResultCode.GrantedQoS0,
        MqttClientSubscribeResultCode.GrantedQoS1,
        MqttClientSubscribeResultCode.GrantedQoS2,
    ];

    private readonly X509Certificate2 certificateA = TestCertificates.SelfSigned("thing-a", KeyKind.Ec);
    private readonly X509Certificate2 certificateB = TestCertificates.SelfSigned("thing-b", KeyKind.Ec);
    private readonly List<ObservedMqttClient> clients = [];
    private CloudFactory factory = new();

    private RegistryWriter Registry => new(factory.Services);

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        factory.Dispose();
        certificateA.Dispose();
        certificateB.Dispose();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task OwnPublishReachesOwnSubscription(MqttProtocolVersion version)
    {
        await AddThingsAsync();
        var clientA = await ConnectAsync("thing-a", certificateA, version);
        var inbox = new MessageInbox(clientA.Client);

        var subscribed = await SubscribeAsync(clientA, "things/thing-a/#");
        var published = await PublishAsync(clientA, "things/thing-a/telemetry");

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Single().ResultCode);
        Assert.True(published.IsSuccess, published.ReasonString);
        Assert.Empty(await inbox.WaitForAsync("things/thing-a/telemetry"));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttClientSubscribeResultCode.UnspecifiedError)]
    [InlineData(MqttProtocolVersion.V500, MqttClientSubscribeResultCode.NotAuthorized)]
    public async Task SubscribeBeyondOwnTopicsIsDenied(MqttProtocolVersion version, MqttClientSubscribeResultCode expected)
    {
        string[] filters =
        [
            "things/thing-b/#",
            "things/thing-b/telemetry",
            "things/+/telemetry",
            "things/+/#",
            "things/#",
            "#",
            "+/thing-b/#",
            "+/+/+",
        ];
        await AddThingsAsync();
        var clientA = await ConnectAsync("thing-a", certificateA, version);

        var results = await SubscribeAsync(clientA, filters);

        Assert.Equal(filters.Length, results.Count);
        Assert.All(results, item => Assert.True(expected == item.ResultCode, $"{item.TopicFilter.Topic}: {item.ResultCode}"));
        Assert.True(clientA.Client.IsConnected);
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task SharedSubscriptionToOtherThingIsNotGranted(MqttProtocolVersion version)
    {
        await AddThingsAsync();
        var clientA = await ConnectAsync("thing-a", certificateA, version);

        // MQTTnet 5.2 rejects MQTT 5 shared subscriptions with 0x9E (not supported). Under
        // MQTT 3.1.1 the filter is an ordinary one, which the topic guard judges.
        var result = await SubscribeAsync(clientA, "$share/group/things/thing-b/#");

        Assert.DoesNotContain(result.Single().ResultCode, GrantedCodes);
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task DeniedSubscribeKeepsOthersInPacket(MqttProtocolVersion version)
    {
        await AddThingsAsync();
        var clientA = await ConnectAsync("thing-a", certificateA, version);
        var inbox = new MessageInbox(clientA.Client);

        var results = await SubscribeAsync(clientA, "things/#", "things/thing-a/#");
        await PublishAsync(clientA, "things/thing-a/telemetry");

        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, results[0].ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, results[1].ResultCode);
        Assert.Empty(await inbox.WaitForAsync("things/thing-a/telemetry"));
    }

    [Theory]
    [InlineData("things/thing-b/cmd")]
    [InlineData("things/thing-b")]
    [InlineData("things/thing-a-b/cmd")]
    [InlineData("things")]
    public async Task PublishToOtherTopicGetsNotAuthorized(string topic)
    {
        await AddThingsAsync();
        var (clientA, inboxB) = await ConnectPairAsync(MqttProtocolVersion.V500);

        var result = await PublishAsync(clientA, topic);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.True(clientA.Client.IsConnected);
        Assert.DoesNotContain(topic, await MarkerAsync(inboxB));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task DeniedPublishClosesV311Connection()
    {
        await AddThingsAsync();
        var (clientA, inboxB) = await ConnectPairAsync(MqttProtocolVersion.V311);

        await clientA.Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("things/thing-b/cmd").WithPayload("x").Build());

        await clientA.Disconnected.WaitAsync(BrokerAssert.DisconnectTimeout);
        Assert.Empty(await MarkerAsync(inboxB));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task DeniedPublishKeepsV311ConnectionWhenConfigured()
    {
        factory.Dispose();
        factory = new CloudFactory(settings: new Dictionary<string, string?> { ["Broker:CloseOnDeniedPublish"] = "false" });
        await AddThingsAsync();
        var (clientA, inboxB) = await ConnectPairAsync(MqttProtocolVersion.V311);

        await PublishAsync(clientA, "things/thing-b/cmd");
        await clientA.Client.PingAsync();

        Assert.True(clientA.Client.IsConnected);
        Assert.False(clientA.Disconnected.IsCompleted);
        Assert.Empty(await MarkerAsync(inboxB));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task WillToOtherThingIsNotDelivered(MqttProtocolVersion version)
    {
        await AddThingsAsync();
        var clientB = await ConnectAsync("thing-b", certificateB, version);
        var inboxB = new MessageInbox(clientB.Client);
        await SubscribeAsync(clientB, "things/thing-b/#");

        var options = MqttTestClient.Options(factory, "thing-a", certificateA, version);
        options.WillTopic = "things/thing-b/cmd";
        options.WillPayload = "will"u8.ToArray();
        using (var clientA = new MqttClientFactory().CreateMqttClient())
        {
            Assert.Equal(MqttClientConnectResultCode.Success, (await clientA.ConnectAsync(options)).ResultCode);
        }

        // Disposing without DISCONNECT makes the broker send the will [MQTT-3.1.2-8].
        await factory.Logs.WaitForAsync(e => e.EventId == PublishDeniedEventId && e.Message.Contains("client thing-a ", StringComparison.Ordinal));
        Assert.Empty(await MarkerAsync(inboxB));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("dev#")]
    [InlineData("dev+")]
    [InlineData("things/+")]
    public async Task WildcardClientIdGainsNothing(string clientId)
    {
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificateA));

        using var client = await ObservedMqttClient.ConnectAsync(factory, clientId, certificateA);

        Assert.False(client.Admitted, client.Result?.ReasonString);
        Assert.Null(await Registry.FindThingAsync(clientId));
        Assert.Equal("no-client-id", BrokerTestSupport.RuleOf(await BrokerTestSupport.DecisionAsync(factory, clientId)));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/b")]
    [InlineData("north/#")]
    public async Task UnsafeAttributeTemplateGrantsNothing(string site)
    {
        const string template = "sites/${thing.attributes.site}/#";
        var http = factory.CreateClient();
        await AddThingsAsync();
        var definition = await http.PutAsJsonAsync("/api/thing-defs/sensor_v1", new
        {
            name = "Sensor",
            attributes = new { },
            publishTopics = new[] { template, "things/${thing.key}/#" },
            subscribeTopics = new[] { template, "things/${thing.key}/#" },
        });
        Assert.Equal(HttpStatusCode.OK, definition.StatusCode);
        var thing = await http.PutAsJsonAsync("/api/things/thing-a", new
        {
            name = "thing-a",
            definition = "sensor_v1",
            attributes = new Dictionary<string, string> { ["site"] = site },
            tlssignature = new[] { RegistryWriter.SignatureOf(certificateA) },
        });
        Assert.Equal(HttpStatusCode.OK, thing.StatusCode);
        var clientA = await ConnectAsync("thing-a", certificateA, MqttProtocolVersion.V500);

        var subscribed = await SubscribeAsync(clientA, "sites/#", "sites/+/#", "sites/a/b/#", "sites/north/#", "things/thing-a/#");
        var publishedNested = await PublishAsync(clientA, "sites/a/b/x");
        var publishedNorth = await PublishAsync(clientA, "sites/north/x");

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed[0].ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed[1].ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed[2].ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed[3].ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed[4].ResultCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publishedNested.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publishedNorth.ReasonCode);
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task DefinitionChangeAppliesToLiveSession()
    {
        await AddThingsAsync();
        var clientA = await ConnectAsync("thing-a", certificateA, MqttProtocolVersion.V500);
        var before = await PublishAsync(clientA, "fleet/thing-a");

        var response = await factory.CreateClient().PutAsJsonAsync("/api/thing-defs/sensor_v1", new
        {
            name = "Sensor",
            attributes = new { },
            publishTopics = new List<string> { "fleet/${thing.key}" },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await PublishUntilAllowedAsync(clientA, "fleet/thing-a");
        var old = await PublishAsync(clientA, "things/thing-a/telemetry");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, before.ReasonCode);
        Assert.True(after.IsSuccess, after.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, old.ReasonCode);
        Assert.True(clientA.Client.IsConnected);
        BrokerAssert.NoErrorsLogged(factory);
    }

    private static async Task<IReadOnlyList<MqttClientSubscribeResultItem>> SubscribeAsync(ObservedMqttClient client, params string[] filters)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters)
        {
            builder.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }

        var result = await client.Client.SubscribeAsync(builder.Build());
        return [.. result.Items];
    }

    private static Task<MqttClientPublishResult> PublishAsync(ObservedMqttClient client, string topic) =>
        client.Client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload("x")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    /// <summary>Publishes until the broker allows it, because a registry change reaches live sessions asynchronously.</summary>
    private static async Task<MqttClientPublishResult> PublishUntilAllowedAsync(ObservedMqttClient client, string topic)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        var result = await PublishAsync(client, topic);
        while (!result.IsSuccess && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            result = await PublishAsync(client, topic);
        }

        return result;
    }

    private async Task AddThingsAsync()
    {
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("thing-a", "sensor_v1", certificateA);
        await Registry.AddThingAsync("thing-b", "sensor_v1", certificateB);
    }

    private async Task<ObservedMqttClient> ConnectAsync(string clientId, X509Certificate2 certificate, MqttProtocolVersion version)
    {
        var client = await ObservedMqttClient.ConnectAsync(factory, clientId, certificate, version);
        clients.Add(client);
        Assert.True(client.Admitted, client.Result?.ReasonString ?? client.Failure);
        return client;
    }

    /// <summary>Connects thing-a, and thing-b subscribed to its own topics.</summary>
    private async Task<(ObservedMqttClient ClientA, MessageInbox InboxB)> ConnectPairAsync(MqttProtocolVersion version)
    {
        var clientB = await ConnectAsync("thing-b", certificateB, version);
        var inbox = new MessageInbox(clientB.Client);
        var subscribed = await SubscribeAsync(clientB, "things/thing-b/#");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Single().ResultCode);

        var clientA = await ConnectAsync("thing-a", certificateA, version);
        return (clientA, inbox);
    }

    /// <summary>
    /// Makes thing-b publish a marker to its own topic and returns what it received before the
    /// marker, which includes any message the broker delivered to it earlier.
    /// </summary>
    private async Task<IReadOnlyList<string>> MarkerAsync(MessageInbox inboxB)
    {
        var clientB = clients.First(client => client.Client.Options.ClientId == "thing-b");
        var marker = await PublishAsync(clientB, "things/thing-b/marker");
        Assert.True(marker.IsSuccess, marker.ReasonString);
        return await inboxB.WaitForAsync("things/thing-b/marker");
    }
}
