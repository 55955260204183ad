using Microsoft.Extensions.Logging;

namespace Cloud.Broker;

internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "MQTT broker listening on mqtts://{Endpoint} (TLS, client certificate required)")]
    public static partial void Started(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "MQTT broker stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "MQTT broker failed to listen on {Endpoint}: {Error}")]
    public static partial void ListenFailed(ILogger logger, string endpoint, string error, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Broker server certificate loaded from {Path}")]
    public static partial void ServerCertificateLoaded(ILogger logger, string path);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Created development CA {CaPath}; clients pass it to mosquitto_pub --cafile {CaPath}")]
    public static partial void DevelopmentCaCreated(ILogger logger, string caPath);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Using development CA {CaPath}; clients pass it to mosquitto_pub --cafile {CaPath}")]
    public static partial void DevelopmentCaReused(ILogger logger, string caPath);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Issued development server certificate {Path} for localhost, 127.0.0.1 and ::1")]
    public static partial void DevelopmentServerCertificateCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Connect allowed: client {ClientId} from {RemoteEndpoint}, certificate {Fingerprint}, rule {Rule}, thing definition {ThingDefinition}: {Reason}")]
    public static partial void ConnectAllowed(ILogger logger, string clientId, string remoteEndpoint, string fingerprint, string rule, string? thingDefinition, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Connect denied: client {ClientId} from {RemoteEndpoint}, certificate {Fingerprint}, rule {Rule}: {Reason}")]
    public static partial void ConnectDenied(ILogger logger, string clientId, string remoteEndpoint, string fingerprint, string rule, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "TLS handshake from {RemoteEndpoint} rejected: the client sent no certificate")]
    public static partial void NoClientCertificate(ILogger logger, string remoteEndpoint);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Error, Message = "Validation endpoint failed for client {ClientId} from {RemoteEndpoint}, connect denied: {Cause}")]
    public static partial void ValidationEndpointFailed(ILogger logger, string clientId, string remoteEndpoint, string cause);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Closing session of client {ClientId} from {RemoteEndpoint}: {Reason}")]
    public static partial void SessionClosed(ILogger logger, string clientId, string remoteEndpoint, string reason);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Error, Message = "Re-checking live sessions failed; the next registry change or expiry tick retries")]
    public static partial void SessionSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Publish denied: client {ClientId} from {RemoteEndpoint} to topic {Topic}")]
    public static partial void PublishDenied(ILogger logger, string clientId, string remoteEndpoint, string topic);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Subscribe denied: client {ClientId} from {RemoteEndpoint} to filter {Filter}")]
    public static partial void SubscribeDenied(ILogger logger, string clientId, string remoteEndpoint, string filter);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Warning, Message = "Throttling {Key} after {Failures} rejected connects in the window: {Action} ({Suppressed} repeats not logged)")]
    public static partial void Throttled(ILogger logger, string key, int failures, string action, int suppressed);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Error, Message = "Admission failed with an exception for client {ClientId} from {RemoteEndpoint}, connect denied")]
    public static partial void AuthorizerThrew(ILogger logger, string clientId, string remoteEndpoint, Exception exception);
}
