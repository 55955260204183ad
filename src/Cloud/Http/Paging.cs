namespace Cloud.Http;

/// <summary>
/// One page of a list endpoint.
/// </summary>
/// <param name="Total">Number of items in the whole list.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Limit, int Total);

internal static class Paging
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 200;

    /// <summary>
    /// Checks offset and limit query values; returns the errors for a ValidationProblem, or null.
    /// </summary>
    public static Dictionary<string, string[]>? Validate(int? offset, int? limit)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (offset is < 0)
        {
            errors["offset"] = [$"offset is {offset}; use 0 or more."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit is {limit}; use 1 to {MaxLimit}."];
        }

        return errors.Count == 0 ? null : errors;
    }
}
