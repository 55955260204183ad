using System.Net;
using System.Net.Http.Headers;
using Cloud.Broker;
using Cloud.Registry.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Starts the whole service in process: API on the test server, broker on a real TLS socket
/// on 127.0.0.1 with a port the OS chooses, registry in a SQLite file in a fresh directory.
/// Clients from <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> send an admin
/// API key; <see cref="CreateAnonymousClient"/> sends none.
/// </summary>
public sealed class CloudFactory : WebApplicationFactory<Program>
{
    private readonly Lazy<string> adminKey;

    public CloudFactory(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));
        Settings = settings ?? new Dictionary<string, string?>();

        // ConfigureClient is synchronous; Task.Run keeps the blocking wait off the test's
        // synchronization context.
        adminKey = new Lazy<string>(() => Task.Run(() => CreateApiKeyAsync(ApiKeyRoles.Admin, "test clients")).GetAwaiter().GetResult());
    }

    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public LogCapture Logs { get; } = new();

    /// <summary>When false, disposing keeps the data directory, so a second factory can reopen it.</summary>
    public bool DeleteDataOnDispose { get; init; } = true;

    public IPEndPoint BrokerEndpoint => Services.GetRequiredService<BrokerService>().Endpoint
        ?? throw new InvalidOperationException("The broker has not started.");

    public string DevelopmentCaPath => Path.Combine(DataDirectory, "tls", "dev-ca.crt");

    /// <summary>Admin key that ordinary clients send, created through the store on first use.</summary>
    public string AdminKey => adminKey.Value;

    /// <summary>Creates an API key through the store and returns the key text.</summary>
    public async Task<string> CreateApiKeyAsync(string role, string name = "tests")
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().CreateAsync(name, role, CancellationToken.None);
        return result.Value?.Key ?? throw new InvalidOperationException(result.Error);
    }

    /// <summary>Creates a client that sends no API key.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>Creates a client that sends <paramref name="apiKey"/> as 'Authorization: Bearer'.</summary>
    public HttpClient CreateClientWithKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);

        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Broker:BindAddress", "127.0.0.1");
        builder.UseSetting("Broker:Port", "0");

        // Tests make many rejected connects from 127.0.0.1; throttle tests turn it back on.
        builder.UseSetting("Broker:Throttle:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && DeleteDataOnDispose)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finishing connection; the OS temp folder is cleaned later.
            }
        }
    }
}
