using Cloud.Admission;
using Cloud.Broker.Authorization;
using Cloud.Broker.Sessions;
using Cloud.Registry.Records;
using MQTTnet.Server;

namespace Cloud.Broker.Records;

/// <summary>
/// Turns broker events into decision records. Recording only queues, so it never blocks the
/// connect, publish or subscribe it describes.
/// </summary>
internal sealed class BrokerRecords(DecisionRecorder recorder, TimeProvider clock)
{
    public void Connect(ConnectAttempt attempt, AdmissionDecision decision, long decisionMicroseconds)
    {
        var certificate = attempt.Certificate;
        recorder.Record(new AuthEvent
        {
            Time = clock.GetUtcNow().UtcDateTime,
            Kind = AuthEventKinds.Connect,
            ClientId = attempt.ClientId,
            Thing = decision.IsAllowed ? decision.Thing : null,
            RemoteAddress = attempt.RemoteEndpoint,
            Fingerprint = certificate is null ? null : CertificateFacts.Fingerprint(certificate),
            Subject = certificate?.Subject,
            Issuer = certificate?.Issuer,
            Result = decision.IsAllowed ? AuthEventKinds.Allow : AuthEventKinds.Deny,
            Rule = decision.Rule,
            Reason = Truncate(decision.Reason),
            DecisionMicroseconds = decisionMicroseconds,
        });
    }

    public void Disconnect(LiveSession session, ClientDisconnectedEventArgs args)
    {
        var reason = session.CloseReason ?? $"{args.DisconnectType}{(args.ReasonCode is null ? string.Empty : $" ({args.ReasonCode})")}";
        recorder.Record(Session(session, AuthEventKinds.Disconnect, AuthEventKinds.Allow, rule: null, reason, topic: null));
    }

    public void Denied(LiveSession? session, string clientId, string kind, string topic, string reason)
    {
        var record = session is null
            ? new AuthEvent { Time = clock.GetUtcNow().UtcDateTime, Kind = kind, ClientId = clientId, Result = AuthEventKinds.Deny }
            : Session(session, kind, AuthEventKinds.Deny, rule: null, reason, topic);
        record.Rule = "topic-acl";
        record.Reason = Truncate(reason);
        record.Topic = Truncate(topic);
        recorder.Record(record);
    }

    private AuthEvent Session(LiveSession session, string kind, string result, string? rule, string reason, string? topic)
    {
        var attempt = session.Attempt;
        return new AuthEvent
        {
            Time = clock.GetUtcNow().UtcDateTime,
            Kind = kind,
            ClientId = attempt.ClientId,
            Thing = session.Thing,
            RemoteAddress = attempt.RemoteEndpoint,
            Fingerprint = session.Fingerprint,
            Subject = attempt.Certificate?.Subject,
            Issuer = attempt.Certificate?.Issuer,
            Result = result,
            Rule = rule,
            Reason = Truncate(reason),
            Topic = topic is null ? null : Truncate(topic),
        };
    }

    private static string Truncate(string value) => value.Length <= 1024 ? value : value[..1024];
}
