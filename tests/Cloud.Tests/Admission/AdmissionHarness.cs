using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Cloud.Admission;
using Cloud.Registry;
using Cloud.Registry.Data;
using Cloud.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.Tests.Admission;

/// <summary>
/// The registry on a real SQLite file with the admission service on top, without the broker
/// or the HTTP host, so that rule tests open no socket.
/// </summary>
public sealed class AdmissionHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly string directory;

    private AdmissionHarness(ServiceProvider provider, string directory)
    {
        this.provider = provider;
        this.directory = directory;
        Registry = new RegistryWriter(provider);
        Admission = provider.GetRequiredService<AdmissionService>();
    }

    public RegistryWriter Registry { get; }

    public AdmissionService Admission { get; }

    public static async Task<AdmissionHarness> StartAsync(TimeSpan? clockSkew = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);

        var settings = new Dictionary<string, string?>();
        if (clockSkew is { } skew)
        {
            settings["Admission:ClockSkew"] = skew.ToString("c", CultureInfo.InvariantCulture);
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddRegistry($"Data Source={Path.Combine(directory, "registry.db")};Pooling=False");
        services.AddAdmission();
        var provider = services.BuildServiceProvider(validateScopes: true);

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            await RegistryMigrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            await provider.GetRequiredService<RegistryIndex>().LoadAsync(db, CancellationToken.None);
        }

        return new AdmissionHarness(provider, directory);
    }

    public static AdmissionRequest Request(string clientId, X509Certificate2? certificate, IReadOnlyList<X509Certificate2>? intermediates = null, DateTimeOffset? now = null) =>
        new(clientId, null, certificate, intermediates ?? [], now ?? DateTimeOffset.UtcNow);

    /// <summary>Decides a connect as the broker does, registering a thing where the rules call for it.</summary>
    public Task<AdmissionDecision> DecideAsync(string clientId, X509Certificate2? certificate, IReadOnlyList<X509Certificate2>? intermediates = null, DateTimeOffset? now = null) =>
        Admission.DecideAsync(Request(clientId, certificate, intermediates, now), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing connection; the OS temp folder is cleaned later.
        }
    }
}
