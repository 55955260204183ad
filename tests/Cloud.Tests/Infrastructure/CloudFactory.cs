using System.Net;
using Cloud.Broker;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// Starts the whole service in process: API on the test server, broker on a real TLS socket
/// on 127.0.0.1 with a port the OS chooses, registry in a SQLite file in a fresh directory.
/// </summary>
public sealed class CloudFactory : WebApplicationFactory<Program>
{
    public CloudFactory(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "cloud-tests", Guid.NewGuid().ToString("N"));
        Settings = settings ?? new Dictionary<string, string?>();
    }

    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public LogCapture Logs { get; } = new();

    /// <summary>When false, disposing keeps the data directory, so a second factory can reopen it.</summary>
    public bool DeleteDataOnDispose { get; init; } = true;

    public IPEndPoint BrokerEndpoint => Services.GetRequiredService<BrokerService>().Endpoint
        ?? throw new InvalidOperationException("The broker has not started.");

    public string DevelopmentCaPath => Path.Combine(DataDirectory, "tls", "dev-ca.crt");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Broker:BindAddress", "127.0.0.1");
        builder.UseSetting("Broker:Port", "0");
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
