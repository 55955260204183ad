namespace Cloud.Hosting;

/// <summary>
/// Locations of the service's data: the SQLite registry and the development TLS files.
/// </summary>
internal static class CloudPaths
{
    /// <summary>
    /// Data directory from "DataDirectory", relative to the content root; "data" by default.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["DataDirectory"];
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>
    /// Registry connection string from "ConnectionStrings:Registry", by default a SQLite file
    /// in the data directory.
    /// </summary>
    public static string RegistryConnectionString(IConfiguration configuration, string dataDirectory)
    {
        var configured = configuration.GetConnectionString("Registry");
        return string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(dataDirectory, "registry.db")};Pooling=True"
            : configured;
    }
}
