namespace Cloud.Broker;

/// <summary>
/// The broker could not start: its port could not be bound or its certificate could not be
/// loaded. The message names the cause and the setting to fix.
/// </summary>
public sealed class BrokerStartException : InvalidOperationException
{
    public BrokerStartException()
    {
    }

    public BrokerStartException(string message)
        : base(message)
    {
    }

    public BrokerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
