using Cloud.Admission;
using Cloud.Tests.Infrastructure;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Tests.Admission;

public sealed class ValidityRuleTests : IAsyncLifetime
{
    private AdmissionHarness harness = null!;

    private RegistryWriter Registry => harness.Registry;

    public async Task InitializeAsync() => harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task ExpiredCertificateIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddHours(-1));
        await PinAsync(certificate);

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.Validity, decision.Rule);
        Assert.Contains("The certificate expired at", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotYetValidCertificateIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow.AddDays(10));
        await PinAsync(certificate);

        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.Validity, decision.Rule);
        Assert.Contains("The certificate is not valid before", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public async Task ExpiryAllowsClockSkew(int secondsAfterExpiry, bool admitted)
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(1));
        await PinAsync(certificate);

        var now = NotAfter(certificate).AddSeconds(secondsAfterExpiry);
        var decision = await harness.DecideAsync("dev-1", certificate, now: now);

        Assert.Equal(admitted, decision.IsAllowed);
        Assert.Equal(admitted ? AdmissionRules.ThingSignature : AdmissionRules.Validity, decision.Rule);
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(31, false)]
    public async Task NotBeforeAllowsClockSkew(int secondsBeforeStart, bool admitted)
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(10));
        await PinAsync(certificate);

        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var decision = await harness.DecideAsync("dev-1", certificate, now: notBefore.AddSeconds(-secondsBeforeStart));

        Assert.Equal(admitted, decision.IsAllowed);
        Assert.Equal(admitted ? AdmissionRules.ThingSignature : AdmissionRules.Validity, decision.Rule);
    }

    [Fact]
    public async Task ZeroClockSkewDeniesAtExpiry()
    {
        await using var strict = await AdmissionHarness.StartAsync(TimeSpan.Zero);
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(1));
        await strict.Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await strict.Registry.AddThingAsync("dev-1", "sensor_v1", certificate);

        var atExpiry = await strict.DecideAsync("dev-1", certificate, now: NotAfter(certificate));
        var afterExpiry = await strict.DecideAsync("dev-1", certificate, now: NotAfter(certificate).AddSeconds(1));

        Assert.True(atExpiry.IsAllowed, atExpiry.Reason);
        Assert.False(afterExpiry.IsAllowed);
        Assert.Equal(AdmissionRules.Validity, afterExpiry.Rule);
    }

    [Fact]
    public async Task RevokedPinnedCertificateIsDenied()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec);
        await PinAsync(certificate);

        await Registry.RevokeAsync(certificate, "Private key leaked.");
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.False(decision.IsAllowed);
        Assert.Equal(AdmissionRules.Revoked, decision.Rule);
        Assert.Contains("Private key leaked.", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevocationPrecedesValidity()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddHours(-1));
        await PinAsync(certificate);

        await Registry.RevokeAsync(certificate, "Device stolen.");
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.Equal(AdmissionRules.Revoked, decision.Rule);
    }

    [Fact]
    public async Task ValidityPrecedesDisabledThing()
    {
        using var certificate = TestCertificates.SelfSigned("dev-1", KeyKind.Ec, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddHours(-1));
        await PinAsync(certificate);

        await Registry.ReplaceThingAsync(RegistryWriter.Thing("dev-1", "sensor_v1", false, certificate));
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.Equal(AdmissionRules.Validity, decision.Rule);
    }

    [Fact]
    public async Task RevokedDefinitionSignatureDoesNotRegister()
    {
        using var certificate = TestCertificates.SelfSigned("sensor", KeyKind.Ec);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1", certificate));

        await Registry.RevokeAsync(certificate, "Batch recalled.");
        var decision = await harness.DecideAsync("dev-1", certificate);

        Assert.Equal(AdmissionRules.Revoked, decision.Rule);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    [Fact]
    public async Task RevokedCertificateFromTrustedCaIsDenied()
    {
        using var root = TestCertificates.CreateCa("Test Root CA");
        using var leaf = TestCertificates.Issue(root, "dev-1", KeyKind.Ec);
        await Registry.AddCaAsync("root", root);
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("gateway_v1", trustedCas: ["root"]));

        await Registry.RevokeAsync(leaf, "Device stolen.");
        var decision = await harness.DecideAsync("dev-1", leaf);

        Assert.Equal(AdmissionRules.Revoked, decision.Rule);
        Assert.Null(await Registry.FindThingAsync("dev-1"));
    }

    private static DateTimeOffset NotAfter(X509Certificate2 certificate) =>
        new(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    private async Task PinAsync(X509Certificate2 certificate)
    {
        await Registry.AddDefinitionAsync(RegistryWriter.Definition("sensor_v1"));
        await Registry.AddThingAsync("dev-1", "sensor_v1", certificate);
    }
}
