using System.Security.Cryptography.X509Certificates;
using Cloud.Registry;
using Cloud.Registry.Authorities;
using Cloud.Registry.Revocations;
using Cloud.Registry.Signatures;
using Cloud.Registry.ThingDefinitions;
using Cloud.Registry.Things;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Writes registry state through the real stores, each call in its own DI scope as a request
/// would. Setup methods assert that the write succeeded; the others return the store's result.
/// </summary>
public sealed class RegistryWriter(IServiceProvider services)
{
    public static string SignatureOf(X509Certificate2 certificate) => TlsSignature.FromCertificate(certificate).Canonical;

    public static ThingDefinitionDraft Definition(
        string key,
        X509Certificate2? signatureCertificate = null,
        IReadOnlyList<string>? trustedCas = null,
        bool autoRegister = true,
        bool enabled = true,
        NameRule nameRule = NameRule.CommonName)
    {
        var attributes = new Dictionary<string, AttributeDraft>(StringComparer.Ordinal);
        if (signatureCertificate is not null)
        {
            attributes[ThingDefinition.SignatureAttributeKey] = new AttributeDraft("TLS signature", SignatureOf(signatureCertificate));
        }

        return new ThingDefinitionDraft(key, key, null, attributes)
        {
            Enabled = enabled,
            AutoRegister = autoRegister,
            NameRule = nameRule,
            TrustedCas = trustedCas ?? [],
        };
    }

    public static ThingDraft Thing(string key, string definitionKey, bool enabled, params X509Certificate2[] certificates) =>
        new(key, key, definitionKey, enabled, new Dictionary<string, string>(), [.. certificates.Select(SignatureOf)]);

    public async Task AddDefinitionAsync(ThingDefinitionDraft draft) =>
        Expect(RegistryStatus.Created, await UseAsync<ThingDefinitionStore, RegistryResult<ThingDefinition>>(store => store.CreateAsync(draft, CancellationToken.None)));

    public async Task ReplaceDefinitionAsync(ThingDefinitionDraft draft) =>
        Expect(RegistryStatus.Ok, await UseAsync<ThingDefinitionStore, RegistryResult<ThingDefinition>>(store => store.ReplaceAsync(draft, CancellationToken.None)));

    public async Task DeleteDefinitionAsync(string key) =>
        Assert.True(await UseAsync<ThingDefinitionStore, bool>(store => store.DeleteAsync(key, CancellationToken.None)), $"Thing definition '{key}' was not deleted.");

    public async Task AddThingAsync(string key, string definitionKey, params X509Certificate2[] certificates) =>
        Expect(RegistryStatus.Created, await UseAsync<ThingStore, RegistryResult<Thing>>(store => store.CreateAsync(Thing(key, definitionKey, true, certificates), CancellationToken.None)));

    public async Task ReplaceThingAsync(ThingDraft draft) =>
        Expect(RegistryStatus.Ok, await UseAsync<ThingStore, RegistryResult<Thing>>(store => store.ReplaceAsync(draft, CancellationToken.None)));

    public async Task DeleteThingAsync(string key) =>
        Assert.True(await UseAsync<ThingStore, bool>(store => store.DeleteAsync(key, CancellationToken.None)), $"Thing '{key}' was not deleted.");

    public Task<Thing?> FindThingAsync(string key) =>
        UseAsync<ThingStore, Thing?>(store => store.FindAsync(key, CancellationToken.None));

    public async Task AddCaAsync(string key, X509Certificate2 certificate) =>
        Expect(RegistryStatus.Created, await UseAsync<TrustedCaStore, RegistryResult<TrustedCa>>(store => store.CreateAsync(new TrustedCaDraft(key, key, certificate, Enabled: true), CancellationToken.None)));

    public async Task DisableCaAsync(string key, X509Certificate2 certificate) =>
        Expect(RegistryStatus.Ok, await UseAsync<TrustedCaStore, RegistryResult<TrustedCa>>(store => store.ReplaceAsync(new TrustedCaDraft(key, key, certificate, Enabled: false), CancellationToken.None)));

    public async Task DeleteCaAsync(string key) =>
        Assert.True(await UseAsync<TrustedCaStore, bool>(store => store.DeleteAsync(key, CancellationToken.None)), $"CA '{key}' was not deleted.");

    public async Task RevokeAsync(X509Certificate2 certificate, string reason) =>
        Expect(RegistryStatus.Created, await UseAsync<RevocationStore, RegistryResult<Revocation>>(store => store.CreateAsync(TlsSignature.FromCertificate(certificate), reason, CancellationToken.None)));

    private static void Expect<T>(RegistryStatus expected, RegistryResult<T> result) =>
        Assert.True(result.Status == expected, $"Expected {expected}, got {result.Status}: {result.Error}");

    private async Task<TResult> UseAsync<TStore, TResult>(Func<TStore, Task<TResult>> action)
        where TStore : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TStore>());
    }
}
