using Cloud.Registry;
using Cloud.Registry.ThingDefinitions;
using Cloud.Registry.Things;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Tests.Registry;

public sealed class ThingStoreTests : IDisposable
{
    private readonly CloudFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task SignatureAttributeIsRejected()
    {
        using var scope = factory.Services.CreateScope();
        var definitions = scope.ServiceProvider.GetRequiredService<ThingDefinitionStore>();
        var things = scope.ServiceProvider.GetRequiredService<ThingStore>();
        await definitions.CreateAsync(new ThingDefinitionDraft("sensor_v1", "Sensor", null, new Dictionary<string, AttributeDraft>()), CancellationToken.None);
        var attributes = new Dictionary<string, string> { ["TlsSignature"] = "51:0c" };

        var result = await things.CreateAsync(new ThingDraft("sensor-0001", "Sensor", "sensor_v1", true, attributes, []), CancellationToken.None);

        Assert.Equal(RegistryStatus.Invalid, result.Status);
        Assert.Equal("attributes.TlsSignature", result.Field);
        Assert.Null(await things.FindAsync("sensor-0001", CancellationToken.None));
    }
}
