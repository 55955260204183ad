using Cloud.Admission;
using Cloud.Registry;
using Cloud.Registry.Signatures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.Certificates;

/// <summary>
/// POST /api/certificates/inspect: the canonical signature and identity of a certificate, so
/// that operators need not copy hex out of 'openssl x509 -text'.
/// </summary>
internal static class CertificatesApi
{
    public static RouteGroupBuilder MapCertificates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/certificates").WithTags("Certificates");

        group.MapPost("/inspect", InspectAsync)
            .WithSummary("Read the signature, subject, issuer, serial, validity and SHA-256 fingerprint of a certificate")
            .WithDescription(
                "Send the certificate as PEM text (Content-Type application/x-pem-file or text/plain), as DER " +
                "(application/pkix-cert or application/octet-stream), or as JSON {\"certificate\": \"<PEM or base64 DER>\"}. " +
                "Uploads that contain a private key are rejected.")
            .Accepts<InspectCertificateRequest>(
                "application/json",
                "application/x-pem-file",
                "text/plain",
                "application/pkix-cert",
                "application/octet-stream",
                "application/x-x509-ca-cert")
            .WithMetadata(new RequestSizeLimitAttribute(CertificateParser.MaxBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        return group;
    }

    private static async Task<Results<Ok<CertificateInspection>, ProblemHttpResult>> InspectAsync(
        HttpRequest request, RegistryIndex index, CancellationToken cancellationToken)
    {
        var body = await CertificateUpload.ReadAsync(request, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (!CertificateParser.TryParseChain(body.Bytes, out var chain, out var error))
        {
            return TypedResults.Problem(title: "The certificate is invalid.", detail: error, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = "certificate" });
        }

        var certificate = chain[0];
        var facts = CertificateFacts.From(certificate);
        var signature = TlsSignature.FromCertificate(certificate);
        var snapshot = index.Current;
        var holder = snapshot.FindBySignature(signature);
        var thing = snapshot.ThingsBySignature.GetValueOrDefault(signature);

        return TypedResults.Ok(new CertificateInspection(
            signature.Canonical,
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            facts.Subject,
            facts.Issuer,
            facts.SerialNumber,
            facts.NotBefore,
            facts.NotAfter,
            facts.Sha256Fingerprint,
            holder?.Key ?? thing?.DefinitionKey,
            thing?.Key));
    }
}

/// <summary>
/// JSON form of an inspect request.
/// </summary>
/// <param name="Certificate">PEM text or base64 DER of the certificate.</param>
public sealed record InspectCertificateRequest(string? Certificate);

/// <summary>
/// Facts of an inspected certificate.
/// </summary>
/// <param name="Signature">Canonical signature value, ready for the tlssignature attribute.</param>
/// <param name="Sha256Fingerprint">SHA-256 of the DER certificate as lowercase hex bytes joined by ':'.</param>
/// <param name="ThingDefinition">
/// Key of the thing definition whose tlssignature matches, or of the definition of the thing
/// that pins the signature. Null when the signature is not registered.
/// </param>
/// <param name="Thing">Key of the thing that pins the signature, or null.</param>
public sealed record CertificateInspection(
    string Signature,
    string SignatureAlgorithm,
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    string? ThingDefinition,
    string? Thing);
