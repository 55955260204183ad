using System.Security.Cryptography.X509Certificates;
using Cloud.Admission;

namespace Cloud.Broker.Authorization;

/// <summary>
/// Decides whether an MQTT CONNECT is admitted: in this process, or by asking a remote
/// validation endpoint. Implementations return a deny decision instead of throwing.
/// </summary>
public interface IConnectAuthorizer
{
    Task<AdmissionDecision> AuthorizeAsync(ConnectAttempt attempt, CancellationToken cancellationToken);
}

/// <summary>
/// An MQTT CONNECT as the broker sees it, with the certificates from the TLS handshake.
/// </summary>
public sealed record ConnectAttempt(
    string ClientId,
    string? Username,
    X509Certificate2? Certificate,
    IReadOnlyList<X509Certificate2> Intermediates,
    string RemoteEndpoint);

/// <summary>
/// Calls <see cref="AdmissionService"/> in this process.
/// </summary>
internal sealed class InProcessConnectAuthorizer(AdmissionService admission, TimeProvider clock) : IConnectAuthorizer
{
    public Task<AdmissionDecision> AuthorizeAsync(ConnectAttempt attempt, CancellationToken cancellationToken)
    {
        var request = new AdmissionRequest(attempt.ClientId, attempt.Username, attempt.Certificate, attempt.Intermediates, clock.GetUtcNow());
        return Task.FromResult(admission.Decide(request));
    }
}
