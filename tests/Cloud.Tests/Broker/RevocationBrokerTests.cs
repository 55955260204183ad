using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Cloud.Broker;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using Xunit.Abstractions;

namespace Cloud.Tests.Broker;

public sealed class RevocationBrokerTests(ITestOutputHelper output) : IDisposable
{
    private readonly CloudFactory factory = new();

    public enum Cut
    {
        DisableThing,
        DeleteThing,
        DisableDefinition,
        DeleteDefinition,
        RemoveThingSignature,
        DisableCa,
        DeleteCa,
        RevokeSignature,
    }

    private RegistryWriter Registry => new(factory.Services);

    public void Dispose() => factory.Dispose();

    [Theory]
    [InlineData(Cut.DisableThing, "Thing 'dev-1' is disabled.")]
    [InlineData(Cut.DeleteThing, "Client id 'dev-1' names no thing")]
    [InlineData(Cut.DisableDefinition, "Thing definition 'sensor_v1' of thing 'dev-1' is disabled.")]
    [InlineData(Cut.DeleteDefinition, "Client id 'dev-1' names no thing")]
    [InlineData(Cut.RemoveThingSignature, "neither pinned to thing 'dev-1'")]
    [InlineData(Cut.DisableCa, "is registered and enabled")]
    [InlineData(Cut.DeleteCa, "is registered and enabled")]
    [InlineData(Cut.RevokeSignature, "Device stolen.")]
    public async Task RegistryChangeDisconnectsLiveSession(Cut cut, string expectedReason)
    {
        using var root = TestCertificates.CreateCa("Test Root CA");
        using var certificate = await SetUpAsync(cut, root);
        using var client = await ObservedMqttClient.ConnectAsync(factory, "dev-1", certificate);
        Assert.True(client.Admitted, client.Result?.ReasonString);

        await ApplyAsync(cut, root, certificate);
        var returned = Stopwatch.GetTimestamp();
        var disconnect = await client.Disconnected.WaitAsync(BrokerAssert.DisconnectTimeout);

        var latency = Stopwatch.GetElapsedTime(returned, disconnect.Timestamp);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cut}: DISCONNECT {latency.TotalMilliseconds:F1} ms after the store call returned"));
        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, disconnect.Args.Reason);
        Assert.Contains(expectedReason, disconnect.Args.ReasonString, StringComparison.Ordinal);
        await factory.Logs.WaitForAsync(e => e.EventId == BrokerAssert.SessionClosedEventId, BrokerAssert.DisconnectTimeout);
        Assert.Equal(1, BrokerAssert.SessionsClosed(factory, "dev-1"));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task RevocationDisconnectsMqtt311Client()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);
        using var client = await ObservedMqttClient.ConnectAsync(factory, "dev-1", certificate, MqttProtocolVersion.V311);
        Assert.True(client.Admitted, client.Result?.ResultCode.ToString());

        await Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", false, certificate));
        await client.Disconnected.WaitAsync(BrokerAssert.DisconnectTimeout);

        Assert.False(client.Client.IsConnected);
        await factory.Logs.WaitForAsync(e => e.EventId == BrokerAssert.SessionClosedEventId, BrokerAssert.DisconnectTimeout);
        Assert.Equal(1, BrokerAssert.SessionsClosed(factory, "dev-1"));
        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task RevocationRacingConnectsAdmitsNoSurvivor()
    {
        const int workers = 8;
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));
        _ = factory.BrokerEndpoint;

        // Each worker connects with new client ids until one of its connects started after the
        // revocation was committed, so connects are in flight on both sides of the commit.
        var firstAdmitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new ConcurrentBag<(ObservedMqttClient Client, bool StartedAfterCommit)>();
        var next = 0;
        var running = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var afterCommit = committed.Task.IsCompleted;
                var client = await ObservedMqttClient.ConnectAsync(factory, $"race-{Interlocked.Increment(ref next)}", certificate);
                attempts.Add((client, afterCommit));
                if (client.Admitted)
                {
                    firstAdmitted.TrySetResult();
                }

                if (afterCommit)
                {
                    return;
                }
            }
        })).ToList();

        await firstAdmitted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Registry.RevokeAsync(certificate, "Batch recalled.");
        committed.SetResult();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            var admitted = attempts.Where(a => a.Client.Admitted).ToList();
            foreach (var (client, _) in admitted)
            {
                var disconnect = await client.Disconnected.WaitAsync(BrokerAssert.DisconnectTimeout);
                Assert.Equal(MqttClientDisconnectReason.NotAuthorized, disconnect.Args.Reason);
            }

            output.WriteLine($"{attempts.Count} connects: {admitted.Count} admitted and then disconnected, {attempts.Count - admitted.Count} refused.");
            Assert.NotEmpty(admitted);
            Assert.All(attempts.Where(a => a.StartedAfterCommit), a => Assert.False(a.Client.Admitted));
            Assert.All(attempts, a => Assert.False(a.Client.Client.IsConnected));
            Assert.Empty(await ConnectedClientIdsAsync("race-"));
        }
        finally
        {
            foreach (var (client, _) in attempts)
            {
                client.Dispose();
            }
        }

        BrokerAssert.NoErrorsLogged(factory);
    }

    [Fact]
    public async Task ExpiredCertificateDisconnectsLiveSession()
    {
        using var expiring = new CloudFactory(settings: new Dictionary<string, string?> { ["Admission:ClockSkew"] = "00:00:00" });
        var now = DateTimeOffset.UtcNow;
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, now.AddMinutes(-5), now.AddSeconds(6));
        var registry = new RegistryWriter(expiring.Services);
        await registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await registry.AddThingAsync("dev-1", "sensor_v1", certificate);
        using var client = await ObservedMqttClient.ConnectAsync(expiring, "dev-1", certificate);
        Assert.True(client.Admitted, client.Result?.ReasonString);

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var disconnect = await client.Disconnected.WaitAsync(notAfter - DateTimeOffset.UtcNow + BrokerAssert.DisconnectTimeout);
        var closedAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(disconnect.Timestamp);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Expiry: DISCONNECT {(closedAt - notAfter).TotalMilliseconds:F0} ms after notAfter"));
        Assert.True(closedAt >= notAfter, $"Disconnected at {closedAt:O}, before notAfter {notAfter:O}.");
        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, disconnect.Args.Reason);
        Assert.Contains("expired", disconnect.Args.ReasonString, StringComparison.Ordinal);
        BrokerAssert.NoErrorsLogged(expiring);
    }

    private async Task<List<string>> ConnectedClientIdsAsync(string prefix)
    {
        var server = factory.Services.GetRequiredService<BrokerService>().Server!;
        var deadline = Stopwatch.GetTimestamp();
        while (true)
        {
            var ids = (await server.GetClientsAsync()).Select(c => c.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (ids.Count == 0 || Stopwatch.GetElapsedTime(deadline) > BrokerAssert.DisconnectTimeout)
            {
                return ids;
            }

            // The broker drops a client from its list shortly after sending DISCONNECT.
            await Task.Delay(20);
        }
    }

    private async Task<X509Certificate2> SetUpAsync(Cut cut, X509Certificate2 root)
    {
        if (cut is Cut.DisableCa or Cut.DeleteCa)
        {
            // Admitted by the trusted-issuer rule, which registers the thing on connect.
            await Registry.AddCaAsync("root", root);
            await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"]));
            return TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        }

        var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);
        return certificate;
    }

    private Task ApplyAsync(Cut cut, X509Certificate2 root, X509Certificate2 certificate) => cut switch
    {
        Cut.DisableThing => Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", false, certificate)),
        Cut.DeleteThing => Registry.DeleteThingAsync("dev-1"),
        Cut.DisableDefinition => Registry.ReplaceDefinitionAsync(RegistryWriter.Definition("sensor_v1", enabled: false)),
        Cut.DeleteDefinition => Registry.DeleteDefinitionAsync("sensor_v1"),
        Cut.RemoveThingSignature => Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", true)),
        Cut.DisableCa => Registry.DisableCaAsync("root", root),
        Cut.DeleteCa => Registry.DeleteCaAsync("root"),
        Cut.RevokeSignature => Registry.RevokeAsync(certificate, "Device stolen."),
        _ => throw new ArgumentOutOfRangeException(nameof(cut)),
    };
}
