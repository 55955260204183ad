using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Collections.Immutable;
using Cloud.Admission;
using Cloud.Admission.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Broker.Authorization;

/// <summary>
/// Asks a remote validation endpoint (Broker:AuthUrl), authenticated with Broker:AuthApiKey
/// when it is set. A failed, late or malformed response denies the connect and logs the cause,
/// never the key.
/// </summary>
internal sealed class HttpConnectAuthorizer(HttpClient http, IOptions<BrokerOptions> options, ILogger<HttpConnectAuthorizer> logger) : IConnectAuthorizer
{
    public const string HttpClientName = "validation-endpoint";

    // NOTE: live sessions are not re-checked in this mode, because registry changes happen in
    // the remote process. Revocations there take effect at each client's next connect.
#pragma warning disable CS0067 // The registry of a remote process raises no local change events.
    public event Action? RegistryChanged;
#pragma warning restore CS0067

    public AdmissionDecision? Reevaluate(ConnectAttempt attempt) => null;

    public async Task<AdmissionDecision> AuthorizeAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = settings.AuthUrl!;
        var body = new ValidationRequest(attempt.ClientId, attempt.Username, ToPem(attempt));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.AuthTimeout);

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            if (!string.IsNullOrWhiteSpace(settings.AuthApiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AuthApiKey.Trim());
            }

            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return Fail(attempt, $"The validation endpoint returned HTTP {(int)response.StatusCode}; set Broker:AuthApiKey to an active API key with role broker.");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Fail(attempt, $"The validation endpoint returned HTTP {(int)response.StatusCode}.");
            }

            var answer = await response.Content.ReadFromJsonAsync<ValidationResponse>(timeout.Token);
            return Translate(answer, attempt.ClientId) ?? Fail(attempt, "The validation endpoint returned an answer without a valid result.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(attempt, $"The validation endpoint did not answer within {settings.AuthTimeout.TotalMilliseconds} ms.");
        }
        catch (HttpRequestException exception)
        {
            return Fail(attempt, $"The validation endpoint could not be reached: {exception.Message}");
        }
        catch (JsonException exception)
        {
            return Fail(attempt, $"The validation endpoint returned malformed JSON: {exception.Message}");
        }
        catch (NotSupportedException exception)
        {
            return Fail(attempt, $"The validation endpoint returned an unsupported content type: {exception.Message}");
        }
    }

    private static AdmissionDecision? Translate(ValidationResponse? answer, string clientId)
    {
        if (answer is null || string.IsNullOrWhiteSpace(answer.Reason))
        {
            return null;
        }

        var rule = string.IsNullOrWhiteSpace(answer.Rule) ? AdmissionRules.Error : answer.Rule;
        return answer.Result switch
        {
            ValidationResponse.Allow when !string.IsNullOrWhiteSpace(answer.ThingDefinition) =>
                AdmissionDecision.Allow(rule, answer.Reason, answer.ThingDefinition, answer.Thing ?? clientId) with
                {
                    Topics = new TopicGrant(ValidFilters(answer.Publish), ValidFilters(answer.Subscribe)),
                },
            ValidationResponse.Deny => AdmissionDecision.Deny(rule, answer.Reason),
            _ => null,
        };
    }

    /// <summary>Keeps the syntactically valid filters of a response. A missing list grants nothing.</summary>
    private static ImmutableArray<string> ValidFilters(IReadOnlyList<string>? filters) =>
        [.. (filters ?? []).Where(f => f is not null && TopicFilters.Validate(f) is null)];

    private AdmissionDecision Fail(ConnectAttempt attempt, string cause)
    {
        BrokerLog.ValidationEndpointFailed(logger, attempt.ClientId, attempt.RemoteEndpoint, cause);
        return AdmissionDecision.Deny(AdmissionRules.Error, "The validation endpoint failed, so the connect is denied.");
    }

    private static string? ToPem(ConnectAttempt attempt)
    {
        if (attempt.Certificate is null)
        {
            return null;
        }

        var pem = new StringBuilder(attempt.Certificate.ExportCertificatePem()).Append('\n');
        foreach (var intermediate in attempt.Intermediates)
        {
            pem.Append(intermediate.ExportCertificatePem()).Append('\n');
        }

        return pem.ToString();
    }
}
