using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Broker.Acl;
using Cloud.Broker.Sessions;
using Cloud.Broker.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;
using MQTTnet.Server;

namespace Cloud.Broker;

/// <summary>
/// Hosts the MQTTnet broker behind its own Kestrel listener, which terminates TLS, requires a
/// client certificate and closes handshakes that take longer than the configured timeout.
/// The start is awaited, so a busy port or a bad certificate stops the host.
/// </summary>
public sealed class BrokerService : IHostedService, IAsyncDisposable
{
    private readonly BrokerOptions options;
    private readonly IServiceProvider services;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<BrokerService> logger;
    private readonly ConnectHook connectHook;
    private readonly ClientCertificates clientCertificates;
    private readonly TimeProvider clock;
    private readonly SessionGuard guard;
    private readonly TopicGuard topicGuard;
    private KestrelServer? listener;
    private ListenOptions? listenOptions;

    internal BrokerService(
        IOptions<BrokerOptions> options,
        IServiceProvider services,
        ILoggerFactory loggerFactory,
        ConnectHook connectHook,
        ClientCertificates clientCertificates,
        SessionGuard guard,
        TopicGuard topicGuard,
        TimeProvider clock)
    {
        this.topicGuard = topicGuard;
        this.guard = guard;
        this.options = options.Value;
        this.services = services;
        this.loggerFactory = loggerFactory;
        this.logger = loggerFactory.CreateLogger<BrokerService>();
        this.connectHook = connectHook;
        this.clientCertificates = clientCertificates;
        this.clock = clock;
    }

    /// <summary>The MQTTnet server; null until the service has started.</summary>
    public MqttServer? Server { get; private set; }

    /// <summary>Bound endpoint of the MQTT/TLS listener, with the port the OS chose for port 0.</summary>
    public IPEndPoint? Endpoint => listenOptions?.IPEndPoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        X509Certificate2Collection certificates;
        try
        {
            certificates = ServerCertificateLoader.Load(options.Tls, clock, logger);
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or InvalidOperationException)
        {
            throw new BrokerStartException($"The broker's server certificate could not be loaded: {exception.Message} Check the Broker:Tls settings.", exception);
        }

        var certificateContext = SslStreamCertificateContext.Create(certificates[0], [.. certificates.Skip(1)], offline: true);

        var connectionHandler = new MqttConnectionHandler();
        var serverOptions = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithDefaultCommunicationTimeout(options.ConnectTimeout)
            .WithKeepAlive()
            .Build();
        Server = new MqttServerFactory().CreateMqttServer(serverOptions, [connectionHandler], new MqttNetLoggerBridge(loggerFactory));
        Server.ValidatingConnectionAsync += connectHook.ValidateAsync;
        Server.ClientConnectedAsync += connectHook.ConnectedAsync;
        Server.ClientDisconnectedAsync += connectHook.DisconnectedAsync;
        Server.InterceptingPublishAsync += topicGuard.PublishAsync;
        Server.InterceptingSubscriptionAsync += topicGuard.SubscribeAsync;
        Server.InterceptingClientEnqueueAsync += topicGuard.EnqueueAsync;
        await Server.StartAsync();
        guard.Start(Server);

        var endpoint = new IPEndPoint(IPAddress.Parse(options.BindAddress), options.Port);
        var kestrelOptions = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        kestrelOptions.Limits.MaxConcurrentConnections = options.MaxConnections;
        kestrelOptions.Listen(endpoint, listen =>
        {
            listenOptions = listen;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = options.HandshakeTimeout,
                OnConnection = context => ValueTask.FromResult(CreateSslOptions(context.Connection, certificateContext)),
            });
            listen.Run(connection => HandleConnectionAsync(connection, connectionHandler));
        });

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        listener = new KestrelServer(Options.Create(kestrelOptions), transport, loggerFactory);
        try
        {
            await listener.StartAsync(new NoHttpApplication(), cancellationToken);
        }
        catch (IOException exception)
        {
            BrokerLog.ListenFailed(logger, endpoint.ToString(), exception.Message, exception);
            await guard.StopAsync();
            await Server.StopAsync();
            throw new BrokerStartException($"The MQTT broker could not listen on {endpoint}: {exception.Message} Set Broker:Port to a free port.", exception);
        }

        BrokerLog.Started(logger, Endpoint!.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (listener is not null)
        {
            await listener.StopAsync(cancellationToken);
        }

        await guard.StopAsync();
        if (Server is { IsStarted: true })
        {
            await Server.StopAsync();
            BrokerLog.Stopped(logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener?.Dispose();
        Server?.Dispose();
        await Task.CompletedTask;
    }

    private SslServerAuthenticationOptions CreateSslOptions(ConnectionContext connection, SslStreamCertificateContext certificateContext) => new()
    {
        ServerCertificateContext = certificateContext,
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

        // Client certificates are judged at CONNECT by the admission rules, which accept
        // self-signed and unknown-issuer certificates when their signature is registered.
        // The TLS layer only requires that a certificate was sent and keeps what came with it.
        RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is null)
            {
                BrokerLog.NoClientCertificate(logger, connection.RemoteEndPoint?.ToString() ?? "unknown");
                return false;
            }

            var intermediates = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? [];
            clientCertificates.Add(connection.RemoteEndPoint, intermediates);
            return true;
        },
    };

    private async Task HandleConnectionAsync(ConnectionContext connection, MqttConnectionHandler handler)
    {
        try
        {
            await handler.OnConnectedAsync(connection);
        }
        finally
        {
            clientCertificates.Remove(connection.RemoteEndPoint);
        }
    }

    /// <summary>
    /// Placeholder application for the Kestrel listener, which carries only MQTT connections.
    /// </summary>
    private sealed class NoHttpApplication : IHttpApplication<object>
    {
        public object CreateContext(IFeatureCollection contextFeatures) =>
            throw new NotSupportedException("The MQTT listener does not serve HTTP.");

        public Task ProcessRequestAsync(object context) => Task.CompletedTask;

        public void DisposeContext(object context, Exception? exception)
        {
        }
    }
}
