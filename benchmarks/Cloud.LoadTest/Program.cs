using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;

// Measures how fast registry changes reach live MQTT sessions of a running service: the time
// from a REST call (revoking one certificate, disabling a definition) until the broker's
// DISCONNECT arrives at the affected clients. Start the service first, for example:
//   dotnet run -c Release --project src/Cloud
//   dotnet run -c Release --project benchmarks/Cloud.LoadTest -- --sessions 1000
var options = LoadOptions.Parse(args);
var adminKey = (await File.ReadAllTextAsync(options.KeyFile)).Trim();
using var http = new HttpClient { BaseAddress = new Uri(options.Api) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
var trust = new X509Certificate2Collection(X509CertificateLoader.LoadCertificateFromFile(options.CaFile));

var definition = $"load_{DateTime.UtcNow:yyyyMMddHHmmss}";
Console.WriteLine($"Registering definition {definition} and {options.Sessions} things...");
await Expect(http.PostAsJsonAsync("/api/thing-defs", new { key = definition, name = "Load test", autoRegister = false }));

var devices = new Device[options.Sessions];
await Parallel.ForAsync(0, options.Sessions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
{
    var device = Device.Create($"{definition}-{i}");
    await Expect(http.PostAsJsonAsync("/api/things", new { key = device.ClientId, name = device.ClientId, definition, tlssignature = new[] { device.Signature } }, token));
    devices[i] = device;
});

Console.WriteLine($"Connecting {options.Sessions} MQTT 5 sessions...");
var connectWatch = Stopwatch.StartNew();
await Parallel.ForAsync(0, options.Sessions, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
    await devices[i].ConnectAsync(options, trust, token));
Console.WriteLine($"Connected {devices.Count(d => d.Client.IsConnected)} sessions in {connectWatch.Elapsed.TotalSeconds:F1} s.");

var single = new List<double>();
for (var round = 0; round < options.Rounds; round++)
{
    var device = devices[round];
    var started = Stopwatch.GetTimestamp();
    await Expect(http.PostAsJsonAsync("/api/revocations", new { certificate = device.CertificatePem, reason = "load test" }));
    await device.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
    single.Add(device.MillisecondsSince(started));
}

var remaining = devices.Skip(options.Rounds).ToList();
var massStarted = Stopwatch.GetTimestamp();
await Expect(http.PutAsJsonAsync($"/api/thing-defs/{definition}", new { name = "Load test", autoRegister = false, enabled = false }));
var restMilliseconds = Stopwatch.GetElapsedTime(massStarted).TotalMilliseconds;
await Task.WhenAll(remaining.Select(d => d.Disconnected.Task.WaitAsync(TimeSpan.FromSeconds(60))));
var mass = remaining.Select(d => d.MillisecondsSince(massStarted)).ToList();

Console.WriteLine();
Console.WriteLine($"| measurement | sessions | median ms | p95 ms | max ms |");
Console.WriteLine($"|---|---|---|---|---|");
Console.WriteLine($"| revoke one certificate (POST /api/revocations) to its DISCONNECT | {options.Sessions} live | {Percentile(single, 0.5):F1} | {Percentile(single, 0.95):F1} | {single.Max():F1} |");
Console.WriteLine($"| disable definition (PUT, returned after {restMilliseconds:F0} ms) to each DISCONNECT | {remaining.Count} cut | {Percentile(mass, 0.5):F1} | {Percentile(mass, 0.95):F1} | {mass.Max():F1} |");
Console.WriteLine($"Reasons seen: {string.Join("; ", devices.Select(d => d.Reason).Distinct().Take(3))}");

await Expect(http.DeleteAsync($"/api/thing-defs/{definition}"));
foreach (var device in devices)
{
    device.Client.Dispose();
}

static double Percentile(List<double> values, double fraction)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
}

static async Task Expect(Task<HttpResponseMessage> call)
{
    using var response = await call;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} returned {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>Command-line settings of the load test.</summary>
internal sealed record LoadOptions(string Api, string BrokerHost, int BrokerPort, string CaFile, string KeyFile, int Sessions, int Rounds)
{
    public static LoadOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new LoadOptions(
            Value("--api", "http://127.0.0.1:8080"),
            Value("--broker-host", "127.0.0.1"),
            int.Parse(Value("--broker-port", "8883"), CultureInfo.InvariantCulture),
            Value("--ca", "data/tls/dev-ca.crt"),
            Value("--key-file", "data/admin-api-key"),
            int.Parse(Value("--sessions", "1000"), CultureInfo.InvariantCulture),
            int.Parse(Value("--rounds", "20"), CultureInfo.InvariantCulture));
    }
}

/// <summary>A simulated device: its certificate, MQTT client and the moment it was disconnected.</summary>
internal sealed class Device
{
    private long disconnectedTimestamp;

    private Device(string clientId, X509Certificate2 certificate)
    {
        ClientId = clientId;
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
        Signature = Convert.ToHexStringLower(ReadSignature(certificate));
        Client = new MqttClientFactory().CreateMqttClient();
        Client.DisconnectedAsync += args =>
        {
            Interlocked.CompareExchange(ref disconnectedTimestamp, Stopwatch.GetTimestamp(), 0);
            Reason = $"{args.ReasonString}";
            Disconnected.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public string ClientId { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    public string Signature { get; }

    public IMqttClient Client { get; }

    public string? Reason { get; private set; }

    public TaskCompletionSource Disconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Milliseconds from a Stopwatch timestamp to the moment the DISCONNECT arrived.</summary>
    public double MillisecondsSince(long started) =>
        Stopwatch.GetElapsedTime(started, Interlocked.Read(ref disconnectedTimestamp)).TotalMilliseconds;

    public static Device Create(string clientId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clientId}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return new Device(clientId, X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    public async Task ConnectAsync(LoadOptions options, X509Certificate2Collection trust, CancellationToken cancellationToken)
    {
        var mqtt = new MqttClientOptionsBuilder()
            .WithTcpServer(options.BrokerHost, options.BrokerPort)
            .WithClientId(ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTlsOptions(tls => tls.UseTls().WithTargetHost("localhost").WithTrustChain(trust).WithClientCertificates([Certificate]))
            .Build();
        var result = await Client.ConnectAsync(mqtt, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"{ClientId} was rejected with {result.ResultCode}: {result.ReasonString}");
        }
    }

    /// <summary>Reads the signatureValue BIT STRING of the certificate (RFC 5280, section 4.1.1.3).</summary>
    private static byte[] ReadSignature(X509Certificate2 certificate)
    {
        var reader = new System.Formats.Asn1.AsnReader(certificate.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        reader.ReadEncodedValue();
        reader.ReadEncodedValue();
        return reader.ReadBitString(out _);
    }
}
