using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Http;

/// <summary>
/// Completes problem details that the server writes without a cause.
/// </summary>
internal static class ProblemCustomization
{
    /// <summary>
    /// Describes bare 404, 405 and 415 responses of routing, and a bare 413, which Kestrel
    /// returns when a body exceeds the endpoint's RequestSizeLimit, before the request reaches
    /// the endpoint or the exception handler.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        switch (problem.Status)
        {
            case StatusCodes.Status404NotFound:
                problem.Detail = $"No resource matches {request.Method} {request.Path}. The endpoints are listed in the OpenAPI document at /swagger.";
                return;
            case StatusCodes.Status405MethodNotAllowed:
                problem.Detail = $"{request.Path} does not accept {request.Method}. The methods it accepts are listed at /swagger.";
                return;
            case StatusCodes.Status415UnsupportedMediaType:
                var accepted = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes;
                var types = accepted is { Count: > 0 } ? string.Join(", ", accepted) : "application/json";
                problem.Detail = $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted here. Send one of: {types}.";
                return;
            case not StatusCodes.Status413PayloadTooLarge:
                return;
        }

        var limit = context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        problem.Title = "The request body is too large.";
        problem.Detail = limit is null
            ? "Send a smaller body."
            : $"The request body is larger than the {limit} bytes this endpoint accepts. Send a smaller body.";
    }
}
