using Cloud.Authentication;
using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cloud.ApiKeys;

/// <summary>
/// REST endpoints for API keys under /api/keys, for role admin only.
/// </summary>
internal static class ApiKeysApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/keys")
            .WithTags("API keys")
            .RequireAuthorization(ApiKeyPolicies.Admin)
            .ProducesAuthenticationProblems();

        group.MapGet("/", ListAsync)
            .WithSummary("List API keys, active and revoked, without their secrets")
            .ProducesValidationProblem();

        group.MapGet("/{id}", GetAsync)
            .WithName("GetApiKey")
            .WithSummary("Get an API key without its secret")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", CreateAsync)
            .WithSummary("Create an API key")
            .WithDescription("The response contains the key once; the service stores only its hash. Send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.")
            .WithValidation<ApiKeyRequest>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapDelete("/{id}", RevokeAsync)
            .WithSummary("Revoke an API key")
            .WithDescription("The key is rejected from the next request on. Revoking a revoked key succeeds.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<Ok<Page<ApiKeyResponse>>, ValidationProblem>> ListAsync(
        ApiKeyStore store, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var errors = Paging.Validate(offset, limit);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The paging parameters are invalid.");
        }

        var start = offset ?? 0;
        var size = limit ?? Paging.DefaultLimit;
        var (items, total) = await store.ListAsync(start, size, cancellationToken);
        return TypedResults.Ok(new Page<ApiKeyResponse>([.. items.Select(ApiKeyResponse.From)], start, size, total));
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetAsync(
        string id, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var key = await store.FindAsync(id, cancellationToken);
        return key is null ? NotFound(id) : TypedResults.Ok(ApiKeyResponse.From(key));
    }

    private static async Task<Results<CreatedAtRoute<CreatedApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        ApiKeyRequest request, ApiKeyStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await store.CreateAsync(request.Name!, request.Role!, cancellationToken);
        if (result.Status != RegistryStatus.Created)
        {
            return TypedResults.Problem(title: "The request is invalid.", detail: result.Error, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = result.Field });
        }

        // The body contains the key, so no cache may store it.
        context.Response.Headers.CacheControl = "no-store";

        var (record, key) = result.Value!;
        return TypedResults.CreatedAtRoute(
            new CreatedApiKeyResponse(record.Id, record.Name, record.Role, record.Prefix, key, record.CreatedAt),
            "GetApiKey",
            new { id = record.Id });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var result = await store.RevokeAsync(id, cancellationToken);
        return result.Status == RegistryStatus.Ok ? TypedResults.NoContent() : NotFound(id);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(
            title: "The API key was not found.",
            detail: $"API key '{id}' was not found. List the key ids with GET /api/keys.",
            statusCode: StatusCodes.Status404NotFound);
}
