using Cloud.Admission;
using Cloud.Registry.ThingDefinitions;
using Cloud.Tests.Infrastructure;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Tests.Admission;

public sealed class TrustedIssuerRuleTests : IAsyncLifetime
{
    private readonly X509Certificate2 root = TestCertificates.CreateCa("Test Root CA");
    private AdmissionHarness harness = null!;

    private RegistryWriter Registry => harness.Registry;

    public async Task InitializeAsync() => harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        root.Dispose();
    }

    [Fact]
    public async Task RootIssuedCertificateRegistersThing()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf);
        var thing = await Registry.FindThingAsync("dev-1");

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.TrustedIssuer, decision.Rule);
        Assert.Equal("gateway_v1", decision.ThingDefinition);
        Assert.Contains("chains to CA 'root' trusted by thing definition 'gateway_v1'", decision.Reason, StringComparison.Ordinal);
        Assert.NotNull(thing);
        Assert.True(thing.AutoRegistered);
    }

    [Fact]
    public async Task TrustedIssuerAdmitsRegisteredThing()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddThingAsync("dev-1", "gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.TrustedIssuer, decision.Rule);
        Assert.DoesNotContain("registered as a new thing", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrustedIssuerWithAutoRegistrationOffIsDenied()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"], autoRegister: false));

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.AutoRegistrationOff, decision.Rule);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task IntermediateSentByClientCompletesChain()
    {
        using var intermediate = CreateIntermediate();
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf, [intermediate]);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.TrustedIssuer, decision.Rule);
        Assert.Contains("CA 'root'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeafWithoutIntermediateIsDenied()
    {
        using var intermediate = CreateIntermediate();
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("Thing definition 'gateway_v1': the certificate's issuer was not found", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task RegisteredIntermediateCompletesChain()
    {
        using var intermediate = CreateIntermediate();
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddCaAsync("intermediate", intermediate);

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.TrustedIssuer, decision.Rule);
    }

    [Fact]
    public async Task TrustedIntermediateAdmitsWithoutRoot()
    {
        using var intermediate = CreateIntermediate();
        using var leaf = TestCertificates.Issue(intermediate, "dev-1", KeyKind.Ec);
        await Registry.AddCaAsync("intermediate", intermediate);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["intermediate"]));

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Contains("CA 'intermediate'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnregisteredIssuerIsDenied()
    {
        using var otherRoot = TestCertificates.CreateCa("Other Root CA");
        using var leaf = TestCertificates.Issue(otherRoot, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("no thing definition admits it by issuer", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("the certificate's issuer was not found", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuerTrustedByNoDefinitionIsDenied()
    {
        using var otherRoot = TestCertificates.CreateCa("Other Root CA");
        using var leaf = TestCertificates.Issue(otherRoot, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddCaAsync("other", otherRoot);

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("which is not a CA trusted by thing definition 'gateway_v1'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSignedPinnedCertificateRequiresIssuer()
    {
        using var selfSigned = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddThingAsync("dev-1", "gateway_v1", selfSigned);

        var decision = await harness.DecideAsync("dev-1", selfSigned);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.IssuerRequired, decision.Rule);
        Assert.Contains("thing definition 'gateway_v1' requires a trusted issuer", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfSignedDefinitionSignatureRequiresIssuer()
    {
        using var selfSigned = TestCertificates.SelfSigned("gateway", KeyKind.Ec);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", selfSigned, trustedCas: ["root"]));

        var decision = await harness.DecideAsync("dev-1", selfSigned);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.IssuerRequired, decision.Rule);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task PinnedCertificateFromTrustedIssuerIsAdmitted()
    {
        using var leaf = TestCertificates.Issue(root, "serial-4711", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddThingAsync("dev-1", "gateway_v1", leaf);

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.ThingSignature, decision.Rule);
    }

    [Theory]
    [InlineData(NameRule.CommonName, "dev-7", null, null, "dev-7", true)]
    [InlineData(NameRule.CommonName, "other", "dev-7", null, "dev-7", false)]
    [InlineData(NameRule.SanDns, "other", "dev-7", null, "dev-7", true)]
    [InlineData(NameRule.SanDns, "dev-7", null, null, "dev-7", false)]
    [InlineData(NameRule.SanDns, "dev-7", "dev-8", null, "dev-7", false)]
    [InlineData(NameRule.SanUri, "other", null, "urn:device:dev-7", "urn:device:dev-7", true)]
    [InlineData(NameRule.SanUri, "urn:device:dev-7", null, null, "urn:device:dev-7", false)]
    [InlineData(NameRule.Any, "dev-7", null, null, "dev-7", true)]
    [InlineData(NameRule.Any, "other", "dev-7", null, "dev-7", true)]
    [InlineData(NameRule.Any, "other", null, "urn:device:dev-7", "urn:device:dev-7", true)]
    [InlineData(NameRule.Any, "other", "dev-8", "urn:device:dev-9", "dev-7", false)]
    public async Task NameRuleComparesSelectedName(NameRule rule, string commonName, string? dnsName, string? uri, string clientId, bool admitted)
    {
        using var leaf = TestCertificates.Issue(
            root,
            commonName,
            KeyKind.Ec,
            dnsNames: dnsName is null ? null : [dnsName],
            uris: uri is null ? null : [new Uri(uri)]);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"], nameRule: rule));

        // A registered thing keeps the key pattern out of the comparison, so URI names can match.
        await Registry.AddThingAsync(clientId, "gateway_v1");
        var decision = await harness.DecideAsync(clientId, leaf);

        Assert.Equal(admitted, decision.IsAllowed);
        Assert.Equal(admitted ? AdmissionRules.TrustedIssuer : AdmissionRules.NoMatch, decision.Rule);
        if (!admitted)
        {
            Assert.Contains($"{CertificateNames.Describe(rule)} is not client id '{clientId}'", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NameMismatchDoesNotRegister()
    {
        using var leaf = TestCertificates.Issue(root, "dev-2", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("the subject CN is not client id 'dev-1'", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task DisabledCaNoLongerAdmits()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        var before = await harness.DecideAsync("dev-1", leaf);

        await Registry.DisableCaAsync("root", root);
        var after = await harness.DecideAsync("dev-1", leaf);

        Assert.True(before.IsAllowed, before.Reason);
        Assert.False(after.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, after.Rule);
        Assert.Contains("none of the CAs trusted by thing definition 'gateway_v1' is registered and enabled", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedCaNoLongerAdmits()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        var before = await harness.DecideAsync("dev-1", leaf);

        await Registry.DeleteCaAsync("root");
        var after = await harness.DecideAsync("dev-1", leaf);

        Assert.True(before.IsAllowed, before.Reason);
        Assert.False(after.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, after.Rule);
        Assert.Contains("none of the CAs trusted by thing definition 'gateway_v1' is registered and enabled", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledCaDeniesPinnedCertificate()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddThingAsync("dev-1", "gateway_v1", leaf);

        await Registry.DisableCaAsync("root", root);
        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.IssuerRequired, decision.Rule);
    }

    [Fact]
    public async Task CaSharedByTwoDefinitionsIsAmbiguous()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("meter_v1", trustedCas: ["root"]));

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("several thing definitions ('gateway_v1', 'meter_v1')", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task DisabledDefinitionIsNotCandidate()
    {
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await TrustRootAsync("gateway_v1");
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("meter_v1", trustedCas: ["root"], enabled: false));

        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal("gateway_v1", decision.ThingDefinition);
    }

    /// <summary>Creates an intermediate CA that ends before the root does, as an issuer requires.</summary>
    private X509Certificate2 CreateIntermediate() =>
        TestCertificates.CreateCa("Test Intermediate CA", root, notAfter: DateTimeOffset.UtcNow.AddDays(300));

    private async Task TrustRootAsync(string definitionKey)
    {
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition(definitionKey, trustedCas: ["root"]));
    }
}
