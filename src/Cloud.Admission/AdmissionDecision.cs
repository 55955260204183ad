using System.Security.Cryptography.X509Certificates;

namespace Cloud.Admission;

public enum AdmissionResult
{
    Deny,
    Allow,
}

/// <summary>
/// Names of the admission rules, as the validation endpoint and the logs report them.
/// The rules are checked in the order of this class; the first that decides wins.
/// </summary>
public static class AdmissionRules
{
    /// <summary>The client sent no certificate.</summary>
    public const string NoCertificate = "no-certificate";

    /// <summary>The client sent an empty or invalid client identifier.</summary>
    public const string NoClientId = "no-client-id";

    /// <summary>The certificate's signature is on the revoked list.</summary>
    public const string Revoked = "revoked";

    /// <summary>The certificate, or a CA certificate in its chain, is expired or not yet valid.</summary>
    public const string Validity = "validity";

    /// <summary>The client id names a disabled thing.</summary>
    public const string ThingDisabled = "thing-disabled";

    /// <summary>The thing's or the matching definition is disabled.</summary>
    public const string DefinitionDisabled = "definition-disabled";

    /// <summary>The certificate is pinned to another thing.</summary>
    public const string OtherThing = "other-thing";

    /// <summary>The client id is a thing of another definition than the one the signature names.</summary>
    public const string OtherDefinition = "other-definition";

    /// <summary>The signature is one of the thing's own signatures.</summary>
    public const string ThingSignature = "thing-signature";

    /// <summary>The signature equals a thing definition's tlssignature default.</summary>
    public const string DefinitionSignature = "definition-signature";

    /// <summary>The certificate chains to a CA the definition trusts and its name equals the client id.</summary>
    public const string TrustedIssuer = "trusted-issuer";

    /// <summary>The definition names trusted CAs and the certificate does not chain to any of them.</summary>
    public const string IssuerRequired = "issuer-required";

    /// <summary>The client id names no thing and the definition does not register new things.</summary>
    public const string AutoRegistrationOff = "auto-registration-off";

    /// <summary>Too many rejected connects came from the address or client id; checked before all others.</summary>
    public const string Throttled = "throttled";

    /// <summary>No rule admitted the certificate.</summary>
    public const string NoMatch = "no-match";

    /// <summary>The decision could not be made (invalid input, or the validation endpoint failed).</summary>
    public const string Error = "error";
}

/// <summary>
/// Input of an admission decision: who connects, with which certificate, and when.
/// </summary>
/// <param name="Intermediates">Further certificates the client sent in its TLS handshake.</param>
public sealed record AdmissionRequest(
    string ClientId,
    string? Username,
    X509Certificate2? Certificate,
    IReadOnlyList<X509Certificate2> Intermediates,
    DateTimeOffset Now);

/// <summary>
/// Outcome of an admission decision. <see cref="Reason"/> names the check that passed or failed.
/// </summary>
/// <param name="Thing">Key of the thing the client connects as, when allowed.</param>
/// <param name="RegistersThing">
/// Whether admission creates the thing: its client id names no thing yet and the definition
/// registers new things.
/// </param>
/// <param name="Topics">Topics the admitted device may publish and subscribe to; none when denied.</param>
public sealed record AdmissionDecision(
    AdmissionResult Result,
    string Rule,
    string Reason,
    string? ThingDefinition,
    string? Thing = null,
    bool RegistersThing = false,
    Topics.TopicGrant? Topics = null)
{
    public Topics.TopicGrant Grant => Topics ?? Cloud.Admission.Topics.TopicGrant.None;

    public bool IsAllowed => Result == AdmissionResult.Allow;

    public static AdmissionDecision Allow(string rule, string reason, string thingDefinition, string thing, bool registersThing = false) =>
        new(AdmissionResult.Allow, rule, reason, thingDefinition, thing, registersThing);

    public static AdmissionDecision Deny(string rule, string reason) =>
        new(AdmissionResult.Deny, rule, reason, null);
}
