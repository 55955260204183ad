using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.Things;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.Things;

/// <summary>
/// REST endpoints for things (devices) under /api/things.
/// </summary>
internal static class ThingsApi
{
    /// <summary>Largest accepted request body: 100 attributes of 8192 ASCII characters and two signatures fit within it.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    private const string Subject = "thing";

    public static RouteGroupBuilder MapThings(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/things").WithTags("Things");

        group.MapGet("/", ListAsync)
            .WithSummary("List things, ordered by key, optionally only those of one thing definition")
            .ProducesValidationProblem();

        group.MapGet("/{key}", GetAsync)
            .WithName("GetThing")
            .WithSummary("Get a thing")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreateAsync)
            .WithSummary("Register a thing: a device of a thing definition, keyed by its MQTT client id")
            .WithValidation<ThingRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{key}", ReplaceAsync)
            .WithSummary("Replace a thing")
            .WithValidation<ThingRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{key}", DeleteAsync)
            .WithSummary("Delete a thing")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    /// <param name="definition">Key of a thing definition. An unknown key returns an empty page.</param>
    private static async Task<Results<Ok<Page<ThingResponse>>, ValidationProblem>> ListAsync(
        ThingStore store, int? offset, int? limit, string? definition, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var (items, total) = await store.ListAsync(definition, start, size, cancellationToken);
        return TypedResults.Ok(new Page<ThingResponse>([.. items.Select(ThingResponse.From)], start, size, total));
    }

    private static async Task<Results<Ok<ThingResponse>, ProblemHttpResult>> GetAsync(
        string key, ThingStore store, CancellationToken cancellationToken)
    {
        var thing = await store.FindAsync(key, cancellationToken);
        return thing is null
            ? NotFound(key)
            : TypedResults.Ok(ThingResponse.From(thing));
    }

    private static async Task<Results<CreatedAtRoute<ThingResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        ThingRequest request, ThingStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Key))
        {
            return RegistryProblems.Invalid("key", $"Key is required: send the device's MQTT client id; {RequestText.KeyRule}.");
        }

        var result = await store.CreateAsync(request.ToDraft(request.Key), cancellationToken);
        return result.Status switch
        {
            RegistryStatus.Created => TypedResults.CreatedAtRoute(
                ThingResponse.From(result.Value!), "GetThing", new { key = result.Value!.Key }),
            _ => RegistryProblems.ToProblem(result, Subject),
        };
    }

    private static async Task<Results<Ok<ThingResponse>, ProblemHttpResult, ValidationProblem>> ReplaceAsync(
        string key, ThingRequest request, ThingStore store, CancellationToken cancellationToken)
    {
        if (request.Key is not null && !string.Equals(request.Key, key, StringComparison.Ordinal))
        {
            return RegistryProblems.KeyMismatch(request.Key, key);
        }

        var result = await store.ReplaceAsync(request.ToDraft(key), cancellationToken);
        return result.Status switch
        {
            RegistryStatus.Ok => TypedResults.Ok(ThingResponse.From(result.Value!)),
            _ => RegistryProblems.ToProblem(result, Subject),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string key, ThingStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteAsync(key, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(key);
    }

    private static ProblemHttpResult NotFound(string key) =>
        RegistryProblems.Problem(
            StatusCodes.Status404NotFound,
            "The thing was not found.",
            $"Thing '{key}' was not found. List the registered things with GET /api/things.");
}
