using System.Security.Claims;
using System.Text.Encodings.Web;
using Cloud.Registry.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cloud.Authentication;

internal static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";

    public const string Header = "X-Api-Key";

    public const string HowToSend =
        "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'. " +
        "An admin creates keys with POST /api/keys or 'dotnet run --project src/Cloud -- keys create --role reader --name NAME'.";
}

/// <summary>
/// Authenticates requests by an API key in <c>Authorization: Bearer</c> (RFC 6750) or
/// <c>X-Api-Key</c>. A request without a key gets no identity, so that endpoints open to
/// everyone still work. The principal carries the key id, name and role.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadKey(Request.Headers, out var presented))
        {
            return AuthenticateResult.NoResult();
        }

        var store = Context.RequestServices.GetRequiredService<ApiKeyStore>();
        var verification = await store.VerifyAsync(presented, Context.RequestAborted);
        if (verification.Status != ApiKeyVerificationStatus.Valid)
        {
            // The log carries the id only: it is public, while the rest of the text may be a secret.
            var detail = Describe(verification);
            LogRejected(Logger, verification.Id ?? "none", Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", Request.Method, Request.Path, verification.Status);
            return AuthenticateResult.Fail(detail);
        }

        var record = verification.Record!;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, record.Id),
                new Claim(ClaimTypes.Name, record.Name),
                new Claim(ClaimTypes.Role, record.Role),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = result.Failure?.Message;

        // RFC 6750 section 3: a request without credentials gets the bare scheme, one with a
        // rejected token gets error="invalid_token".
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = failure is null ? "An API key is required." : "The API key was rejected.",
                Detail = failure is null ? ApiKeyDefaults.HowToSend : $"{failure} {ApiKeyDefaults.HowToSend}",
            },
        });
    }

    /// <summary>
    /// Reads the key from <c>Authorization: Bearer</c>, or else from <c>X-Api-Key</c>. An
    /// Authorization header with another scheme is ignored. An empty or repeated value is
    /// passed on as presented, so that it is rejected instead of treated as missing.
    /// </summary>
    private static bool TryReadKey(IHeaderDictionary headers, out string presented)
    {
        var authorization = headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            presented = value[BearerPrefix.Length..].Trim();
            return true;
        }

        var header = headers[ApiKeyDefaults.Header];
        if (header.Count > 0)
        {
            presented = header.Count == 1 ? header[0]?.Trim() ?? string.Empty : string.Empty;
            return true;
        }

        presented = string.Empty;
        return false;
    }

    private static string Describe(ApiKeyVerification verification) => verification.Status switch
    {
        ApiKeyVerificationStatus.Malformed =>
            $"The API key is malformed: a key is the {ApiKeyFormat.KeyLength}-character text 'cloud_<id>_<secret>' shown once at creation.",
        ApiKeyVerificationStatus.Revoked =>
            $"API key '{verification.Id}' is revoked; ask an admin for a new key.",
        _ => "The API key is invalid: no active key matches it.",
    };

    // TODO: Rate-limit this warning per remote address, because a client that repeats a rejected key writes one line per request.
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Rejected API key {KeyId} from {RemoteAddress} for {Method} {Path}: {Status}")]
    private static partial void LogRejected(ILogger logger, string keyId, string remoteAddress, string method, string path, ApiKeyVerificationStatus status);
}
