namespace Cloud.Hosting;

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Critical, Message = "The service failed to start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);
}
