using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Cloud.Certificates;
using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.Authorities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.Authorities;

/// <summary>
/// REST endpoints for trusted CA certificates under /api/cas.
/// </summary>
internal static class TrustedCasApi
{
    /// <summary>Largest accepted request body: a certificate of <see cref="CertificateParser.MaxBytes"/> with JSON escapes fits within it.</summary>
    private const long MaxBodyBytes = 2 * CertificateParser.MaxBytes;

    private const string Subject = "CA";

    public static RouteGroupBuilder MapTrustedCas(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cas").WithTags("Trusted CAs");

        group.MapGet("/", ListAsync)
            .WithSummary("List trusted CA certificates, ordered by key")
            .ProducesValidationProblem();

        group.MapGet("/{key}", GetAsync)
            .WithName("GetTrustedCa")
            .WithSummary("Get a trusted CA certificate")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreateAsync)
            .WithSummary("Register a CA certificate that thing definitions can trust")
            .WithDescription("Send one PEM certificate with CA:TRUE in its basic constraints. Uploads that contain a private key are rejected.")
            .WithValidation<TrustedCaRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{key}", ReplaceAsync)
            .WithSummary("Replace the name, enabled flag and certificate of a trusted CA")
            .WithValidation<TrustedCaRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{key}", DeleteAsync)
            .WithSummary("Delete a trusted CA and remove it from every thing definition's trustedCas")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<Ok<Page<TrustedCaResponse>>, ValidationProblem>> ListAsync(
        TrustedCaStore store, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var (items, total) = await store.ListAsync(start, size, cancellationToken);
        return TypedResults.Ok(new Page<TrustedCaResponse>([.. items.Select(TrustedCaResponse.From)], start, size, total));
    }

    private static async Task<Results<Ok<TrustedCaResponse>, ProblemHttpResult>> GetAsync(
        string key, TrustedCaStore store, CancellationToken cancellationToken)
    {
        var ca = await store.FindAsync(key, cancellationToken);
        return ca is null
            ? NotFound(key)
            : TypedResults.Ok(TrustedCaResponse.From(ca));
    }

    private static async Task<Results<CreatedAtRoute<TrustedCaResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        TrustedCaRequest request, TrustedCaStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Key))
        {
            return RegistryProblems.Invalid("key", $"Key is required: {RequestText.KeyRule}.");
        }

        if (!TryReadCertificate(request.Certificate!, out var certificate, out var problem))
        {
            return problem;
        }

        using (certificate)
        {
            var draft = new TrustedCaDraft(request.Key, request.Name!.Trim(), certificate, request.Enabled ?? true);
            var result = await store.CreateAsync(draft, cancellationToken);
            return result.Status switch
            {
                RegistryStatus.Created => TypedResults.CreatedAtRoute(
                    TrustedCaResponse.From(result.Value!), "GetTrustedCa", new { key = result.Value!.Key }),
                _ => RegistryProblems.ToProblem(result, Subject),
            };
        }
    }

    private static async Task<Results<Ok<TrustedCaResponse>, ProblemHttpResult, ValidationProblem>> ReplaceAsync(
        string key, TrustedCaRequest request, TrustedCaStore store, CancellationToken cancellationToken)
    {
        if (request.Key is not null && !string.Equals(request.Key, key, StringComparison.Ordinal))
        {
            return RegistryProblems.KeyMismatch(request.Key, key);
        }

        if (!TryReadCertificate(request.Certificate!, out var certificate, out var problem))
        {
            return problem;
        }

        using (certificate)
        {
            var draft = new TrustedCaDraft(key, request.Name!.Trim(), certificate, request.Enabled ?? true);
            var result = await store.ReplaceAsync(draft, cancellationToken);
            return result.Status switch
            {
                RegistryStatus.Ok => TypedResults.Ok(TrustedCaResponse.From(result.Value!)),
                _ => RegistryProblems.ToProblem(result, Subject),
            };
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string key, TrustedCaStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteAsync(key, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(key);
    }

    private static bool TryReadCertificate(
        string text,
        [NotNullWhen(true)] out X509Certificate2? certificate,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        if (SingleCertificate.TryRead(text, "Register each CA separately, each under its own key.", out certificate, out var error))
        {
            problem = null;
            return true;
        }

        problem = RegistryProblems.Problem(StatusCodes.Status400BadRequest, "The certificate is invalid.", error, "certificate");
        return false;
    }

    private static ProblemHttpResult NotFound(string key) =>
        RegistryProblems.Problem(
            StatusCodes.Status404NotFound,
            "The CA was not found.",
            $"CA '{key}' was not found. List the registered CAs with GET /api/cas.");
}
