using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cloud.Admission.Topics;
using Cloud.Registry;
using Cloud.Registry.Signatures;

namespace Cloud.Admission;

/// <summary>
/// The admission rules as a pure function of a registry snapshot and a connect request.
/// The order of the checks is documented in docs/admission-rules.md.
/// </summary>
internal sealed partial class AdmissionEvaluator(TimeSpan clockSkew)
{
    public AdmissionDecision Evaluate(RegistrySnapshot snapshot, AdmissionRequest request)
    {
        var certificate = request.Certificate;
        if (certificate is null)
        {
            return AdmissionDecision.Deny(AdmissionRules.NoCertificate, "The client sent no certificate; a client certificate is required.");
        }

        if (string.IsNullOrEmpty(request.ClientId))
        {
            return AdmissionDecision.Deny(AdmissionRules.NoClientId, "The client sent an empty client identifier; connect with the thing's key as client id.");
        }

        TlsSignature signature;
        try
        {
            signature = TlsSignature.FromCertificate(certificate);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            return AdmissionDecision.Deny(AdmissionRules.Error, $"The client certificate could not be read: {exception.Message}");
        }

        if (snapshot.Revocations.TryGetValue(signature, out var revocation))
        {
            return AdmissionDecision.Deny(AdmissionRules.Revoked, $"The certificate was revoked at {revocation.RevokedAt:O}: {revocation.Reason}");
        }

        var validity = CheckValidity(certificate, request.Now);
        if (validity is not null)
        {
            return AdmissionDecision.Deny(AdmissionRules.Validity, validity);
        }

        var context = new Context(snapshot, request, signature);
        var thingFound = snapshot.Things.TryGetValue(request.ClientId, out var thing);
        var decision = thingFound ? EvaluateKnownThing(context, thing!) : EvaluateNewClient(context);
        return decision.IsAllowed ? WithTopics(snapshot, decision, thing) : decision;
    }

    /// <summary>
    /// Expands the definition's topic templates for the admitted thing, with the thing's
    /// attribute values over the definition's defaults.
    /// </summary>
    private static AdmissionDecision WithTopics(RegistrySnapshot snapshot, AdmissionDecision decision, ThingEntry? thing)
    {
        var definition = snapshot.Definitions[decision.ThingDefinition!];
        var attributes = new Dictionary<string, string?>(definition.AttributeDefaults, StringComparer.Ordinal);
        foreach (var (key, value) in thing?.Attributes ?? [])
        {
            attributes[key] = value;
        }

        ImmutableArray<string> Expand(ImmutableArray<string> templates) =>
            [.. templates
                .Select(template => TopicTemplates.Expand(template, decision.Thing!, definition.Key, attributes))
                .OfType<string>()];

        return decision with { Topics = new TopicGrant(Expand(definition.PublishTopics), Expand(definition.SubscribeTopics)) };
    }

    private AdmissionDecision EvaluateKnownThing(Context context, ThingEntry thing)
    {
        var (snapshot, request, signature) = context;
        if (!thing.Enabled)
        {
            return AdmissionDecision.Deny(AdmissionRules.ThingDisabled, $"Thing '{thing.Key}' is disabled.");
        }

        var definition = snapshot.Definitions[thing.DefinitionKey];
        if (!definition.Enabled)
        {
            return AdmissionDecision.Deny(AdmissionRules.DefinitionDisabled, $"Thing definition '{definition.Key}' of thing '{thing.Key}' is disabled.");
        }

        if (thing.Signatures.Contains(signature))
        {
            return RequireIssuer(context, definition)
                ?? AdmissionDecision.Allow(AdmissionRules.ThingSignature, $"The certificate signature is pinned to thing '{thing.Key}'.", definition.Key, thing.Key);
        }

        if (snapshot.ThingsBySignature.TryGetValue(signature, out var owner))
        {
            return AdmissionDecision.Deny(AdmissionRules.OtherThing, $"The certificate is pinned to thing '{owner.Key}', not to thing '{thing.Key}'.");
        }

        var pinnedBy = snapshot.FindBySignature(signature);
        if (pinnedBy is not null && pinnedBy.Key != definition.Key)
        {
            return AdmissionDecision.Deny(
                AdmissionRules.OtherDefinition,
                $"The certificate signature belongs to thing definition '{pinnedBy.Key}', but client id '{thing.Key}' is a thing of definition '{definition.Key}'.");
        }

        if (pinnedBy is not null)
        {
            return RequireIssuer(context, definition)
                ?? AdmissionDecision.Allow(AdmissionRules.DefinitionSignature, $"The certificate signature is the tlssignature of thing definition '{definition.Key}'.", definition.Key, thing.Key);
        }

        if (definition.TrustedCas.IsEmpty)
        {
            return AdmissionDecision.Deny(
                AdmissionRules.NoMatch,
                $"The certificate signature is neither pinned to thing '{thing.Key}' nor the tlssignature of thing definition '{definition.Key}', which trusts no CA.");
        }

        return TrustedIssuer(context, definition, registers: false)
            ?? AdmissionDecision.Deny(AdmissionRules.NoMatch, $"The certificate signature is not pinned to thing '{thing.Key}'.");
    }

    private AdmissionDecision EvaluateNewClient(Context context)
    {
        var (snapshot, request, signature) = context;
        if (snapshot.ThingsBySignature.TryGetValue(signature, out var owner))
        {
            return AdmissionDecision.Deny(AdmissionRules.OtherThing, $"The certificate is pinned to thing '{owner.Key}'; connect with client id '{owner.Key}'.");
        }

        var definition = snapshot.FindBySignature(signature);
        if (definition is not null)
        {
            return RequireEnabledAndRegistering(definition, request.ClientId)
                ?? RequireIssuer(context, definition)
                ?? AdmissionDecision.Allow(
                    AdmissionRules.DefinitionSignature,
                    $"The certificate signature is the tlssignature of thing definition '{definition.Key}'; client id '{request.ClientId}' is registered as a new thing.",
                    definition.Key,
                    request.ClientId,
                    registersThing: true);
        }

        var candidates = snapshot.Definitions.Values
            .Where(d => d.Enabled && !d.TrustedCas.IsEmpty)
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        var admitted = new List<(DefinitionEntry Definition, AdmissionDecision Decision)>();
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            var decision = TrustedIssuer(context, candidate, registers: true, failures);
            if (decision is not null)
            {
                admitted.Add((candidate, decision));
            }
        }

        if (admitted.Count > 1)
        {
            var keys = string.Join("', '", admitted.Select(a => a.Definition.Key));
            return AdmissionDecision.Deny(
                AdmissionRules.NoMatch,
                $"The certificate is admitted by the trusted CAs of several thing definitions ('{keys}'); register thing '{request.ClientId}' under one of them first.");
        }

        if (admitted.Count == 1)
        {
            var (match, decision) = admitted[0];
            return RequireEnabledAndRegistering(match, request.ClientId) ?? decision;
        }

        var detail = failures.Count == 0 ? string.Empty : " " + string.Join(" ", failures);
        return AdmissionDecision.Deny(
            AdmissionRules.NoMatch,
            $"Client id '{request.ClientId}' names no thing, the certificate signature is not registered, and no thing definition admits it by issuer.{detail}");
    }

    /// <summary>
    /// Applies the trusted-issuer rule for one definition; null when the chain does not reach its CAs.
    /// </summary>
    private AdmissionDecision? TrustedIssuer(Context context, DefinitionEntry definition, bool registers, List<string>? failures = null)
    {
        var (snapshot, request, _) = context;
        var (caKey, failure) = ChainVerifier.Verify(snapshot, definition, request.Certificate!, request.Intermediates, request.Now, clockSkew);
        if (caKey is null)
        {
            failures?.Add($"Thing definition '{definition.Key}': {failure}.");
            return failures is null
                ? AdmissionDecision.Deny(AdmissionRules.NoMatch, $"The certificate is not pinned and {failure}.")
                : null;
        }

        if (!CertificateNames.Matches(request.Certificate!, definition.NameRule, request.ClientId))
        {
            var reason = $"The certificate chains to CA '{caKey}' of thing definition '{definition.Key}', but {CertificateNames.Describe(definition.NameRule)} is not client id '{request.ClientId}'.";
            failures?.Add(reason);
            return failures is null ? AdmissionDecision.Deny(AdmissionRules.NoMatch, reason) : null;
        }

        var registration = registers ? $"; client id '{request.ClientId}' is registered as a new thing" : string.Empty;
        return AdmissionDecision.Allow(
            AdmissionRules.TrustedIssuer,
            $"The certificate chains to CA '{caKey}' trusted by thing definition '{definition.Key}' and its name is the client id{registration}.",
            definition.Key,
            request.ClientId,
            registersThing: registers);
    }

    /// <summary>
    /// Checks the issuer constraint of signature rules: when a definition names trusted CAs, a
    /// pinned certificate must chain to one of them too. Returns null when the constraint holds.
    /// </summary>
    private AdmissionDecision? RequireIssuer(Context context, DefinitionEntry definition)
    {
        if (definition.TrustedCas.IsEmpty)
        {
            return null;
        }

        var (snapshot, request, _) = context;
        var (caKey, failure) = ChainVerifier.Verify(snapshot, definition, request.Certificate!, request.Intermediates, request.Now, clockSkew);
        return caKey is not null
            ? null
            : AdmissionDecision.Deny(AdmissionRules.IssuerRequired, $"The certificate signature is registered, but thing definition '{definition.Key}' requires a trusted issuer and {failure}.");
    }

    private static AdmissionDecision? RequireEnabledAndRegistering(DefinitionEntry definition, string clientId)
    {
        if (!definition.Enabled)
        {
            return AdmissionDecision.Deny(AdmissionRules.DefinitionDisabled, $"Thing definition '{definition.Key}' is disabled.");
        }

        if (!definition.AutoRegister)
        {
            return AdmissionDecision.Deny(
                AdmissionRules.AutoRegistrationOff,
                $"Client id '{clientId}' names no thing and thing definition '{definition.Key}' does not register new things; register the thing first.");
        }

        if (!ThingKeyPattern().IsMatch(clientId))
        {
            return AdmissionDecision.Deny(
                AdmissionRules.NoClientId,
                $"Client id '{Shorten(clientId)}' cannot become a thing key: use 1 to 64 letters, digits, '_', '-' or '.'.");
        }

        return null;
    }

    private string? CheckValidity(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now < notBefore - clockSkew)
        {
            return $"The certificate is not valid before {notBefore:O}.";
        }

        return now > notAfter + clockSkew ? $"The certificate expired at {notAfter:O}." : null;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";

    [GeneratedRegex(RegistryLimits.KeyPattern)]
    private static partial Regex ThingKeyPattern();

    private sealed record Context(RegistrySnapshot Snapshot, AdmissionRequest Request, TlsSignature Signature);
}
