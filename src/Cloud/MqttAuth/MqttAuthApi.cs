using System.Text;
using Cloud.Admission;
using Cloud.Broker.Authorization;
using Cloud.Certificates;
using Cloud.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.MqttAuth;

/// <summary>
/// POST /api/mqtt/auth: the validation endpoint a broker calls on each CONNECT. It applies the
/// same <see cref="AdmissionService"/> as the embedded broker, so both decide alike.
/// </summary>
internal static class MqttAuthApi
{
    public static RouteGroupBuilder MapMqttAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/mqtt").WithTags("MQTT validation");

        group.MapPost("/auth", AuthorizeAsync)
            .WithSummary("Decide whether an MQTT client with this certificate is admitted")
            .WithDescription("Returns 200 with result 'allow' or 'deny' and the reason. A request without cert_pem is denied; a malformed one gets 400.")
            .WithValidation<ValidationRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(CertificateParser.MaxBytes * 2));

        return group;
    }

    private static async Task<Results<Ok<ValidationResponse>, ProblemHttpResult>> AuthorizeAsync(
        ValidationRequest request, AdmissionService admission, TimeProvider clock, CancellationToken cancellationToken)
    {
        var chain = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        if (!string.IsNullOrWhiteSpace(request.CertificatePem) &&
            !CertificateParser.TryParseChain(Encoding.UTF8.GetBytes(request.CertificatePem), out chain, out var error))
        {
            return TypedResults.Problem(title: "The certificate is invalid.", detail: error, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = "cert_pem" });
        }

        var decision = await admission.DecideAsync(
            new AdmissionRequest(request.ClientId!, request.Username, chain.FirstOrDefault(), [.. chain.Skip(1)], clock.GetUtcNow()),
            cancellationToken);

        return TypedResults.Ok(new ValidationResponse(
            decision.IsAllowed ? ValidationResponse.Allow : ValidationResponse.Deny,
            decision.Rule,
            decision.Reason,
            decision.ThingDefinition,
            decision.Thing,
            decision.IsAllowed ? decision.Grant.Publish : null,
            decision.IsAllowed ? decision.Grant.Subscribe : null));
    }
}

internal sealed class ValidationRequestValidator : AbstractValidator<ValidationRequest>
{
    /// <summary>Longest client id MQTT can carry: a UTF-8 string of at most 65535 bytes.</summary>
    private const int MaxClientIdLength = 65535;

    public ValidationRequestValidator()
    {
        RuleFor(r => r.ClientId)
            .NotNull()
            .OverridePropertyName("clientid")
            .WithMessage("clientid is required: send the MQTT client identifier, which may be an empty string.")
            .MaximumLength(MaxClientIdLength)
            .OverridePropertyName("clientid")
            .WithMessage($"clientid is longer than the {MaxClientIdLength} characters MQTT allows.");

        RuleFor(r => r.Username)
            .MaximumLength(MaxClientIdLength)
            .OverridePropertyName("username")
            .WithMessage($"username is longer than the {MaxClientIdLength} characters MQTT allows.");

        RuleFor(r => r.CertificatePem)
            .MaximumLength(CertificateParser.MaxBytes)
            .OverridePropertyName("cert_pem")
            .WithMessage($"cert_pem is longer than {CertificateParser.MaxBytes} characters.");
    }
}
