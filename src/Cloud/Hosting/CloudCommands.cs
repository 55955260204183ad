using Cloud.ApiKeys;
using Cloud.Registry.ApiKeys;
using Cloud.Registry.Data;

namespace Cloud.Hosting;

/// <summary>
/// Offline commands that run without starting the API or the broker:
/// <c>dotnet run --project src/Cloud -- migrate</c> applies the registry migrations, and
/// <c>keys create|list|revoke</c> manage API keys after applying them.
/// </summary>
internal static class CloudCommands
{
    public static async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, IServiceProvider services, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(error);

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Cloud.Commands");
        await using var scope = services.CreateAsyncScope();
        switch (command)
        {
            case "migrate":
                await RegistryMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<RegistryDbContext>(), logger, CancellationToken.None);
                return 0;

            case "keys":
                await RegistryMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<RegistryDbContext>(), logger, CancellationToken.None);
                return await ApiKeyCommands.RunAsync(arguments, scope.ServiceProvider.GetRequiredService<ApiKeyStore>(), output, error, CancellationToken.None);

            default:
                await error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate, {ApiKeyCommands.Usage}. Without a command the service starts.");
                return 2;
        }
    }
}
