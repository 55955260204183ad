using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
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
            (title, detail) = Describe(httpContext, badRequest);
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

    private static (string Title, string Detail) Describe(HttpContext httpContext, BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            var detail = limit is null ? "Send a smaller body." : $"The request body is larger than the {limit} bytes this endpoint accepts. Send a smaller body.";
            return ("The request body is too large.", detail);
        }

        if (exception.InnerException is JsonException json)
        {
            return ("The request body is not valid JSON for this endpoint.", DescribeJson(json));
        }

        if (exception.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) ||
            exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) && exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return ("The request body is missing.", "Send a JSON body with Content-Type: application/json; the schema is in the OpenAPI document at /swagger.");
        }

        var binding = FailedBinding().Match(exception.Message);
        if (binding.Success)
        {
            var name = binding.Groups["name"].Value;
            return ("A query or route value is invalid.", $"'{name}' has the invalid value '{binding.Groups["value"].Value}'. {ExpectedValue(binding.Groups["type"].Value)}");
        }

        return ("The request is malformed.", exception.Message);
    }

    /// <summary>
    /// Describes a JSON error by its path and cause, without the .NET type names that
    /// System.Text.Json puts into its messages.
    /// </summary>
    private static string DescribeJson(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "the body" : $"'{json.Path}'";
        if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"The field at {path} is unknown. Check the spelling against the schema at /swagger; fields are camelCase, for example autoRegister.";
        }

        if (json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"The field at {path} appears more than once. Send each field once.";
        }

        if (json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"The value at {path} has the wrong type, for example a string where true/false or a number is expected. Check the schema at /swagger.";
        }

        return $"The JSON at {path} is malformed: {FirstSentence(json.Message)} Check the schema at /swagger.";
    }

    private static string ExpectedValue(string type) => type switch
    {
        _ when type.Contains("DateTime", StringComparison.OrdinalIgnoreCase) => "Use an ISO 8601 time such as 2026-12-04T10:00:00Z.",
        _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) => "Use a whole number.",
        _ when type.Contains("bool", StringComparison.OrdinalIgnoreCase) => "Use true or false.",
        _ => "Check the parameter's type in the OpenAPI document at /swagger.",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+(?:<[^>]+>)?) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.?$")]
    private static partial Regex FailedBinding();

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Rejected {Method} {Path} with {StatusCode}: {Detail}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int statusCode, string detail);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path}, trace id {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, string traceId, Exception exception);
}
