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

    /// <summary>
    /// Decides again, without side effects, whether a live session would still be admitted.
    /// A decision that would register the thing again is returned as such. Returns null when
    /// this authorizer cannot tell (the registry is in another process).
    /// </summary>
    AdmissionDecision? Reevaluate(ConnectAttempt attempt);

    /// <summary>Raised when the registry changed and live sessions need <see cref="Reevaluate"/>.</summary>
    event Action? RegistryChanged;
}

/// <summary>
/// An MQTT CONNECT as the broker receives it, with the certificates from the TLS handshake.
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
internal sealed class InProcessConnectAuthorizer : IConnectAuthorizer
{
    private readonly AdmissionService admission;
    private readonly TimeProvider clock;

    public InProcessConnectAuthorizer(AdmissionService admission, TimeProvider clock)
    {
        this.admission = admission;
        this.clock = clock;
        admission.Changed += _ => RegistryChanged?.Invoke();
    }

    public event Action? RegistryChanged;

    public Task<AdmissionDecision> AuthorizeAsync(ConnectAttempt attempt, CancellationToken cancellationToken) =>
        admission.DecideAsync(ToRequest(attempt), cancellationToken);

    public AdmissionDecision? Reevaluate(ConnectAttempt attempt) => admission.Evaluate(ToRequest(attempt));

    private AdmissionRequest ToRequest(ConnectAttempt attempt) =>
        new(attempt.ClientId, attempt.Username, attempt.Certificate, attempt.Intermediates, clock.GetUtcNow());
}
