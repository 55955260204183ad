using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Cloud.Http;

/// <summary>
/// Turns exceptions into ProblemDetails: malformed or oversized requests into 400 or 413 with
/// the cause, anything unexpected into a 500 that hides internals and is logged as an error.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;

        if (exception is BadHttpRequestException badRequest)
        {
            status = badRequest.StatusCode;
            (title, detail) = Describe(badRequest);
            LogBadRequest(logger, httpContext.Request.Method, httpContext.Request.Path, status, detail);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            title = "An unexpected error occurred.";
            detail = $"The request failed on the server. Quote trace id {httpContext.TraceIdentifier} when you report it.";
            LogUnexpected(logger, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static (string Title, string Detail) Describe(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ("The request body is too large.", "Send a smaller body; the limit for this endpoint is documented at /swagger.");
        }

        if (exception.InnerException is JsonException json)
        {
            var path = string.IsNullOrEmpty(json.Path) ? "the body" : $"'{json.Path}'";
            return ("The request body is not valid JSON for this endpoint.", $"Invalid JSON at {path}: {FirstSentence(json.Message)} Check the schema at /swagger.");
        }

        return ("The request is malformed.", exception.Message);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} with {StatusCode}: {Detail}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int statusCode, string detail);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path}, trace id {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, string traceId, Exception exception);
}
