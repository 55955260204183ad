using System.Globalization;
using Cloud.Registry;
using Cloud.Registry.ApiKeys;

namespace Cloud.ApiKeys;

/// <summary>
/// Offline key commands: <c>keys create --role ROLE --name NAME</c>, <c>keys list</c> and
/// <c>keys revoke ID</c>. A created key is the only text on standard output, so that a script
/// can capture it. Messages go to standard error.
/// </summary>
internal static class ApiKeyCommands
{
    public const string Usage = "keys create --role admin|reader|broker --name NAME | keys list | keys revoke ID";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, ApiKeyStore store, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        switch (arguments.Count > 0 ? arguments[0] : null)
        {
            case "create":
                return await CreateAsync(arguments, store, output, error, cancellationToken);

            case "list":
                return await ListAsync(store, output, cancellationToken);

            case "revoke" when arguments.Count == 2:
                return await RevokeAsync(arguments[1], store, error, cancellationToken);

            default:
                await error.WriteLineAsync($"Usage: {Usage}");
                return 2;
        }
    }

    private static async Task<int> CreateAsync(IReadOnlyList<string> arguments, ApiKeyStore store, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var role = FindOption(arguments, "--role");
        var name = FindOption(arguments, "--name");
        if (role is null || name is null)
        {
            await error.WriteLineAsync($"keys create needs --role and --name. Usage: {Usage}");
            return 2;
        }

        var result = await store.CreateAsync(name, role, cancellationToken);
        if (result.Status != RegistryStatus.Created)
        {
            await error.WriteLineAsync(result.Error);
            return 2;
        }

        var (record, key) = result.Value!;
        await error.WriteLineAsync($"Created API key {record.Id} with role {record.Role} named '{record.Name}'. It is shown only once:");
        await output.WriteLineAsync(key);
        return 0;
    }

    private static async Task<int> ListAsync(ApiKeyStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var (items, _) = await store.ListAsync(0, int.MaxValue, cancellationToken);
        await output.WriteLineAsync("id            prefix              role    created (UTC)         revoked (UTC)         name");
        foreach (var key in items)
        {
            var revoked = key.RevokedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
            var created = key.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"{key.Id,-13} {key.Prefix,-19} {key.Role,-7} {created,-21} {revoked,-21} {key.Name}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(string id, ApiKeyStore store, TextWriter error, CancellationToken cancellationToken)
    {
        var result = await store.RevokeAsync(id, cancellationToken);
        if (result.Status != RegistryStatus.Ok)
        {
            await error.WriteLineAsync($"{result.Error} List the key ids with 'keys list'.");
            return 1;
        }

        await error.WriteLineAsync($"Revoked API key {id}.");
        return 0;
    }

    /// <summary>Reads "--option value" or "--option=value". Returns null when the option is missing.</summary>
    private static string? FindOption(IReadOnlyList<string> arguments, string option)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == option && i + 1 < arguments.Count)
            {
                return arguments[i + 1];
            }

            if (arguments[i].StartsWith(option + "=", StringComparison.Ordinal))
            {
                return arguments[i][(option.Length + 1)..];
            }
        }

        return null;
    }
}
