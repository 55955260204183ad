using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Broker;

public sealed class TrustBrokerTests : IDisposable
{
    private readonly CloudFactory factory = new();

    private RegistryWriter Registry => new(factory.Services);

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task PinnedDevicesOfOneDefinitionConnectAtOnce()
    {
        using var first = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        using var second = TestCertificates.SelfSigned("dev-2", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", first);
        await Registry.AddThingAsync("dev-2", "sensor_v1", second);

        var clients = await Task.WhenAll(
            ObservedMqttClient.ConnectAsync(factory, "dev-1", first),
            ObservedMqttClient.ConnectAsync(factory, "dev-2", second));
        try
        {
            Assert.All(clients, c => Assert.True(c.Admitted, c.Result?.ReasonString));
            Assert.All(clients, c => Assert.True(c.Client.IsConnected));
        }
        finally
        {
            DisposeAll(clients);
        }

        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task DevicesRegisteringAtOnceStayConnected()
    {
        const int devices = 16;
        using var shared = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        using var probe = TestCertificates.SelfSigned("probe", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", shared));
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("probe_v1"));
        await Registry.AddThingAsync("probe", "probe_v1", probe);
        using var probeClient = await ObservedMqttClient.ConnectAsync(factory, "probe", probe);

        var clients = await Task.WhenAll(Enumerable.Range(0, devices).Select(i => ObservedMqttClient.ConnectAsync(factory, $"dev-{i}", shared)));
        try
        {
            Assert.All(clients, c => Assert.True(c.Admitted, c.Result?.ReasonString));

            // Closing the probe proves that a re-check ran after every registration above.
            await Registry.ReplaceThingAsync(RegistryWriter.Thing("probe", "probe_v1", false, probe));
            await probeClient.Disconnected.WaitAsync(BrokerAssert.DisconnectTimeout);
            foreach (var client in clients)
            {
                await client.Client.PingAsync();
            }

            Assert.All(clients, c => Assert.True(c.Client.IsConnected));
            Assert.All(Enumerable.Range(0, devices), i => Assert.Equal(0, BrokerAssert.SessionsClosed(factory, $"dev-{i}")));
            for (var i = 0; i < devices; i++)
            {
                Assert.NotNull(await Registry.FindThingAsync($"dev-{i}"));
            }
        }
        finally
        {
            DisposeAll(clients);
        }

        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task ClientSentIntermediateCompletesChain()
    {
        using var root = TestCertificates.CreateCa("Test Root CA");
        using var intermediate = TestCertificates.CreateCa("Test Intermediate CA", root, notAfter: DateTimeOffset.UtcNow.AddDays(300));
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"]));

        var reasonCode = await RawMqttConnect.ConnectAsync(factory, "dev-1", leaf, [intermediate]);

        Assert.Equal(0x00, reasonCode);
        Assert.NotNull(await Registry.FindThingAsync("dev-1"));
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains("Connect allowed: client dev-1", StringComparison.Ordinal) && e.Message.Contains("rule trusted-issuer", StringComparison.Ordinal));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task LeafWithoutIntermediateIsRefused()
    {
        using var root = TestCertificates.CreateCa("Test Root CA");
        using var intermediate = TestCertificates.CreateCa("Test Intermediate CA", root, notAfter: DateTimeOffset.UtcNow.AddDays(300));
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"]));

        using var client = await ObservedMqttClient.ConnectAsync(factory, "dev-1", leaf);

        Assert.Equal(MQTTnet.MqttClientConnectResultCode.NotAuthorized, client.Result?.ResultCode);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    private static void DisposeAll(IEnumerable<ObservedMqttClient> clients)
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
