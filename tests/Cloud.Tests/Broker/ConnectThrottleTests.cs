using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Cloud.AuthEvents;
using Cloud.Http;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Broker;

/// <summary>
/// The connect throttle with small thresholds: after two rejected connects in the window each
/// further connect waits 300 ms, and after four the address and client id are refused for 2 s.
/// </summary>
public sealed class ConnectThrottleTests : IDisposable
{
    private const int ThrottlingEventId = 2040;

    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan BlockFor = TimeSpan.FromSeconds(2);

    private readonly X509Certificate2 registered = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
    private readonly X509Certificate2 stranger = TestCertificates.SelfSigned("stranger", KeyKind.Ec);
    private readonly CloudFactory factory = new(settings: new Dictionary<string, string?>
    {
        ["Broker:Throttle:Enabled"] = "true",
        ["Broker:Throttle:Window"] = "00:00:10",
        ["Broker:Throttle:SlowAfter"] = "2",
        ["Broker:Throttle:Delay"] = "00:00:00.300",
        ["Broker:Throttle:BlockAfter"] = "4",
        ["Broker:Throttle:BlockFor"] = "00:00:02",
    });

    private RegistryWriter Registry => new(factory.Services);

    public void Dispose()
    {
        factory.Dispose();
        registered.Dispose();
        stranger.Dispose();
    }

    [Fact]
    public async Task RepeatedRefusalsAreSlowed()
    {
        await AddThingAsync("dev-1");
        await ConnectUnregisteredAsync("dev-1", 2);

        var third = await MeasureRefusedConnectAsync("dev-1");
        var fourth = await MeasureRefusedConnectAsync("dev-1");

        Assert.True(third >= Delay, $"The third refused connect took {third.TotalMilliseconds} ms.");
        Assert.True(fourth >= Delay, $"The fourth refused connect took {fourth.TotalMilliseconds} ms.");
    }

    [Fact]
    public async Task BlockedClientIdRefusesRegisteredCertificate()
    {
        await AddThingAsync("dev-1");
        await ConnectUnregisteredAsync("dev-1", 4);

        using var client = await ObservedMqttClient.ConnectAsync(factory, "dev-1", registered);

        Assert.False(client.Admitted);
        var record = await WaitForRecordAsync("dev-1", "throttled");
        Assert.Equal("deny", record.Result);
        Assert.Contains("Too many rejected connects from ", record.Reason, StringComparison.Ordinal);
        Assert.True(record.DecisionMicroseconds > 0, $"decisionMicroseconds is {record.DecisionMicroseconds}.");
    }

    [Fact]
    public async Task BlockLiftsAfterBlockFor()
    {
        await AddThingAsync("dev-1");
        await ConnectUnregisteredAsync("dev-1", 4);
        var blocked = Stopwatch.StartNew();

        var admitted = await ConnectUntilAdmittedAsync("dev-1", BlockFor + TimeSpan.FromSeconds(5));

        Assert.True(admitted, "The registered certificate was still refused after the block should have lifted.");
        Assert.True(blocked.Elapsed >= BlockFor - TimeSpan.FromMilliseconds(500), $"The block lifted after {blocked.Elapsed.TotalMilliseconds} ms.");
    }

    [Fact]
    public async Task OtherClientIdFromSameAddressIsBlocked()
    {
        await AddThingAsync("dev-2");
        await ConnectUnregisteredAsync("stranger-1", 4);

        using var client = await ObservedMqttClient.ConnectAsync(factory, "dev-2", registered);

        Assert.False(client.Admitted);
        var record = await WaitForRecordAsync("dev-2", "throttled");
        Assert.Contains("Too many rejected connects from address 127.0.0.1", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottlingIsLoggedOncePerKeyAndBlock()
    {
        const int attempts = 10;
        await ConnectUnregisteredAsync("stranger-1", attempts);

        var entries = factory.Logs.Entries.Where(e => e.EventId == ThrottlingEventId).ToList();
        var addressEntries = entries.Where(e => e.Message.Contains("Throttling address 127.0.0.1 ", StringComparison.Ordinal)).ToList();
        var clientEntries = entries.Where(e => e.Message.Contains("Throttling client id stranger-1 ", StringComparison.Ordinal)).ToList();

        // Per key: one line when slowing starts, and one when the block starts. The blocked
        // attempts after that are refused without a log line.
        Assert.Equal(4, entries.Count);
        Assert.Single(addressEntries, e => e.Message.Contains("slowed by 300 ms", StringComparison.Ordinal));
        Assert.Single(addressEntries, e => e.Message.Contains("rejected until", StringComparison.Ordinal));
        Assert.Single(clientEntries, e => e.Message.Contains("slowed by 300 ms", StringComparison.Ordinal));
        Assert.Single(clientEntries, e => e.Message.Contains("rejected until", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level));
    }

    [Fact]
    public async Task BlockedAttemptsAreNotDecided()
    {
        await ConnectUnregisteredAsync("stranger-1", 6);

        var decided = factory.Logs.Entries.Count(e => e.EventId == BrokerEvents.ConnectDenied && e.Message.Contains("client stranger-1 ", StringComparison.Ordinal));

        Assert.Equal(4, decided);
    }

    private async Task AddThingAsync(string key)
    {
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync(key, "sensor_v1", registered);
    }

    /// <summary>Connects <paramref name="count"/> times with a certificate no rule admits.</summary>
    private async Task ConnectUnregisteredAsync(string clientId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var client = await ObservedMqttClient.ConnectAsync(factory, clientId, stranger);
            Assert.False(client.Admitted, $"Connect {i + 1} of '{clientId}' with an unregistered certificate was admitted.");
        }
    }

    private async Task<TimeSpan> MeasureRefusedConnectAsync(string clientId)
    {
        var stopwatch = Stopwatch.StartNew();
        using var client = await ObservedMqttClient.ConnectAsync(factory, clientId, stranger);
        stopwatch.Stop();
        Assert.False(client.Admitted);
        return stopwatch.Elapsed;
    }

    private async Task<bool> ConnectUntilAdmittedAsync(string clientId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var client = await ObservedMqttClient.ConnectAsync(factory, clientId, registered);
            if (client.Admitted)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>Polls the decision records of <paramref name="clientId"/>, which are written in the background.</summary>
    private async Task<AuthEventResponse> WaitForRecordAsync(string clientId, string rule)
    {
        var http = factory.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var page = await http.GetFromJsonAsync<Page<AuthEventResponse>>($"/api/auth-events?clientId={clientId}");
            var record = page!.Items.FirstOrDefault(r => r.Rule == rule);
            if (record is not null)
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No record of '{clientId}' with rule '{rule}' was written in time.");
            await Task.Delay(50);
        }
    }
}
