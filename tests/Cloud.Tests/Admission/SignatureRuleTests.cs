using Cloud.Admission;
using Cloud.Registry.Things;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Admission;

public sealed class SignatureRuleTests : IAsyncLifetime
{
    private AdmissionHarness harness = null!;

    private RegistryWriter Registry => harness.Registry;

    public async Task InitializeAsync() => harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task MissingCertificateIsDenied()
    {
        var decision = await harness.DecideAsync("dev-1", null);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoCertificate, decision.Rule);
        Assert.Contains("no certificate", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyClientIdIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));

        var decision = await harness.DecideAsync(string.Empty, certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoClientId, decision.Rule);
    }

    [Fact]
    public async Task PinnedThingsOfOneDefinitionAreEachAdmitted()
    {
        using var first = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        using var second = TestCertificates.SelfSigned("dev-2", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", first);
        await Registry.AddThingAsync("dev-2", "sensor_v1", second);

        var firstDecision = await harness.DecideAsync("dev-1", first);
        var secondDecision = await harness.DecideAsync("dev-2", second);

        Assert.True(firstDecision.IsAllowed, firstDecision.Reason);
        Assert.Equal(AdmissionRules.ThingSignature, firstDecision.Rule);
        Assert.Equal("dev-1", firstDecision.Thing);
        Assert.Equal("sensor_v1", firstDecision.ThingDefinition);
        Assert.Contains("pinned to thing 'dev-1'", firstDecision.Reason, StringComparison.Ordinal);
        Assert.True(secondDecision.IsAllowed, secondDecision.Reason);
        Assert.Equal(AdmissionRules.ThingSignature, secondDecision.Rule);
        Assert.Equal("dev-2", secondDecision.Thing);
    }

    [Fact]
    public async Task CertificateOfAnotherThingIsDenied()
    {
        using var first = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        using var second = TestCertificates.SelfSigned("dev-2", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", first);
        await Registry.AddThingAsync("dev-2", "sensor_v1", second);

        var decision = await harness.DecideAsync("dev-1", second);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.OtherThing, decision.Rule);
        Assert.Contains("pinned to thing 'dev-2', not to thing 'dev-1'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinnedCertificateUnderUnknownClientIdIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);

        var decision = await harness.DecideAsync("dev-9", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.OtherThing, decision.Rule);
        Assert.Contains("connect with client id 'dev-1'", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-9"));
    }

    [Fact]
    public async Task PrimaryAndSecondaryAreBothAdmitted()
    {
        using var primary = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        using var secondary = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", primary, secondary);

        var primaryDecision = await harness.DecideAsync("dev-1", primary);
        var secondaryDecision = await harness.DecideAsync("dev-1", secondary);

        Assert.True(primaryDecision.IsAllowed, primaryDecision.Reason);
        Assert.Equal(AdmissionRules.ThingSignature, primaryDecision.Rule);
        Assert.True(secondaryDecision.IsAllowed, secondaryDecision.Reason);
        Assert.Equal(AdmissionRules.ThingSignature, secondaryDecision.Rule);
    }

    [Fact]
    public async Task RotatedOutSignatureIsDenied()
    {
        using var old = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        using var next = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", old, next);

        await Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", true, next));
        var oldDecision = await harness.DecideAsync("dev-1", old);
        var nextDecision = await harness.DecideAsync("dev-1", next);

        Assert.False(oldDecision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, oldDecision.Rule);
        Assert.Contains("neither pinned to thing 'dev-1'", oldDecision.Reason, StringComparison.Ordinal);
        Assert.True(nextDecision.IsAllowed, nextDecision.Reason);
    }

    [Fact]
    public async Task DisabledThingIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);

        await Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", false, certificate));
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.ThingDisabled, decision.Rule);
        Assert.Equal("Thing 'dev-1' is disabled.", decision.Reason);
    }

    [Fact]
    public async Task DisabledDefinitionDeniesItsThing()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);

        await Registry.ReplaceDefinitionAsync(RegistryWriter.Definition("sensor_v1", enabled: false));
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.DefinitionDisabled, decision.Rule);
        Assert.Contains("'sensor_v1' of thing 'dev-1' is disabled", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateReportsRegistrationWithoutRegistering()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));

        var decision = harness.Admission.Evaluate(AdmissionHarness.Request("dev-1", certificate));

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.True(decision.RegistersThing);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task DefinitionSignatureRegistersThing()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));

        var decision = await harness.DecideAsync("dev-1", certificate);
        var thing = await Registry.FindThingAsync("dev-1");

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.DefinitionSignature, decision.Rule);
        Assert.Contains("registered as a new thing", decision.Reason, StringComparison.Ordinal);
        Assert.False(decision.RegistersThing);
        Assert.NotNull(thing);
        Assert.True(thing.AutoRegistered);
        Assert.Equal("sensor_v1", thing.Definition!.Key);
    }

    [Fact]
    public async Task DefinitionSignatureAdmitsRegisteredThing()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));
        await Registry.AddThingAsync("dev-1", "sensor_v1");

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.DefinitionSignature, decision.Rule);
        Assert.DoesNotContain("registered as a new thing", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefinitionSignatureWithAutoRegistrationOffIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate, autoRegister: false));

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.AutoRegistrationOff, decision.Rule);
        Assert.Contains("does not register new things", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task AutoRegistrationOffStillAdmitsRegisteredThing()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate, autoRegister: false));
        await Registry.AddThingAsync("dev-1", "sensor_v1");

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(AdmissionRules.DefinitionSignature, decision.Rule);
    }

    [Fact]
    public async Task DisabledDefinitionSignatureIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate, enabled: false));

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.DefinitionDisabled, decision.Rule);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task ClientIdOfAnotherDefinitionIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("meter_v1"));
        await Registry.AddThingAsync("meter-1", "meter_v1");

        var decision = await harness.DecideAsync("meter-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.OtherDefinition, decision.Rule);
        Assert.Contains("belongs to thing definition 'sensor_v1'", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("a thing of definition 'meter_v1'", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dev#1")]
    [InlineData("dev/1")]
    [InlineData("dev+1")]
    public async Task InvalidKeyIsNotRegistered(string clientId)
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));

        var decision = await harness.DecideAsync(clientId, certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoClientId, decision.Rule);
        Assert.Contains("cannot become a thing key", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync(clientId));
    }

    [Fact]
    public async Task UnknownSignatureIsDenied()
    {
        using var registered = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        using var unknown = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", registered));

        var decision = await harness.DecideAsync("dev-1", unknown);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.NoMatch, decision.Rule);
        Assert.Contains("no thing definition admits it by issuer", decision.Reason, StringComparison.Ordinal);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task DisabledThingPrecedesSignatureMatch()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));
        await Registry.AddThingAsync("dev-1", "sensor_v1");
        await Registry.ReplaceThingAsync(new ThingDraft("dev-1", "dev-1", "sensor_v1", false, new Dictionary<string, string>(), []));

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.ThingDisabled, decision.Rule);
    }
}
