using Cloud.Certificates;
using Cloud.Registry;
using Cloud.Registry.Signatures;
using FluentValidation;

namespace Cloud.Revocations;

internal sealed class RevocationRequestValidator : AbstractValidator<RevocationRequest>
{
    public RevocationRequestValidator()
    {
        RuleFor(r => r.Signature)
            .Must((request, signature) => string.IsNullOrWhiteSpace(signature) != string.IsNullOrWhiteSpace(request.Certificate))
            .OverridePropertyName("signature")
            .WithMessage(r => string.IsNullOrWhiteSpace(r.Signature)
                ? "Send the revoked certificate's 'signature' or the 'certificate' itself; both are missing."
                : "Send either 'signature' or 'certificate', not both.");

        RuleFor(r => r.Signature)
            .MaximumLength(TlsSignature.MaxInputLength)
            .OverridePropertyName("signature")
            .WithMessage(r => $"Signature has {r.Signature!.Length} characters; the maximum is {TlsSignature.MaxInputLength}.");

        RuleFor(r => r.Certificate)
            .MaximumLength(CertificateParser.MaxBytes)
            .OverridePropertyName("certificate")
            .WithMessage(r => $"Certificate has {r.Certificate!.Length} characters; the maximum is {CertificateParser.MaxBytes}.");

        RuleFor(r => r.Reason)
            .Cascade(CascadeMode.Stop)
            .NotEmpty()
            .OverridePropertyName("reason")
            .WithMessage("Reason is required: say why the certificate is revoked, for example 'device lost'.")
            .MaximumLength(RegistryLimits.DescriptionMaxLength)
            .OverridePropertyName("reason")
            .WithMessage(r => $"Reason has {r.Reason!.Length} characters; the maximum is {RegistryLimits.DescriptionMaxLength}.");
    }
}
