using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Cloud.Admission;
using Cloud.Admission.Topics;
using Cloud.Registry;
using Cloud.Registry.Signatures;
using Cloud.Registry.ThingDefinitions;

namespace Cloud.Benchmarks;

/// <summary>
/// Cost of one admission decision against a registry of 10,000 things, per rule, without
/// sockets: the work the broker adds to each CONNECT on top of TLS and MQTT.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private const int ThingCount = 10_000;

    private readonly AdmissionEvaluator evaluator = new(TimeSpan.FromSeconds(30));
    private RegistrySnapshot snapshot = RegistrySnapshot.Empty;
    private AdmissionRequest pinned = null!;
    private AdmissionRequest definitionPinned = null!;
    private AdmissionRequest byIssuer = null!;
    private AdmissionRequest unknown = null!;
    private TopicGrant grant = TopicGrant.None;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Bench Root", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        var pinnedCertificate = SelfSigned("thing-42", now);
        var definitionCertificate = SelfSigned("new-device", now);
        var issued = Issue(ca, "gateway-7", now);

        snapshot = snapshot
            .WithCa(new CaEntry("root", CertificateFacts.Fingerprint(ca), true, X509CertificateLoader.LoadCertificate(ca.RawData)))
            .WithDefinition(Definition("sensor_v1", TlsSignature.FromCertificate(definitionCertificate), []))
            .WithDefinition(Definition("gateway_v1", null, ["root"]));
        for (var i = 0; i < ThingCount; i++)
        {
            var signature = i == 42
                ? TlsSignature.FromCertificate(pinnedCertificate)
                : TlsSignature.FromBytes(RandomNumberGenerator.GetBytes(256));
            snapshot = snapshot.WithThing(new ThingEntry($"thing-{i}", "sensor_v1", true, [signature], ImmutableDictionary<string, string>.Empty));
        }

        pinned = Request("thing-42", pinnedCertificate, now);
        definitionPinned = Request("new-device", definitionCertificate, now);
        byIssuer = Request("gateway-7", issued, now);
        unknown = Request("stranger", SelfSigned("stranger", now), now);
        grant = evaluator.Evaluate(snapshot, pinned).Grant;
    }

    [Benchmark(Baseline = true)]
    public AdmissionDecision ThingSignature() => evaluator.Evaluate(snapshot, pinned);

    [Benchmark]
    public AdmissionDecision DefinitionSignature() => evaluator.Evaluate(snapshot, definitionPinned);

    [Benchmark]
    public AdmissionDecision TrustedIssuer() => evaluator.Evaluate(snapshot, byIssuer);

    [Benchmark]
    public AdmissionDecision UnknownDenied() => evaluator.Evaluate(snapshot, unknown);

    [Benchmark]
    public bool PublishAllowed() => grant.AllowsPublish("things/thing-42/telemetry/temperature");

    private static AdmissionRequest Request(string clientId, X509Certificate2 certificate, DateTimeOffset now) =>
        new(clientId, null, certificate, [], now);

    private static DefinitionEntry Definition(string key, TlsSignature? signature, ImmutableArray<string> cas) => new(
        key,
        key,
        signature,
        Enabled: true,
        AutoRegister: true,
        NameRule.CommonName,
        cas,
        [ThingDefinition.DefaultTopicTemplate],
        [ThingDefinition.DefaultTopicTemplate],
        ImmutableDictionary<string, string?>.Empty);

    private static X509Certificate2 SelfSigned(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        return request.Create(ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(8));
    }
}
