using System.Diagnostics;
using System.Net;
using Cloud.Admission;
using Cloud.Broker.Authorization;
using Cloud.Broker.Records;
using Cloud.Broker.Sessions;
using Cloud.Broker.Throttling;
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
    ConnectThrottle throttle,
    BrokerRecords records,
    ILogger<ConnectHook> logger)
{
    public async Task ValidateAsync(ValidatingConnectionEventArgs args)
    {
        var started = Stopwatch.GetTimestamp();
        var remote = args.RemoteEndPoint?.ToString() ?? "unknown";
        var address = (args.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? remote;
        var certificate = args.ClientCertificate;
        var attempt = new ConnectAttempt(args.ClientId ?? string.Empty, args.UserName, certificate, certificates.GetIntermediates(args.RemoteEndPoint), remote);
        var fingerprint = certificate is null ? "none" : CertificateFacts.Fingerprint(certificate);

        var verdict = throttle.Check(address, attempt.ClientId);
        if (verdict.IsBlocked)
        {
            var throttled = AdmissionDecision.Deny(AdmissionRules.Throttled, $"Too many rejected connects from {verdict.Key}; try again after {verdict.BlockedUntil:O}.");
            Deny(args, attempt, fingerprint, throttled, started, MqttConnectReasonCode.NotAuthorized, logged: false);
            return;
        }

        if (verdict.Delay > TimeSpan.Zero)
        {
            await Task.Delay(verdict.Delay, args.CancellationToken);
        }

        // MQTTnet rejects an empty client identifier after this hook, and the rules key things by it.
        if (string.IsNullOrEmpty(args.ClientId))
        {
            var empty = AdmissionDecision.Deny(AdmissionRules.NoClientId, "Send a client identifier: this broker does not assign one.");
            throttle.RecordFailure(address, attempt.ClientId);
            Deny(args, attempt, fingerprint, empty, started, MqttConnectReasonCode.ClientIdentifierNotValid, logged: true);
            return;
        }

        // The session is tracked before the decision, so that a registry change made while the
        // decision runs is re-checked against it and cannot slip through.
        var notAfter = certificate is null ? DateTimeOffset.MinValue : new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var session = new LiveSession(attempt, notAfter, args.ProtocolVersion) { Fingerprint = certificate is null ? null : fingerprint };
        sessions.Add(session);

        var decision = await DecideAsync(attempt, args.CancellationToken);
        session.MarkDecided();
        if (decision.IsAllowed && session.CloseReason is { } revoked)
        {
            decision = AdmissionDecision.Deny(AdmissionRules.NoMatch, revoked);
        }

        if (!decision.IsAllowed)
        {
            sessions.Remove(remote, session);
            throttle.RecordFailure(address, attempt.ClientId);
            Deny(args, attempt, fingerprint, decision, started, MqttConnectReasonCode.NotAuthorized, logged: true);
            return;
        }

        BrokerLog.ConnectAllowed(logger, attempt.ClientId, remote, fingerprint, decision.Rule, decision.ThingDefinition, decision.Reason);
        records.Connect(attempt, decision, ElapsedMicroseconds(started));
        session.Thing = decision.Thing;
        session.Grant = decision.Grant;
        session.Attach(args.SessionItems);
        sessions.Admit(session);
        args.ReasonCode = MqttConnectReasonCode.Success;
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
            records.Disconnect(session, args);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Rejects the connect: logs it unless the throttle already did, records it, and sets the
    /// CONNACK reason.
    /// </summary>
    private void Deny(
        ValidatingConnectionEventArgs args,
        ConnectAttempt attempt,
        string fingerprint,
        AdmissionDecision decision,
        long started,
        MqttConnectReasonCode reasonCode,
        bool logged)
    {
        if (logged)
        {
            BrokerLog.ConnectDenied(logger, attempt.ClientId, attempt.RemoteEndpoint, fingerprint, decision.Rule, decision.Reason);
        }

        records.Connect(attempt, decision, ElapsedMicroseconds(started));
        args.ReasonCode = reasonCode;
        args.ReasonString = decision.Reason;
    }

    private static long ElapsedMicroseconds(long started) =>
        (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

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
