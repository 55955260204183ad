using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Cloud.Broker.Tls;

/// <summary>
/// Loads the broker's server certificate from the configured files, or from the development
/// CA folder, creating it there on the first start.
/// </summary>
internal static class ServerCertificateLoader
{
    public static X509Certificate2Collection Load(BrokerTlsOptions options, TimeProvider clock, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.PfxPath))
        {
            RequireFile(options.PfxPath, "Broker:Tls:PfxPath");
            var collection = X509CertificateLoader.LoadPkcs12CollectionFromFile(options.PfxPath, options.PfxPassword);
            BrokerLog.ServerCertificateLoaded(logger, options.PfxPath);
            return OrderLeafFirst(collection, options.PfxPath);
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath) || !string.IsNullOrWhiteSpace(options.KeyPath))
        {
            if (string.IsNullOrWhiteSpace(options.CertificatePath) || string.IsNullOrWhiteSpace(options.KeyPath))
            {
                throw new InvalidOperationException("Set both Broker:Tls:CertificatePath and Broker:Tls:KeyPath, or neither.");
            }

            RequireFile(options.CertificatePath, "Broker:Tls:CertificatePath");
            RequireFile(options.KeyPath, "Broker:Tls:KeyPath");
            var collection = LoadPem(options.CertificatePath, options.KeyPath);
            BrokerLog.ServerCertificateLoaded(logger, options.CertificatePath);
            return collection;
        }

        var directory = options.DevelopmentDirectory
            ?? throw new InvalidOperationException("No broker certificate is configured and no development certificate folder is set.");
        var paths = DevelopmentCertificates.Ensure(directory, clock, logger);
        return LoadPem(paths.ServerCertificate, paths.ServerKey);
    }

    /// <summary>
    /// Loads a PEM certificate file (leaf first, then any intermediates) with its key.
    /// </summary>
    private static X509Certificate2Collection LoadPem(string certificatePath, string keyPath)
    {
        using var leafWithKey = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // Re-import through PKCS#12 so that the private key is usable by SslStream on every platform.
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);

        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);

        var result = new X509Certificate2Collection { leaf };
        foreach (var certificate in all.Skip(1))
        {
            result.Add(certificate);
        }

        return result;
    }

    private static X509Certificate2Collection OrderLeafFirst(X509Certificate2Collection collection, string path)
    {
        var leaf = collection.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new InvalidOperationException($"The PKCS#12 file '{path}' contains no certificate with a private key.");

        var result = new X509Certificate2Collection { leaf };
        foreach (var certificate in collection.Where(c => !ReferenceEquals(c, leaf)))
        {
            result.Add(certificate);
        }

        return result;
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file '{path}' named by {setting} does not exist.", path);
        }
    }
}
