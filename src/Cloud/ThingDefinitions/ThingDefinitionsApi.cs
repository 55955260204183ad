using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.ThingDefinitions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.ThingDefinitions;

/// <summary>
/// REST endpoints for thing definitions under /api/thing-defs.
/// </summary>
internal static class ThingDefinitionsApi
{
    /// <summary>Largest accepted request body: 100 attributes with long defaults fit well within it.</summary>
    private const long MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapThingDefinitions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/thing-defs").WithTags("Thing definitions");

        group.MapGet("/", ListAsync)
            .WithSummary("List thing definitions, ordered by key")
            .ProducesValidationProblem();

        group.MapGet("/{key}", GetAsync)
            .WithName("GetThingDefinition")
            .WithSummary("Get a thing definition")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreateAsync)
            .WithSummary("Register a thing definition")
            .WithValidation<ThingDefinitionRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{key}", ReplaceAsync)
            .WithSummary("Replace a thing definition")
            .WithValidation<ThingDefinitionRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{key}", DeleteAsync)
            .WithSummary("Delete a thing definition")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<Ok<Page<ThingDefinitionResponse>>, ValidationProblem>> ListAsync(
        ThingDefinitionStore store, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var (items, total) = await store.ListAsync(start, size, cancellationToken);
        return TypedResults.Ok(new Page<ThingDefinitionResponse>([.. items.Select(ThingDefinitionResponse.From)], start, size, total));
    }

    private static async Task<Results<Ok<ThingDefinitionResponse>, ProblemHttpResult>> GetAsync(
        string key, ThingDefinitionStore store, CancellationToken cancellationToken)
    {
        var definition = await store.FindAsync(key, cancellationToken);
        return definition is null
            ? NotFound(key)
            : TypedResults.Ok(ThingDefinitionResponse.From(definition));
    }

    private static async Task<Results<CreatedAtRoute<ThingDefinitionResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        ThingDefinitionRequest request, ThingDefinitionStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Key))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["key"] = [$"Key is required: {RequestText.KeyRule}."] },
                title: "The request is invalid.");
        }

        var result = await store.CreateAsync(request.ToDraft(request.Key), cancellationToken);
        return result.Status switch
        {
            RegistryStatus.Created => TypedResults.CreatedAtRoute(
                ThingDefinitionResponse.From(result.Value!), "GetThingDefinition", new { key = result.Value!.Key }),
            _ => RegistryProblems.ToProblem(result, "thing definition"),
        };
    }

    private static async Task<Results<Ok<ThingDefinitionResponse>, ProblemHttpResult, ValidationProblem>> ReplaceAsync(
        string key, ThingDefinitionRequest request, ThingDefinitionStore store, CancellationToken cancellationToken)
    {
        if (request.Key is not null && !string.Equals(request.Key, key, StringComparison.Ordinal))
        {
            return RegistryProblems.KeyMismatch(request.Key, key);
        }

        var result = await store.ReplaceAsync(request.ToDraft(key), cancellationToken);
        return result.Status switch
        {
            RegistryStatus.Ok => TypedResults.Ok(ThingDefinitionResponse.From(result.Value!)),
            _ => RegistryProblems.ToProblem(result, "thing definition"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string key, ThingDefinitionStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteAsync(key, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(key);
    }

    private static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem(
            title: "The thing definition was not found.",
            detail: $"Thing definition '{key}' was not found. List the registered keys with GET /api/thing-defs.",
            statusCode: StatusCodes.Status404NotFound);
}
