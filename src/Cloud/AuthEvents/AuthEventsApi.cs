using Cloud.Http;
using Cloud.Registry.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cloud.AuthEvents;

/// <summary>
/// GET /api/auth-events: decision records of connects, disconnects and denied publishes and
/// subscribes, newest first.
/// </summary>
internal static class AuthEventsApi
{
    public static RouteGroupBuilder MapAuthEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth-events").WithTags("Decision records");

        group.MapGet("/", ListAsync)
            .WithSummary("List decision records, newest first")
            .WithDescription("Filters: clientId, thing, result (allow or deny), from and to (ISO 8601 times; from inclusive, to exclusive). Records are kept for DecisionRecords:MaxAge and at most DecisionRecords:MaxCount.")
            .ProducesValidationProblem();

        group.MapGet("/stats", GetStats)
            .WithSummary("Count decision records written, waiting and dropped since the start");

        return group;
    }

    private static async Task<Results<Ok<Page<AuthEventResponse>>, ValidationProblem>> ListAsync(
        AuthEventStore store,
        string? clientId,
        string? thing,
        string? result,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? offset,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit) ?? new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (result is not null and not AuthEventKinds.Allow and not AuthEventKinds.Deny)
        {
            errors["result"] = [$"result '{result}' is invalid: use 'allow' or 'deny'."];
        }

        if (from is not null && to is not null && from >= to)
        {
            errors["to"] = [$"to ({to:O}) must be later than from ({from:O})."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var filter = new AuthEventFilter(clientId, thing, result, from?.UtcDateTime, to?.UtcDateTime);
        var (items, total) = await store.ListAsync(filter, start, size, cancellationToken);
        return TypedResults.Ok(new Page<AuthEventResponse>([.. items.Select(AuthEventResponse.From)], start, size, total));
    }

    private static Ok<AuthEventStats> GetStats(DecisionRecorder recorder) =>
        TypedResults.Ok(new AuthEventStats(recorder.Written, recorder.Pending, recorder.Dropped));
}

/// <summary>
/// A decision record.
/// </summary>
/// <param name="Kind">"connect", "disconnect", "publish" or "subscribe".</param>
/// <param name="Fingerprint">SHA-256 of the client certificate, lowercase hex bytes joined by ':'.</param>
/// <param name="Topic">Topic name or filter of a denied publish or subscribe.</param>
/// <param name="DecisionMicroseconds">Time the connect decision took, in microseconds.</param>
public sealed record AuthEventResponse(
    long Id,
    DateTime Time,
    string Kind,
    string ClientId,
    string? Thing,
    string? RemoteAddress,
    string? Fingerprint,
    string? Subject,
    string? Issuer,
    string Result,
    string? Rule,
    string? Reason,
    string? Topic,
    long DecisionMicroseconds)
{
    public static AuthEventResponse From(AuthEvent record) => new(
        record.Id,
        record.Time,
        record.Kind,
        record.ClientId,
        record.Thing,
        record.RemoteAddress,
        record.Fingerprint,
        record.Subject,
        record.Issuer,
        record.Result,
        record.Rule,
        record.Reason,
        record.Topic,
        record.DecisionMicroseconds);
}

/// <summary>
/// Counters of decision records since the service started.
/// </summary>
/// <param name="Dropped">Records lost because the buffer was full (DecisionRecords:BufferCapacity).</param>
public sealed record AuthEventStats(long Written, int Pending, long Dropped);
