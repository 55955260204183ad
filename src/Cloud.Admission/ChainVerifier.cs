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

        // Validity periods are checked below with the skew allowance.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        policy.ApplicationPolicy.Add(ClientAuthentication);
        foreach (var ca in snapshot.Cas.Values.Where(c => c.Enabled))
        {
            policy.CustomTrustStore.Add(ca.Certificate);
        }

        policy.ExtraStore.AddRange(intermediates.ToArray());

        if (!chain.Build(certificate))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return (null, $"the certificate chain does not verify to a registered CA ({(status.Length == 0 ? "unknown error" : status)})");
        }

        string? reached = null;
        foreach (var element in chain.ChainElements.Skip(1))
        {
            var issuer = element.Certificate;
            if (now < issuer.NotBefore.ToUniversalTime() - skew || now > issuer.NotAfter.ToUniversalTime() + skew)
            {
                return (null, $"CA certificate '{issuer.Subject}' in the chain is outside its validity period");
            }

            reached ??= trusted.GetValueOrDefault(CertificateFacts.Fingerprint(issuer));
        }

        return reached is null
            ? (null, $"the certificate chains to a registered CA, but not to one trusted by thing definition '{definition.Key}'")
            : (reached, null);
    }
}
