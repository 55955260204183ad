using System.Threading.Channels;
using Cloud.Broker.Authorization;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Cloud.Broker.Sessions;

/// <summary>
/// Closes live sessions that would no longer be admitted: after every registry change it
/// re-checks each session, and once a second it re-checks sessions whose certificate expired.
/// Closed MQTT 5 clients receive DISCONNECT with reason code Not authorized (0x87).
/// </summary>
internal sealed class SessionGuard(IConnectAuthorizer authorizer, LiveSessions sessions, TimeProvider clock, ILogger<SessionGuard> logger) : IDisposable
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private MqttServer? server;
    private Task? loop;
    private CancellationTokenSource? stopping;

    public void Start(MqttServer mqttServer)
    {
        server = mqttServer;
        stopping = new CancellationTokenSource();
        authorizer.RegistryChanged += OnRegistryChanged;
        loop = Task.Run(() => RunAsync(stopping.Token));
    }

    public async Task StopAsync()
    {
        authorizer.RegistryChanged -= OnRegistryChanged;
        var source = Interlocked.Exchange(ref stopping, null);
        if (source is null || loop is null)
        {
            return;
        }

        await source.CancelAsync();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        source.Dispose();
    }

    public void Dispose() => Interlocked.Exchange(ref stopping, null)?.Dispose();

    /// <summary>Closes a session marked before its client finished connecting.</summary>
    public void CloseConnected(LiveSession session) => _ = Task.Run(() => DisconnectAsync([session]));

    private void OnRegistryChanged() => changes.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tick.CancelAfter(ExpiryInterval);

            bool changed;
            try
            {
                changed = await changes.Reader.ReadAsync(tick.Token) && true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                changed = false;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await SweepAsync(changed);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                BrokerLog.SessionSweepFailed(logger, exception);
            }
        }
    }

    private async Task SweepAsync(bool registryChanged)
    {
        var now = clock.GetUtcNow();
        var closing = new List<LiveSession>();
        foreach (var session in sessions.All)
        {
            if (session.CloseReason is not null || (!registryChanged && session.CertificateNotAfter > now))
            {
                continue;
            }

            var reason = Recheck(session, now);
            if (reason is not null && session.MarkClosing(reason))
            {
                closing.Add(session);
            }
        }

        if (closing.Count > 0)
        {
            await DisconnectAsync(closing);
        }
    }

    private string? Recheck(LiveSession session, DateTimeOffset now)
    {
        // The connect path registers the thing before it marks the session decided. Reading the
        // mark first means that a decided session's thing is in the snapshot evaluated below.
        var decided = session.IsDecided;
        var decision = authorizer.Reevaluate(session.Attempt);
        if (decision is null)
        {
            return session.CertificateNotAfter <= now ? $"The certificate expired at {session.CertificateNotAfter:O}." : null;
        }

        if (decision.RegistersThing)
        {
            // A session still being decided has not registered its thing yet, so only an
            // admitted session's thing can have been deleted. It is closed, even where its next
            // connect would register the thing again.
            // NOTE: a thing deleted between its registration and the end of that decision is missed.
            return decided ? $"Thing '{session.Attempt.ClientId}' was deleted." : null;
        }

        if (!decision.IsAllowed)
        {
            return decision.Reason;
        }

        session.Grant = decision.Grant;
        return null;
    }

    private async Task DisconnectAsync(IReadOnlyList<LiveSession> closing)
    {
        if (server is null)
        {
            return;
        }

        var clients = (await server.GetClientsAsync()).ToDictionary(c => c.RemoteEndPoint?.ToString() ?? string.Empty, StringComparer.Ordinal);
        foreach (var session in closing)
        {
            var attempt = session.Attempt;
            if (!clients.TryGetValue(attempt.RemoteEndpoint, out var client) || client.Id != attempt.ClientId)
            {
                continue;
            }

            BrokerLog.SessionClosed(logger, attempt.ClientId, attempt.RemoteEndpoint, session.CloseReason ?? string.Empty);
            await client.DisconnectAsync(new MqttServerClientDisconnectOptions
            {
                ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                ReasonString = session.CloseReason,
            });
        }
    }
}
