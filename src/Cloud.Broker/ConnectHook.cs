using Cloud.Admission;
using Cloud.Broker.Authorization;
using Cloud.Broker.Tls;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Cloud.Broker;

/// <summary>
/// Decides each MQTT CONNECT through <see cref="IConnectAuthorizer"/> and logs the decision.
/// Any failure denies: CONNACK Not authorized (MQTT 5 reason code 0x87, MQTT 3.1.1 return code 5).
/// </summary>
internal sealed class ConnectHook(IConnectAuthorizer authorizer, ClientCertificates certificates, ILogger<ConnectHook> logger)
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

        AdmissionDecision decision;
        try
        {
            decision = await authorizer.AuthorizeAsync(attempt, args.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            BrokerLog.AuthorizerThrew(logger, attempt.ClientId, remote, exception);
            decision = AdmissionDecision.Deny(AdmissionRules.Error, "The admission check failed, so the connect is denied.");
        }

        if (decision.IsAllowed)
        {
            BrokerLog.ConnectAllowed(logger, attempt.ClientId, remote, fingerprint, decision.Rule, decision.ThingDefinition, decision.Reason);
            args.ReasonCode = MqttConnectReasonCode.Success;
            return;
        }

        BrokerLog.ConnectDenied(logger, attempt.ClientId, remote, fingerprint, decision.Rule, decision.Reason);
        args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
        args.ReasonString = decision.Reason;
    }
}
