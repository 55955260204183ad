using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cloud.Certificates;

/// <summary>
/// Reads a certificate upload in any of the content types the inspect endpoint accepts.
/// </summary>
internal static class CertificateUpload
{
    private static readonly string[] RawTypes =
        ["application/x-pem-file", "text/plain", "application/pkix-cert", "application/octet-stream", "application/x-x509-ca-cert"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerOptions.Web)
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public sealed record Body(byte[] Bytes, ProblemHttpResult? Error);

    public static async Task<Body> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is null)
        {
            return Fail(StatusCodes.Status415UnsupportedMediaType, "The Content-Type header is missing.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();

        if (contentType == "application/json")
        {
            return ReadJson(bytes);
        }

        if (RawTypes.Contains(contentType))
        {
            return new Body(bytes, null);
        }

        return Fail(StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{contentType}' is not supported.");
    }

    private static Body ReadJson(byte[] bytes)
    {
        InspectCertificateRequest? body;
        try
        {
            body = JsonSerializer.Deserialize<InspectCertificateRequest>(bytes, JsonOptions);
        }
        catch (JsonException exception)
        {
            return Fail(StatusCodes.Status400BadRequest, $"The JSON body is malformed at '{exception.Path}'. Send {{\"certificate\": \"<PEM or base64 DER>\"}}.");
        }

        if (string.IsNullOrWhiteSpace(body?.Certificate))
        {
            return Fail(StatusCodes.Status400BadRequest, "The field 'certificate' is missing or empty. Send {\"certificate\": \"<PEM or base64 DER>\"}.");
        }

        return new Body(Encoding.UTF8.GetBytes(body.Certificate), null);
    }

    private static Body Fail(int status, string detail)
    {
        var title = status == StatusCodes.Status415UnsupportedMediaType
            ? "The content type is not supported."
            : "The certificate upload is invalid.";
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            detail += " Use application/x-pem-file or text/plain for PEM, application/pkix-cert for DER, or application/json.";
        }

        return new Body([], TypedResults.Problem(title: title, detail: detail, statusCode: status,
            extensions: new Dictionary<string, object?> { ["field"] = "certificate" }));
    }
}
