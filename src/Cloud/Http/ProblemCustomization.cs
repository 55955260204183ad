using Microsoft.AspNetCore.Http.Features;

namespace Cloud.Http;

/// <summary>
/// Completes problem details that the server writes without a cause.
/// </summary>
internal static class ProblemCustomization
{
    /// <summary>
    /// Describes a bare 413, which Kestrel returns when a body exceeds the endpoint's
    /// RequestSizeLimit, before the request reaches the endpoint or the exception handler.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var problem = context.ProblemDetails;
        if (problem.Status != StatusCodes.Status413PayloadTooLarge || problem.Detail is not null)
        {
            return;
        }

        var limit = context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        problem.Title = "The request body is too large.";
        problem.Detail = limit is null
            ? "Send a smaller body."
            : $"The request body is larger than the {limit} bytes this endpoint accepts. Send a smaller body.";
    }
}
