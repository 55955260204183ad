using Cloud.Registry.ApiKeys;
using Cloud.Registry.Data;
using Cloud.Registry.Authorities;
using Cloud.Registry.Records;
using Cloud.Registry.Revocations;
using Cloud.Registry.ThingDefinitions;
using Cloud.Registry.Things;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQLite registry, its in-memory index and the stores.
    /// </summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.AddDbContext<RegistryDbContext>(options => options.UseRegistrySqlite(connectionString));
        services.AddSingleton<RegistryIndex>();
        services.AddScoped<ThingDefinitionStore>();
        services.AddScoped<ThingStore>();
        services.AddScoped<TrustedCaStore>();
        services.AddScoped<RevocationStore>();
        services.AddScoped<AuthEventStore>();
        services.AddOptions<DecisionRecordOptions>()
            .BindConfiguration(DecisionRecordOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DecisionRecorder>();
        services.AddHostedService<DecisionRecordWriter>();
        services.AddScoped<ApiKeyStore>();
        services.AddHostedService<RegistryStartup>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static DbContextOptionsBuilder UseRegistrySqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(RegistryDbContext.MigrationsAssembly));
}
