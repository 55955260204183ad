using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// An MQTTnet client that records when and why the broker closed its connection, so tests can
/// await the DISCONNECT instead of polling.
/// </summary>
public sealed class ObservedMqttClient : IDisposable
{
    private readonly TaskCompletionSource<ObservedDisconnect> disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ObservedMqttClient(IMqttClient client)
    {
        Client = client;
        Client.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected)
            {
                disconnected.TrySetResult(new ObservedDisconnect(args, Stopwatch.GetTimestamp()));
            }

            return Task.CompletedTask;
        };
    }

    public IMqttClient Client { get; }

    /// <summary>CONNACK result; null when the connect failed with an exception.</summary>
    public MqttClientConnectResult? Result { get; private set; }

    /// <summary>Message of the exception a failed connect raised.</summary>
    public string? Failure { get; private set; }

    public bool Admitted => Result?.ResultCode == MqttClientConnectResultCode.Success;

    /// <summary>Completes when an established connection is closed, by the broker or the network.</summary>
    public Task<ObservedDisconnect> Disconnected => disconnected.Task;

    /// <summary>Connects and keeps the outcome; a connect that MQTTnet reports as failed does not throw.</summary>
    public static async Task<ObservedMqttClient> ConnectAsync(
        CloudFactory factory,
        string clientId,
        X509Certificate2 certificate,
        MqttProtocolVersion version = MqttProtocolVersion.V500,
        IEnumerable<X509Certificate2>? intermediates = null)
    {
        var observed = new ObservedMqttClient(new MqttClientFactory().CreateMqttClient());
        try
        {
            observed.Result = await observed.Client.ConnectAsync(MqttTestClient.Options(factory, clientId, certificate, version, intermediates));
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException exception)
        {
            observed.Failure = exception.Message;
        }

        return observed;
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>A closed connection with the <see cref="Stopwatch"/> timestamp of the event.</summary>
public sealed record ObservedDisconnect(MqttClientDisconnectedEventArgs Args, long Timestamp);
