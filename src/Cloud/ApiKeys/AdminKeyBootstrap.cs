using Cloud.Registry.ApiKeys;

namespace Cloud.ApiKeys;

/// <summary>
/// Creates an admin key when the registry has no active one, so that a fresh installation can
/// be administered. The key goes to standard output and to an owner-only file in the data
/// directory, never to the log.
/// </summary>
internal sealed partial class AdminKeyBootstrap(IServiceScopeFactory scopes, string path, ILogger<AdminKeyBootstrap> logger) : IHostedService
{
    public const string FileName = "admin-api-key";

    public const string KeyName = "bootstrap admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
        if (await store.HasActiveKeyAsync(ApiKeyRoles.Admin, cancellationToken))
        {
            return;
        }

        var created = (await store.CreateAsync(KeyName, ApiKeyRoles.Admin, cancellationToken)).Value!;

        // Printed before the file is written, so that the key is known even when the write fails.
        await Console.Out.WriteLineAsync($"Created admin API key {created.Record.Id}; it is shown only here and stored in {path}:");
        await Console.Out.WriteLineAsync(created.Key);
        await WriteOwnerOnlyAsync(path, created.Key, cancellationToken);
        LogCreated(logger, created.Record.Id, created.Record.Prefix, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Writes the key to a new file with mode 0600 and moves it over any older one, so that the
    /// key is never in a file that others can read. On Windows the file inherits the folder's ACL.
    /// </summary>
    private static async Task WriteOwnerOnlyAsync(string path, string key, CancellationToken cancellationToken)
    {
        var temporary = path + ".new";
        File.Delete(temporary);

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(temporary, options))
        {
            await writer.WriteLineAsync(key.AsMemory(), cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "No active admin API key existed, so admin key {KeyId} ({KeyPrefix}) was created and written to {Path}; the key was printed to standard output")]
    private static partial void LogCreated(ILogger logger, string keyId, string keyPrefix, string path);
}

internal static class AdminKeyBootstrapExtensions
{
    /// <summary>
    /// Registers the bootstrap. Register it after the registry, whose startup applies the
    /// migrations this service reads.
    /// </summary>
    public static IServiceCollection AddAdminKeyBootstrap(this IServiceCollection services, string dataDirectory) =>
        services.AddHostedService(provider => new AdminKeyBootstrap(
            provider.GetRequiredService<IServiceScopeFactory>(),
            Path.Combine(dataDirectory, AdminKeyBootstrap.FileName),
            provider.GetRequiredService<ILogger<AdminKeyBootstrap>>()));
}
