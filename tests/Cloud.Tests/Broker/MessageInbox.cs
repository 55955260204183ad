using System.Threading.Channels;
using MQTTnet;

namespace Cloud.Tests.Broker;

/// <summary>
/// Topics of the messages an MQTTnet client receives, in order of arrival. A test proves that a
/// message was not delivered by publishing a marker message after it and checking what arrived
/// before the marker, because the broker delivers one session's messages in order.
/// </summary>
internal sealed class MessageInbox
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<string> topics = Channel.CreateUnbounded<string>();

    public MessageInbox(IMqttClient client)
    {
        client.ApplicationMessageReceivedAsync += args =>
        {
            topics.Writer.TryWrite(args.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
    }

    /// <summary>Waits for a message on <paramref name="topic"/> and returns the topics received before it.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string topic)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var before = new List<string>();
        try
        {
            while (true)
            {
                var received = await topics.Reader.ReadAsync(timeout.Token);
                if (received == topic)
                {
                    return before;
                }

                before.Add(received);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message on '{topic}' arrived within {Timeout.TotalSeconds} s; received before: [{string.Join(", ", before)}].");
        }
    }
}
