using Cloud.Registry;
using Cloud.Registry.Signatures;

namespace Cloud.Admission;

/// <summary>
/// The one place where admission rules live. It reads only the in-memory
/// <see cref="RegistryIndex"/>, so a decision costs no database query.
/// </summary>
public sealed class AdmissionService(RegistryIndex index)
{
    public AdmissionDecision Decide(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (request.Certificate is null)
        {
            return AdmissionDecision.Deny(AdmissionRules.NoCertificate, "The client sent no certificate; a client certificate is required.");
        }

        TlsSignature signature;
        try
        {
            signature = TlsSignature.FromCertificate(request.Certificate);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            return AdmissionDecision.Deny(AdmissionRules.Error, $"The client certificate could not be read: {exception.Message}");
        }

        var snapshot = index.Current;
        var definition = snapshot.FindBySignature(signature);
        if (definition is not null)
        {
            return AdmissionDecision.Allow(
                AdmissionRules.DefinitionSignature,
                $"The certificate signature is the tlssignature of thing definition '{definition.Key}'.",
                definition.Key);
        }

        return AdmissionDecision.Deny(AdmissionRules.NoMatch, "The certificate signature is not registered to any thing definition.");
    }
}
