using Cloud.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cloud.Http;

/// <summary>
/// Turns failed registry results into RFC 9457 problem details, with the offending JSON field
/// in the <c>field</c> extension when the registry names one.
/// </summary>
internal static class RegistryProblems
{
    /// <param name="subject">What the resource is called in titles, such as "thing" or "CA".</param>
    public static ProblemHttpResult ToProblem<T>(RegistryResult<T> result, string subject)
    {
        ArgumentNullException.ThrowIfNull(result);

        var (status, title) = result.Status switch
        {
            RegistryStatus.NotFound => (StatusCodes.Status404NotFound, $"The {subject} was not found."),
            RegistryStatus.Conflict => (StatusCodes.Status409Conflict, $"The {subject} conflicts with a stored one."),
            RegistryStatus.Invalid => (StatusCodes.Status400BadRequest, "The request is invalid."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        return Problem(status, title, result.Error, result.Field);
    }

    public static ProblemHttpResult Problem(int status, string title, string? detail, string? field = null)
    {
        var extensions = field is null ? null : new Dictionary<string, object?> { ["field"] = field };
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
    }

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is invalid.");

    /// <summary>Rejects a PUT body whose key differs from the key in the path.</summary>
    public static ValidationProblem KeyMismatch(string bodyKey, string pathKey) =>
        Invalid("key", $"The body key '{RequestText.Shorten(bodyKey)}' differs from the path key '{pathKey}'; omit it or send the same key. Keys cannot be renamed.");
}

/// <summary>
/// Helpers for quoting caller input in error messages.
/// </summary>
internal static class RequestText
{
    /// <summary>Rule text for keys, matching <see cref="RegistryLimits.KeyPattern"/>.</summary>
    public const string KeyRule = "use 1 to 64 letters, digits, '_', '-' or '.'";

    /// <summary>Cuts a quoted value to 80 characters, so that a long input does not flood the message.</summary>
    public static string Shorten(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        return value.Length <= 80 ? value : value[..80] + "...";
    }

    public static bool IsKey(string? value) =>
        value is not null && System.Text.RegularExpressions.Regex.IsMatch(value, RegistryLimits.KeyPattern);
}
