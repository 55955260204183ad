using Cloud.Registry.Data;

namespace Cloud.Hosting;

/// <summary>
/// Offline commands: <c>dotnet run --project src/Cloud -- migrate</c> applies the registry
/// migrations and exits without starting the API or the broker.
/// </summary>
internal static class CloudCommands
{
    public static async Task<int> RunAsync(string command, WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cloud.Commands");
        switch (command)
        {
            case "migrate":
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
                    await RegistryMigrator.MigrateAsync(db, logger, CancellationToken.None);
                }

                return 0;

            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate. Without a command the service starts.");
                return 2;
        }
    }
}
