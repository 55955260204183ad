using Cloud.Broker.Records;
using Cloud.Broker.Sessions;
using Cloud.Registry.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Cloud.Broker.Acl;

/// <summary>
/// Enforces each session's topic grant on PUBLISH and SUBSCRIBE. MQTT 5 clients get reason
/// code Not authorized (0x87) in PUBACK or SUBACK. MQTT 3.1.1 has no negative PUBACK, so a
/// denied publish from such a client closes its connection (Broker:CloseOnDeniedPublish), and
/// a denied subscription gets the SUBACK failure return code 0x80.
/// </summary>
internal sealed class TopicGuard(IOptions<BrokerOptions> options, BrokerRecords records, LiveSessions sessions, ILogger<TopicGuard> logger)
{
    /// <summary>
    /// Checks each delivery against the receiver's current grant, so that a subscription made
    /// under a wider grant stops receiving once a registry change narrows it.
    /// </summary>
    public Task EnqueueAsync(InterceptingClientApplicationMessageEnqueueEventArgs args)
    {
        var receiver = sessions.FindAdmitted(args.ReceiverClientId);
        if (receiver is null || !receiver.Grant.AllowsDelivery(args.ApplicationMessage.Topic))
        {
            args.AcceptEnqueue = false;
        }

        return Task.CompletedTask;
    }

    public Task PublishAsync(InterceptingPublishEventArgs args)
    {
        // Messages the broker itself injects carry no client id.
        if (string.IsNullOrEmpty(args.ClientId))
        {
            return Task.CompletedTask;
        }

        var topic = args.ApplicationMessage.Topic;
        var session = LiveSession.From(args.SessionItems);
        if (session is not null && session.Grant.AllowsPublish(topic))
        {
            return Task.CompletedTask;
        }

        var reason = $"Client '{args.ClientId}' may not publish to '{topic}'.";
        args.ProcessPublish = false;
        args.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        args.Response.ReasonString = reason;
        if (session?.ProtocolVersion != MqttProtocolVersion.V500 && options.Value.CloseOnDeniedPublish)
        {
            args.CloseConnection = true;
        }

        BrokerLog.PublishDenied(logger, args.ClientId, session?.Attempt.RemoteEndpoint ?? "unknown", topic);
        records.Denied(session, args.ClientId, AuthEventKinds.Publish, topic, reason);
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter.Topic;
        var session = LiveSession.From(args.SessionItems);
        if (session is not null && session.Grant.AllowsSubscribe(filter))
        {
            return Task.CompletedTask;
        }

        var reason = $"Client '{args.ClientId}' may not subscribe to '{filter}'.";
        args.ProcessSubscription = false;
        args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        args.Response.ReasonString = reason;

        BrokerLog.SubscribeDenied(logger, args.ClientId, session?.Attempt.RemoteEndpoint ?? "unknown", filter);
        records.Denied(session, args.ClientId, AuthEventKinds.Subscribe, filter, reason);
        return Task.CompletedTask;
    }
}
