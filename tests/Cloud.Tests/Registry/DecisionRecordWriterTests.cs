using System.Net.Http.Json;
using Cloud.AuthEvents;
using Cloud.Http;
using Cloud.Registry.Records;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Registry;

/// <summary>
/// The decision record buffer and writer: records dropped on a full buffer are counted and
/// reported, and retention by DecisionRecords:MaxCount and MaxAge runs on its interval.
/// </summary>
public sealed class DecisionRecordWriterTests
{
    private const int DroppedEventId = 1101;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task FullBufferCountsEveryRecord()
    {
        const int recorded = 5_000;
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["DecisionRecords:BufferCapacity"] = "100",
            ["DecisionRecords:BatchSize"] = "10",
        });
        var recorder = factory.Services.GetRequiredService<DecisionRecorder>();

        for (var i = 0; i < recorded; i++)
        {
            recorder.Record(Record($"flood-{i}", DateTime.UtcNow));
        }

        await WaitUntilAsync(() => recorder.Pending == 0 && recorder.Written + recorder.Dropped == recorded, () => $"written {recorder.Written}, pending {recorder.Pending}, dropped {recorder.Dropped}");
        var stats = await factory.CreateClient().GetFromJsonAsync<AuthEventStats>("/api/auth-events/stats");

        Assert.True(recorder.Dropped > 0, "No record was dropped; the buffer never filled.");
        Assert.Equal(recorded, stats!.Written + stats.Pending + stats.Dropped);
        Assert.Equal(recorder.Dropped, stats.Dropped);
        Assert.Equal(recorder.Written, stats.Written);
        Assert.Equal(recorder.Written, await TotalAsync(factory));
        var warning = await factory.Logs.WaitForAsync(e => e.EventId == DroppedEventId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(recorder.Dropped, factory.Logs.Entries.Where(e => e.EventId == DroppedEventId).Sum(NewlyDropped));
    }

    [Fact]
    public async Task RefusedConnectFloodIsCounted()
    {
        const int connects = 150;
        using var factory = new CloudFactory(settings: new Dictionary<string, string?> { ["DecisionRecords:BufferCapacity"] = "100" });
        using var certificate = TestCertificates.SelfSigned("stranger", KeyKind.Ec);
        var recorder = factory.Services.GetRequiredService<DecisionRecorder>();

        await Task.WhenAll(Enumerable.Range(0, connects).Select(async i =>
        {
            using var client = await ObservedMqttClient.ConnectAsync(factory, $"stranger-{i}", certificate);
            Assert.False(client.Admitted);
        }));

        await WaitUntilAsync(() => recorder.Pending == 0 && recorder.Written + recorder.Dropped == connects, () => $"written {recorder.Written}, pending {recorder.Pending}, dropped {recorder.Dropped}");
        Assert.Equal(recorder.Written, await TotalAsync(factory));
    }

    [Fact]
    public async Task RetentionKeepsMaxCount()
    {
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["DecisionRecords:MaxCount"] = "1000",
            ["DecisionRecords:RetentionInterval"] = "00:00:01",
        });
        var recorder = factory.Services.GetRequiredService<DecisionRecorder>();

        for (var i = 0; i < 1_500; i++)
        {
            recorder.Record(Record($"dev-{i}", DateTime.UtcNow));
        }

        await WaitUntilAsync(() => recorder.Written == 1_500, () => $"written {recorder.Written}");
        await WaitUntilTotalAsync(factory, 1_000);
        var newest = await factory.CreateClient().GetFromJsonAsync<Page<AuthEventResponse>>("/api/auth-events?limit=1");

        Assert.Equal("dev-1499", newest!.Items.Single().ClientId);
    }

    [Fact]
    public async Task RetentionDeletesRecordsOlderThanMaxAge()
    {
        using var factory = new CloudFactory(settings: new Dictionary<string, string?>
        {
            ["DecisionRecords:MaxAge"] = "00:01:00",
            ["DecisionRecords:RetentionInterval"] = "00:00:01",
        });
        var recorder = factory.Services.GetRequiredService<DecisionRecorder>();

        // Nothing is recorded after these, so only a retention run on its interval deletes them.
        recorder.Record(Record("recent-0", DateTime.UtcNow));
        for (var i = 0; i < 10; i++)
        {
            recorder.Record(Record($"old-{i}", DateTime.UtcNow.AddHours(-2)));
        }

        recorder.Record(Record("recent-1", DateTime.UtcNow));
        await WaitUntilAsync(() => recorder.Written == 12, () => $"written {recorder.Written}");
        await WaitUntilTotalAsync(factory, 2);
        var page = await factory.CreateClient().GetFromJsonAsync<Page<AuthEventResponse>>("/api/auth-events");

        Assert.Equal(["recent-1", "recent-0"], page!.Items.Select(r => r.ClientId).ToArray());
    }

    private static AuthEvent Record(string clientId, DateTime time) => new()
    {
        Time = time,
        Kind = AuthEventKinds.Connect,
        ClientId = clientId,
        Result = AuthEventKinds.Deny,
        Rule = "test",
        Reason = "Recorded by the test.",
    };

    private static long NewlyDropped(LogEntry entry)
    {
        var digits = entry.Message.Split(':')[1].Trim().Split(' ')[0];
        return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> TotalAsync(CloudFactory factory)
    {
        var page = await factory.CreateClient().GetFromJsonAsync<Page<AuthEventResponse>>("/api/auth-events?limit=1");
        return page!.Total;
    }

    private static async Task WaitUntilTotalAsync(CloudFactory factory, int expected)
    {
        var total = await TotalAsync(factory);
        var deadline = DateTime.UtcNow + Timeout;
        while (total != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            total = await TotalAsync(factory);
        }

        Assert.Equal(expected, total);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {Timeout.TotalSeconds} s: {describe()}.");
            await Task.Delay(20);
        }
    }
}
