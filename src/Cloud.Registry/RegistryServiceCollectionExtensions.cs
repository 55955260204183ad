using Cloud.Registry.ApiKeys;
using Cloud.Registry.Data;
using Cloud.Registry.ThingDefinitions;
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
        services.AddScoped<ApiKeyStore>();
        services.AddHostedService<RegistryStartup>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static DbContextOptionsBuilder UseRegistrySqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(RegistryDbContext.MigrationsAssembly));
}
