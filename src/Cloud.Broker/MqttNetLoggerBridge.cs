using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace Cloud.Broker;

/// <summary>
/// Forwards MQTTnet's log to <see cref="ILogger"/> under the category "MQTTnet".
/// MQTTnet logs on its hot path, so messages below Warning are formatted only when enabled.
/// </summary>
internal sealed class MqttNetLoggerBridge(ILoggerFactory loggerFactory) : IMqttNetLogger
{
    private readonly ILogger logger = loggerFactory.CreateLogger("MQTTnet");

    public bool IsEnabled => logger.IsEnabled(LogLevel.Debug) || logger.IsEnabled(LogLevel.Warning);

    public void Publish(MqttNetLogLevel logLevel, string source, string message, object[] parameters, Exception exception)
    {
        var level = logLevel switch
        {
            MqttNetLogLevel.Verbose => LogLevel.Trace,
            MqttNetLogLevel.Info => LogLevel.Debug,
            MqttNetLogLevel.Warning => LogLevel.Warning,
            MqttNetLogLevel.Error => LogLevel.Error,
            _ => LogLevel.Debug,
        };

        if (!logger.IsEnabled(level))
        {
            return;
        }

        var text = parameters is { Length: > 0 }
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, message, parameters)
            : message;

#pragma warning disable CA1848, CA2254 // The message text comes from MQTTnet, so no template can be generated for it.
        logger.Log(level, exception, "{Source}: {Message}", source, text);
#pragma warning restore CA1848, CA2254
    }
}
