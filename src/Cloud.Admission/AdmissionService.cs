using Cloud.Registry;
using Cloud.Registry.Things;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Admission;

/// <summary>
/// Decides admissions: the rules of <see cref="AdmissionEvaluator"/> over the in-memory
/// <see cref="RegistryIndex"/>, plus the registration of new things those rules allow.
/// The broker hook and the validation endpoint both call it, so they cannot disagree.
/// </summary>
public sealed class AdmissionService
{
    private const int MaxRegistrationAttempts = 3;

    private readonly RegistryIndex index;
    private readonly IServiceScopeFactory scopes;
    private readonly AdmissionEvaluator evaluator;

    public AdmissionService(RegistryIndex index, IServiceScopeFactory scopes, IOptions<AdmissionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.index = index;
        this.scopes = scopes;
        evaluator = new AdmissionEvaluator(options.Value.ClockSkew);
        index.Changed += snapshot => Changed?.Invoke(snapshot.Version);
    }

    /// <summary>Raised after each committed registry change, with the new registry version.</summary>
    public event Action<long>? Changed;

    /// <summary>Version of the registry state decisions are made on; it grows with every change.</summary>
    public long Version => index.Current.Version;

    /// <summary>
    /// Applies the rules to the current registry state without side effects. A decision that
    /// would register a new thing is returned as such.
    /// </summary>
    public AdmissionDecision Evaluate(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return evaluator.Evaluate(index.Current, request);
    }

    /// <summary>
    /// Decides a connect, registering the thing when the decision calls for it. A registration
    /// that loses a race with another writer is decided again on the new state.
    /// </summary>
    public async Task<AdmissionDecision> DecideAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        for (var attempt = 0; attempt < MaxRegistrationAttempts; attempt++)
        {
            var decision = evaluator.Evaluate(index.Current, request);
            if (!decision.RegistersThing)
            {
                return decision;
            }

            await using var scope = scopes.CreateAsyncScope();
            var things = scope.ServiceProvider.GetRequiredService<ThingStore>();
            var result = await things.AutoRegisterAsync(decision.Thing!, decision.ThingDefinition!, cancellationToken);
            if (result.Status is RegistryStatus.Created or RegistryStatus.Ok)
            {
                return decision with { RegistersThing = false };
            }
        }

        return AdmissionDecision.Deny(AdmissionRules.Error, $"Thing '{request.ClientId}' could not be registered; try again.");
    }
}
