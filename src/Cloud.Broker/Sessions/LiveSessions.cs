using System.Collections.Concurrent;
using System.Net;
using Cloud.Admission.Topics;
using Cloud.Broker.Authorization;
using MQTTnet.Formatter;

namespace Cloud.Broker.Sessions;

/// <summary>
/// A client connection from its admitted CONNECT until it closes, with the certificate facts
/// that revocation re-checks.
/// </summary>
internal sealed class LiveSession(ConnectAttempt attempt, DateTimeOffset certificateNotAfter, MqttProtocolVersion protocolVersion)
{
    /// <summary>Key of the session in MQTTnet's per-session items.</summary>
    private const string ItemKey = "cloud.session";

    private int closing;
    private int connected;
    private int decided;
    private string? closeReason;

    public ConnectAttempt Attempt { get; } = attempt;

    public DateTimeOffset CertificateNotAfter { get; } = certificateNotAfter;

    public MqttProtocolVersion ProtocolVersion { get; } = protocolVersion;

    /// <summary>Topics the session may use; replaced when a registry change alters the grant.</summary>
    public TopicGrant Grant { get; set; } = TopicGrant.None;

    /// <summary>Key of the thing the session was admitted as.</summary>
    public string? Thing { get; set; }

    /// <summary>SHA-256 fingerprint of the client certificate.</summary>
    public string? Fingerprint { get; set; }

    public static LiveSession? From(System.Collections.IDictionary items) =>
        items?[ItemKey] as LiveSession;

    public void Attach(System.Collections.IDictionary items) => items[ItemKey] = this;

    /// <summary>Whether the CONNECT decision has returned, so that the thing it admits exists.</summary>
    public bool IsDecided => Volatile.Read(ref decided) == 1;

    /// <summary>Why the session must close, or null while it may stay.</summary>
    public string? CloseReason => Volatile.Read(ref closing) == 1 ? Volatile.Read(ref closeReason) : null;

    /// <summary>
    /// Marks the session for closing and returns whether the client is already connected, so
    /// the caller closes it now; otherwise <see cref="MarkConnected"/> reports it later.
    /// Both use full fences, so at least one of the two sides reads the other's mark.
    /// </summary>
    public bool MarkClosing(string reason)
    {
        Volatile.Write(ref closeReason, reason);
        Interlocked.Exchange(ref closing, 1);
        return Volatile.Read(ref connected) == 1;
    }

    public void MarkDecided() => Interlocked.Exchange(ref decided, 1);

    /// <summary>Marks the client as connected and returns whether it must close at once.</summary>
    public bool MarkConnected()
    {
        Interlocked.Exchange(ref connected, 1);
        return Volatile.Read(ref closing) == 1;
    }
}

/// <summary>
/// Sessions by remote endpoint, which is unique among open connections. A session is added
/// before its CONNECT is decided, so that a registry change during the decision reaches it.
/// </summary>
internal sealed class LiveSessions
{
    private readonly ConcurrentDictionary<string, LiveSession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LiveSession> admitted = new(StringComparer.Ordinal);

    public int Count => sessions.Count;

    public IEnumerable<LiveSession> All => sessions.Values;

    public void Add(LiveSession session) => sessions[session.Attempt.RemoteEndpoint] = session;

    public LiveSession? Find(EndPoint? remote) =>
        remote is not null && sessions.TryGetValue(remote.ToString()!, out var session) ? session : null;

    public void Remove(string remoteEndpoint, LiveSession session)
    {
        sessions.TryRemove(new KeyValuePair<string, LiveSession>(remoteEndpoint, session));
        admitted.TryRemove(new KeyValuePair<string, LiveSession>(session.Attempt.ClientId, session));
    }

    /// <summary>Marks a session as the admitted one of its client id, replacing a taken-over one.</summary>
    public void Admit(LiveSession session) => admitted[session.Attempt.ClientId] = session;

    /// <summary>The admitted session of a client id, used to check deliveries against its grant.</summary>
    public LiveSession? FindAdmitted(string clientId) => admitted.GetValueOrDefault(clientId);
}
