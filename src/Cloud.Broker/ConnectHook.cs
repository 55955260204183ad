using Cloud.Admission;
using Cloud.Broker.Authorization;
using Cloud.Broker.Sessions;
using Cloud.Broker.Tls;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Cloud.Broker;

/// <summary>
/// Decides each MQTT CONNECT through <see cref="IConnectAuthorizer"/>, logs the decision and
/// tracks admitted sessions. Any failure denies: CONNACK Not authorized (MQTT 5 reason code
/// 0x87, MQTT 3.1.1 return code 5).
/// </summary>
internal sealed class ConnectHook(
    IConnectAuthorizer authorizer,
    ClientCertificates certificates,
    LiveSessions sessions,
    SessionGuard guard,
    ILogger<ConnectHook> logger)
{
    public async Task ValidateAsync(ValidatingConnectionEventArgs args)
    {
        var remote = args.RemoteEndPoint?.ToString() ?? "unknown";
        var certificate = args.ClientCertificate;
        var attempt = new ConnectAttempt(args.ClientId ?? string.Empty, args.UserName, certificate, certificates.GetIntermediates(args.RemoteEndPoint), remote);
        var fingerprint = certificate is null ? "none" : CertificateFacts.Fingerprint(certificate);

        // MQTTnet rejects an empty client identifier after this hook, and the rules key things by it.
        if (string.IsNullOrEmpty(args.ClientId))
        {
            BrokerLog.ConnectDenied(logger, string.Empty, remote, fingerprint, AdmissionRules.NoClientId, "The client sent an empty client identifier.");
            args.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            args.ReasonString = "Send a client identifier: this broker does not assign one.";
            return;
        }

        // The session is tracked before the decision, so that a registry change made while the
        // decision runs is re-checked against it and cannot slip through.
        var notAfter = certificate is null ? DateTimeOffset.MinValue : new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var session = new LiveSession(attempt, notAfter, args.ProtocolVersion);
        sessions.Add(session);

        var decision = await DecideAsync(attempt, args.CancellationToken);
        session.MarkDecided();
        if (decision.IsAllowed && session.CloseReason is { } revoked)
        {
            decision = AdmissionDecision.Deny(AdmissionRules.NoMatch, revoked);
        }

        if (decision.IsAllowed)
        {
            BrokerLog.ConnectAllowed(logger, attempt.ClientId, remote, fingerprint, decision.Rule, decision.ThingDefinition, decision.Reason);
            session.Grant = decision.Grant;
            session.Attach(args.SessionItems);
            args.ReasonCode = MqttConnectReasonCode.Success;
            return;
        }

        sessions.Remove(remote, session);
        BrokerLog.ConnectDenied(logger, attempt.ClientId, remote, fingerprint, decision.Rule, decision.Reason);
        args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
        args.ReasonString = decision.Reason;
    }

    public Task ConnectedAsync(ClientConnectedEventArgs args)
    {
        var session = sessions.Find(args.RemoteEndPoint);
        if (session is not null && session.MarkConnected())
        {
            guard.CloseConnected(session);
        }

        return Task.CompletedTask;
    }

    public Task DisconnectedAsync(ClientDisconnectedEventArgs args)
    {
        var session = sessions.Find(args.RemoteEndPoint);
        if (session is not null && session.Attempt.ClientId == args.ClientId)
        {
            sessions.Remove(session.Attempt.RemoteEndpoint, session);
        }

        return Task.CompletedTask;
    }

    private async Task<AdmissionDecision> DecideAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await authorizer.AuthorizeAsync(attempt, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BrokerLog.AuthorizerThrew(logger, attempt.ClientId, attempt.RemoteEndpoint, exception);
            return AdmissionDecision.Deny(AdmissionRules.Error, "The admission check failed, so the connect is denied.");
        }
    }
}
