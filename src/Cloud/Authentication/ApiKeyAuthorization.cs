using Cloud.Registry.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Cloud.Authentication;

/// <summary>
/// Authorization policies by API key role.
/// </summary>
internal static class ApiKeyPolicies
{
    /// <summary>Role admin.</summary>
    public const string Admin = "ApiKeyAdmin";

    /// <summary>Role reader or admin.</summary>
    public const string Read = "ApiKeyRead";

    /// <summary>Role broker or admin: the MQTT validation endpoint.</summary>
    public const string MqttAuth = "ApiKeyMqttAuth";

    /// <summary>
    /// Registers the API key scheme and the policies. Endpoints without an explicit policy, and
    /// unknown paths, require role admin.
    /// </summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);

        var admin = RoleRequirement(ApiKeyRoles.Admin);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, admin)
            .AddPolicy(Read, RoleRequirement(ApiKeyRoles.Reader, ApiKeyRoles.Admin))
            .AddPolicy(MqttAuth, RoleRequirement(ApiKeyRoles.Broker, ApiKeyRoles.Admin))
            .SetFallbackPolicy(admin);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenProblemHandler>();
        return services;
    }

    /// <summary>
    /// Requires role reader or admin for GET and HEAD endpoints of the group, and admin for the
    /// other methods.
    /// </summary>
    public static RouteGroupBuilder RequireReaderForGet(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);

        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            var readOnly = methods is { Count: > 0 } && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
            endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? Read : Admin));
        });
        return group.ProducesAuthenticationProblems();
    }

    /// <summary>Documents the 401 and 403 ProblemDetails responses in OpenAPI.</summary>
    public static RouteGroupBuilder ProducesAuthenticationProblems(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);

        return group
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static AuthorizationPolicy RoleRequirement(params string[] roles) =>
        new AuthorizationPolicyBuilder(ApiKeyDefaults.Scheme).RequireRole(roles).Build();
}

/// <summary>
/// Writes 403 as ProblemDetails naming the key's role and the roles the endpoint accepts.
/// Everything else goes to the default handler, whose challenge writes the 401 body.
/// </summary>
internal sealed partial class ForbiddenProblemHandler(IProblemDetailsService problems, ILogger<ForbiddenProblemHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            await standard.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var keyId = context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        var role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "none";
        var allowed = string.Join(" or ", policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
        LogForbidden(logger, keyId, role, context.Request.Method, context.Request.Path, allowed);

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The API key's role does not allow this request.",
                Detail = $"API key '{keyId}' has role '{role}', but {context.Request.Method} {context.Request.Path} requires role {allowed}. Send a key with that role.",
            },
        });
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Forbade {Method} {Path} to API key {KeyId} with role {Role}; the endpoint requires {AllowedRoles}")]
    private static partial void LogForbidden(ILogger logger, string keyId, string role, string method, string path, string allowedRoles);
}
