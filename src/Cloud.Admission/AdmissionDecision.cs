using System.Security.Cryptography.X509Certificates;

namespace Cloud.Admission;

public enum AdmissionResult
{
    Deny,
    Allow,
}

/// <summary>
/// Names of the admission rules, as the validation endpoint and the logs report them.
/// </summary>
public static class AdmissionRules
{
    /// <summary>The client sent no certificate.</summary>
    public const string NoCertificate = "no-certificate";

    /// <summary>The certificate signature equals a thing definition's tlssignature default.</summary>
    public const string DefinitionSignature = "definition-signature";

    /// <summary>The client sent an empty client identifier.</summary>
    public const string NoClientId = "no-client-id";

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
/// Outcome of an admission decision. <see cref="Reason"/> says which check passed or failed.
/// </summary>
public sealed record AdmissionDecision(AdmissionResult Result, string Rule, string Reason, string? ThingDefinition)
{
    public bool IsAllowed => Result == AdmissionResult.Allow;

    public static AdmissionDecision Allow(string rule, string reason, string thingDefinition) =>
        new(AdmissionResult.Allow, rule, reason, thingDefinition);

    public static AdmissionDecision Deny(string rule, string reason) =>
        new(AdmissionResult.Deny, rule, reason, null);
}
