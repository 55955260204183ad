using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Cloud.Certificates;
using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.Revocations;
using Cloud.Registry.Signatures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.Revocations;

/// <summary>
/// REST endpoints for the revoked-signature list under /api/revocations.
/// </summary>
internal static class RevocationsApi
{
    /// <summary>Largest accepted request body: a certificate of <see cref="CertificateParser.MaxBytes"/> and a reason fit within it.</summary>
    private const long MaxBodyBytes = 2 * CertificateParser.MaxBytes;

    private const string Subject = "revocation";

    public static RouteGroupBuilder MapRevocations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/revocations").WithTags("Revocations");

        group.MapGet("/", ListAsync)
            .WithSummary("List revoked signatures, newest first")
            .ProducesValidationProblem();

        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetRevocation")
            .WithSummary("Get a revocation")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreateAsync)
            .WithSummary("Revoke a certificate by its signature or by the certificate itself")
            .WithDescription("Devices presenting a revoked certificate are denied, whatever else matches. Uploads that contain a private key are rejected.")
            .WithValidation<RevocationRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{id:long}", DeleteAsync)
            .WithSummary("Delete a revocation, so that the certificate is admitted again")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<Ok<Page<RevocationResponse>>, ValidationProblem>> ListAsync(
        RevocationStore store, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var (items, total) = await store.ListAsync(start, size, cancellationToken);
        return TypedResults.Ok(new Page<RevocationResponse>([.. items.Select(RevocationResponse.From)], start, size, total));
    }

    private static async Task<Results<Ok<RevocationResponse>, ProblemHttpResult>> GetAsync(
        long id, RevocationStore store, CancellationToken cancellationToken)
    {
        var revocation = await store.FindAsync(id, cancellationToken);
        return revocation is null
            ? NotFound(id)
            : TypedResults.Ok(RevocationResponse.From(revocation));
    }

    private static async Task<Results<CreatedAtRoute<RevocationResponse>, ProblemHttpResult>> CreateAsync(
        RevocationRequest request, RevocationStore store, CancellationToken cancellationToken)
    {
        if (!TryReadSignature(request, out var signature, out var problem))
        {
            return problem;
        }

        var result = await store.CreateAsync(signature, request.Reason!.Trim(), cancellationToken);
        return result.Status switch
        {
            RegistryStatus.Created => TypedResults.CreatedAtRoute(
                RevocationResponse.From(result.Value!), "GetRevocation", new { id = result.Value!.Id }),
            _ => RegistryProblems.ToProblem(result, Subject),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, RevocationStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(id);
    }

    /// <summary>Reads the signature from whichever of 'signature' and 'certificate' the validator let through.</summary>
    private static bool TryReadSignature(
        RevocationRequest request,
        [NotNullWhen(true)] out TlsSignature? signature,
        [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(request.Signature))
        {
            if (TlsSignature.TryParse(request.Signature, out signature, out var error))
            {
                return true;
            }

            problem = RegistryProblems.Problem(StatusCodes.Status400BadRequest, "The signature is invalid.", error, "signature");
            return false;
        }

        signature = null;
        if (!SingleCertificate.TryRead(request.Certificate!, "Revoke each certificate separately.", out var certificate, out var certificateError))
        {
            problem = RegistryProblems.Problem(StatusCodes.Status400BadRequest, "The certificate is invalid.", certificateError, "certificate");
            return false;
        }

        using (certificate)
        {
            try
            {
                signature = TlsSignature.FromCertificate(certificate);
                return true;
            }
            catch (CryptographicException exception)
            {
                problem = RegistryProblems.Problem(StatusCodes.Status400BadRequest, "The certificate is invalid.", exception.Message, "certificate");
                return false;
            }
        }
    }

    private static ProblemHttpResult NotFound(long id) =>
        RegistryProblems.Problem(
            StatusCodes.Status404NotFound,
            "The revocation was not found.",
            $"Revocation {id} was not found. List the revoked signatures with GET /api/revocations.");
}
