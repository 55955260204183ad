using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Cloud.Registry.Authorities;
using Cloud.Registry.Signatures;
using Cloud.Registry.Things;
using Cloud.Registry.ThingDefinitions;

namespace Cloud.Registry;

/// <summary>
/// Immutable registry state at one point in time, indexed for admission.
/// </summary>
public sealed record RegistrySnapshot(
    long Version,
    ImmutableDictionary<string, DefinitionEntry> Definitions,
    ImmutableDictionary<TlsSignature, DefinitionEntry> DefinitionsBySignature,
    ImmutableDictionary<string, ThingEntry> Things,
    ImmutableDictionary<TlsSignature, ThingEntry> ThingsBySignature,
    ImmutableDictionary<string, CaEntry> Cas,
    ImmutableDictionary<TlsSignature, RevocationEntry> Revocations)
{
    public static RegistrySnapshot Empty { get; } = new(
        0,
        ImmutableDictionary.Create<string, DefinitionEntry>(StringComparer.Ordinal),
        ImmutableDictionary<TlsSignature, DefinitionEntry>.Empty,
        ImmutableDictionary.Create<string, ThingEntry>(StringComparer.Ordinal),
        ImmutableDictionary<TlsSignature, ThingEntry>.Empty,
        ImmutableDictionary.Create<string, CaEntry>(StringComparer.Ordinal),
        ImmutableDictionary<TlsSignature, RevocationEntry>.Empty);

    public DefinitionEntry? FindBySignature(TlsSignature signature) =>
        DefinitionsBySignature.GetValueOrDefault(signature);

    internal RegistrySnapshot WithDefinition(DefinitionEntry entry)
    {
        var next = Definitions.TryGetValue(entry.Key, out var existing) && existing.Signature is not null
            ? DefinitionsBySignature.Remove(existing.Signature)
            : DefinitionsBySignature;
        if (entry.Signature is not null)
        {
            next = next.SetItem(entry.Signature, entry);
        }

        return this with { Definitions = Definitions.SetItem(entry.Key, entry), DefinitionsBySignature = next };
    }

    /// <summary>Removes a definition and, as the database cascade does, its things.</summary>
    internal RegistrySnapshot WithoutDefinition(string key)
    {
        if (!Definitions.TryGetValue(key, out var existing))
        {
            return this;
        }

        var snapshot = this with
        {
            Definitions = Definitions.Remove(key),
            DefinitionsBySignature = existing.Signature is null ? DefinitionsBySignature : DefinitionsBySignature.Remove(existing.Signature),
        };
        foreach (var thing in Things.Values.Where(t => t.DefinitionKey == key))
        {
            snapshot = snapshot.WithoutThing(thing.Key);
        }

        return snapshot;
    }

    internal RegistrySnapshot WithThing(ThingEntry entry)
    {
        var snapshot = WithoutThing(entry.Key);
        var bySignature = snapshot.ThingsBySignature;
        foreach (var signature in entry.Signatures)
        {
            bySignature = bySignature.SetItem(signature, entry);
        }

        return snapshot with { Things = snapshot.Things.SetItem(entry.Key, entry), ThingsBySignature = bySignature };
    }

    internal RegistrySnapshot WithoutThing(string key)
    {
        if (!Things.TryGetValue(key, out var existing))
        {
            return this;
        }

        return this with { Things = Things.Remove(key), ThingsBySignature = ThingsBySignature.RemoveRange(existing.Signatures) };
    }

    internal RegistrySnapshot WithCa(CaEntry entry) => this with { Cas = Cas.SetItem(entry.Key, entry) };

    /// <summary>
    /// Removes a CA. Definitions keep naming it, so nothing chains to it any more and their
    /// pinned certificates stay refused.
    /// </summary>
    internal RegistrySnapshot WithoutCa(string key) => this with { Cas = Cas.Remove(key) };

    internal RegistrySnapshot WithRevocation(RevocationEntry entry) =>
        this with { Revocations = Revocations.SetItem(entry.Signature, entry) };

    internal RegistrySnapshot WithoutRevocation(TlsSignature signature) =>
        this with { Revocations = Revocations.Remove(signature) };
}

/// <summary>
/// Thing definition facts that admission needs.
/// </summary>
/// <param name="TrustedCas">Keys of the CAs that device certificates must chain to; empty for none.</param>
/// <param name="AttributeDefaults">Default value of each attribute, by key.</param>
public sealed record DefinitionEntry(
    string Key,
    string Name,
    TlsSignature? Signature,
    bool Enabled,
    bool AutoRegister,
    NameRule NameRule,
    ImmutableArray<string> TrustedCas,
    ImmutableArray<string> PublishTopics,
    ImmutableArray<string> SubscribeTopics,
    ImmutableDictionary<string, string?> AttributeDefaults)
{
    internal static DefinitionEntry From(ThingDefinition definition)
    {
        var canonical = definition.SignatureCanonical;
        return new DefinitionEntry(
            definition.Key,
            definition.Name,
            canonical is null ? null : TlsSignature.Parse(canonical),
            definition.Enabled,
            definition.AutoRegister,
            definition.NameRule,
            [.. definition.TrustedCas.Order(StringComparer.Ordinal)],
            [.. definition.PublishTopics],
            [.. definition.SubscribeTopics],
            definition.Attributes.ToImmutableDictionary(a => a.Key, a => a.DefaultValue, StringComparer.Ordinal));
    }
}

/// <summary>
/// Thing facts that admission needs.
/// </summary>
/// <param name="Attributes">Attribute values that override the definition's defaults.</param>
public sealed record ThingEntry(
    string Key,
    string DefinitionKey,
    bool Enabled,
    ImmutableArray<TlsSignature> Signatures,
    ImmutableDictionary<string, string> Attributes)
{
    internal static ThingEntry From(Thing thing, string definitionKey) => new(
        thing.Key,
        definitionKey,
        thing.Enabled,
        [.. thing.Signatures.OrderBy(s => s.Slot).Select(s => TlsSignature.Parse(s.Value))],
        thing.Attributes.ToImmutableDictionary(StringComparer.Ordinal));
}

/// <summary>
/// A registered CA certificate.
/// </summary>
public sealed record CaEntry(string Key, string Fingerprint, bool Enabled, X509Certificate2 Certificate)
{
    public bool IsSelfSigned => Certificate.SubjectName.RawData.AsSpan().SequenceEqual(Certificate.IssuerName.RawData);

    internal static CaEntry From(TrustedCa ca) =>
        new(ca.Key, ca.Fingerprint, ca.Enabled, X509CertificateLoader.LoadCertificate(ca.Certificate));
}

/// <summary>
/// A revoked signature with the reason.
/// </summary>
public sealed record RevocationEntry(TlsSignature Signature, string Reason, DateTime RevokedAt);
