using System.ComponentModel.DataAnnotations;

namespace Cloud.Broker;

/// <summary>
/// Settings of the embedded MQTT broker, bound from the "Broker" configuration section.
/// </summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>Address the MQTT/TLS listener binds to; "0.0.0.0" or "::" for every interface.</summary>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>TCP port of the MQTT/TLS listener; 0 lets the OS choose one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>Time a client has to finish the TLS handshake before the socket is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a client has to send CONNECT after the handshake before the socket is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Maximum of open MQTT connections, counting those still in the handshake.</summary>
    [Range(1, 1_000_000)]
    public long MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// URL of a remote validation endpoint (POST /api/mqtt/auth). When empty, the broker
    /// calls the admission rules of this process directly.
    /// </summary>
    public string? AuthUrl { get; set; }

    /// <summary>
    /// API key with role broker that is sent to <see cref="AuthUrl"/> as
    /// 'Authorization: Bearer'. Not used when the broker decides in process.
    /// </summary>
    public string? AuthApiKey { get; set; }

    /// <summary>Time the remote validation endpoint has to respond before the connect is denied.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether a denied PUBLISH from an MQTT 3.1.1 client closes its connection. MQTT 3.1.1 has
    /// no way to reject a publish, so otherwise the message is dropped without notice.
    /// </summary>
    public bool CloseOnDeniedPublish { get; set; } = true;

    public BrokerTlsOptions Tls { get; set; } = new();

    public Throttling.ThrottleOptions Throttle { get; set; } = new();
}

/// <summary>
/// Server certificate of the broker: PEM certificate and key files, or a PKCS#12 file.
/// When none is set, a development CA and server certificate are created in
/// <see cref="DevelopmentDirectory"/>.
/// </summary>
public sealed class BrokerTlsOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? PfxPath { get; set; }

    public string? PfxPassword { get; set; }

    /// <summary>
    /// Folder of the development CA and server certificate; the host sets it to
    /// "tls" under its data directory.
    /// </summary>
    public string? DevelopmentDirectory { get; set; }
}
