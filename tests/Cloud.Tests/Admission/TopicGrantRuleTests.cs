using Cloud.Registry.ThingDefinitions;
using Cloud.Registry.Things;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Admission;

/// <summary>
/// The topic grant an admission decision carries: the definition's templates expanded for the
/// thing, with the thing's attribute values over the definition's defaults.
/// </summary>
public sealed class TopicGrantRuleTests : IAsyncLifetime
{
    private const string SiteTemplate = "sites/${thing.attributes.site}/#";

    private AdmissionHarness harness = null!;

    private RegistryWriter Registry => harness.Registry;

    public async Task InitializeAsync() => harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task DefaultGrantIsOwnThingTopics()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(["things/dev-1/#"], decision.Grant.Publish.ToArray());
        Assert.Equal(["things/dev-1/#"], decision.Grant.Subscribe.ToArray());
    }

    [Fact]
    public async Task DefinitionDefaultFillsAttribute()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await AddSiteDefinitionAsync("south");
        await AddThingAsync(certificate, new Dictionary<string, string>());

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(["sites/south/#"], decision.Grant.Subscribe.ToArray());
    }

    [Fact]
    public async Task ThingAttributeOverridesDefault()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await AddSiteDefinitionAsync("south");
        await AddThingAsync(certificate, new Dictionary<string, string> { ["site"] = "north" });

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(["sites/north/#"], decision.Grant.Subscribe.ToArray());
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("north/#")]
    [InlineData("")]
    public async Task UnsafeThingAttributeGrantsNothing(string site)
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await AddSiteDefinitionAsync("south");
        await AddThingAsync(certificate, new Dictionary<string, string> { ["site"] = site });

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Empty(decision.Grant.Subscribe);
        Assert.False(decision.Grant.AllowsSubscribe("sites/#"));
        Assert.False(decision.Grant.AllowsSubscribe("sites/south/#"));
    }

    [Fact]
    public async Task UnsafeTemplateLeavesOthersGranted()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1") with
        {
            SubscribeTopics = [SiteTemplate, "things/${thing.key}/#"],
        });
        await AddThingAsync(certificate, new Dictionary<string, string> { ["site"] = "a/b" });

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.True(decision.IsAllowed, decision.Reason);
        Assert.Equal(["things/dev-1/#"], decision.Grant.Subscribe.ToArray());
    }

    [Fact]
    public async Task DeniedDecisionGrantsNothing()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Same(Cloud.Admission.Topics.TopicGrant.None, decision.Grant);
    }

    private Task AddSiteDefinitionAsync(string defaultSite)
    {
        var draft = RegistryWriter.Definition("sensor_v1");
        return Registry.AddDefinitionAsync(draft with
        {
            Attributes = new Dictionary<string, AttributeDraft>(draft.Attributes, StringComparer.Ordinal) { ["site"] = new AttributeDraft("Site", defaultSite) },
            PublishTopics = [SiteTemplate],
            SubscribeTopics = [SiteTemplate],
        });
    }

    private async Task AddThingAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, Dictionary<string, string> attributes)
    {
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);
        await Registry.ReplaceThingAsync(new ThingDraft("dev-1", "dev-1", "sensor_v1", true, attributes, [RegistryWriter.SignatureOf(certificate)]));
    }
}
