using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cloud.Registry;

namespace Cloud.Admission;

/// <summary>
/// Verifies that a client certificate chains to one of a definition's trusted CAs: signatures
/// checked, intermediates taken from what the client sent and from the registered CAs, every
/// certificate inside its validity period (with the clock skew allowance).
/// </summary>
internal static class ChainVerifier
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// Statuses that do not fail a chain element: those about the root above the trust anchor,
    /// and validity periods, which are checked with the skew allowance.
    /// </summary>
    private const X509ChainStatusFlags AcceptedBelowAnchor =
        X509ChainStatusFlags.UntrustedRoot |
        X509ChainStatusFlags.PartialChain |
        X509ChainStatusFlags.NotTimeValid |
        X509ChainStatusFlags.NotTimeNested |
        X509ChainStatusFlags.RevocationStatusUnknown |
        X509ChainStatusFlags.OfflineRevocation;

    /// <summary>
    /// Returns the key of the trusted CA the chain reaches, or null with the reason it does not.
    /// </summary>
    public static (string? CaKey, string? Failure) Verify(
        RegistrySnapshot snapshot,
        DefinitionEntry definition,
        X509Certificate2 certificate,
        IReadOnlyList<X509Certificate2> intermediates,
        DateTimeOffset now,
        TimeSpan skew)
    {
        var trusted = definition.TrustedCas
            .Select(key => snapshot.Cas.GetValueOrDefault(key))
            .Where(ca => ca is { Enabled: true })
            .ToDictionary(ca => ca!.Fingerprint, ca => ca!.Key, StringComparer.Ordinal);
        if (trusted.Count == 0)
        {
            return (null, $"none of the CAs trusted by thing definition '{definition.Key}' is registered and enabled");
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;

        // The trust anchor is the definition's CA, which may be an intermediate registered
        // without its root, so an unknown root above it is accepted here and each element up to
        // the anchor is checked below. Validity periods are checked there with the skew allowance.
        policy.VerificationFlags =
            X509VerificationFlags.AllowUnknownCertificateAuthority |
            X509VerificationFlags.IgnoreNotTimeValid |
            X509VerificationFlags.IgnoreCtlNotTimeValid;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        foreach (var ca in snapshot.Cas.Values.Where(c => c.Enabled))
        {
            policy.CustomTrustStore.Add(ca.Certificate);
        }

        policy.ExtraStore.AddRange(intermediates.ToArray());
        chain.Build(certificate);

        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            var element = chain.ChainElements[i];
            var problem = element.ChainElementStatus.FirstOrDefault(status => (status.Status & ~AcceptedBelowAnchor) != 0);
            if (problem.Status != X509ChainStatusFlags.NoError)
            {
                return (null, $"certificate '{element.Certificate.Subject}' in the chain is invalid ({problem.StatusInformation.Trim()})");
            }

            if (i == 0)
            {
                continue;
            }

            var issuer = element.Certificate;
            if (now < issuer.NotBefore.ToUniversalTime() - skew || now > issuer.NotAfter.ToUniversalTime() + skew)
            {
                return (null, $"CA certificate '{issuer.Subject}' in the chain is outside its validity period");
            }

            var reached = trusted.GetValueOrDefault(CertificateFacts.Fingerprint(issuer));
            if (reached is not null)
            {
                return (reached, null);
            }
        }

        var registered = chain.ChainElements.Count > 1 && chain.ChainElements[^1].ChainElementStatus.All(s => s.Status != X509ChainStatusFlags.PartialChain);
        return registered
            ? (null, $"the certificate chains to '{chain.ChainElements[^1].Certificate.Subject}', which is not a CA trusted by thing definition '{definition.Key}'")
            : (null, "the certificate's issuer was not found: send the intermediate CA certificates with the client certificate or register them");
    }
}
