using Cloud.Certificates;
using Cloud.Http;
using Cloud.Registry;
using FluentValidation;

namespace Cloud.Authorities;

internal sealed class TrustedCaRequestValidator : AbstractValidator<TrustedCaRequest>
{
    public TrustedCaRequestValidator()
    {
        // The key is required on POST. On PUT the path supplies it, and the endpoint rejects a mismatch.
        RuleFor(r => r.Key)
            .Matches(RegistryLimits.KeyPattern)
            .When(r => r.Key is not null)
            .OverridePropertyName("key")
            .WithMessage(r => $"Key '{RequestText.Shorten(r.Key)}' is invalid: {RequestText.KeyRule}.");

        RuleFor(r => r.Name)
            .Cascade(CascadeMode.Stop)
            .NotEmpty()
            .OverridePropertyName("name")
            .WithMessage("Name is required: give the CA a human-readable name.")
            .MaximumLength(RegistryLimits.NameMaxLength)
            .OverridePropertyName("name")
            .WithMessage(r => $"Name has {r.Name!.Length} characters; the maximum is {RegistryLimits.NameMaxLength}.");

        RuleFor(r => r.Certificate)
            .Cascade(CascadeMode.Stop)
            .NotEmpty()
            .OverridePropertyName("certificate")
            .WithMessage("Certificate is required: send the CA certificate as PEM text (-----BEGIN CERTIFICATE-----).")
            .MaximumLength(CertificateParser.MaxBytes)
            .OverridePropertyName("certificate")
            .WithMessage(r => $"Certificate has {r.Certificate!.Length} characters; the maximum is {CertificateParser.MaxBytes}. Send one CA certificate, not a bundle.");
    }
}
