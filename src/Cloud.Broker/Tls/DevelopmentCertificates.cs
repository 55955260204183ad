using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Cloud.Broker.Tls;

/// <summary>
/// Development CA and server certificate for a broker started without configured TLS files.
/// The CA is created once and reused, so that clients keep working with the same --cafile.
/// The server certificate is issued again when it is missing or expires within a day.
/// </summary>
public static class DevelopmentCertificates
{
    public const string CaCertificateFile = "dev-ca.crt";
    public const string CaKeyFile = "dev-ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";

    public sealed record Paths(string CaCertificate, string ServerCertificate, string ServerKey);

    public static Paths Ensure(string directory, TimeProvider clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Directory.CreateDirectory(directory);

        var caCertificatePath = Path.Combine(directory, CaCertificateFile);
        var caKeyPath = Path.Combine(directory, CaKeyFile);
        var serverCertificatePath = Path.Combine(directory, ServerCertificateFile);
        var serverKeyPath = Path.Combine(directory, ServerKeyFile);
        var now = clock.GetUtcNow();

        if (!File.Exists(caCertificatePath) || !File.Exists(caKeyPath))
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var ca = CreateCa(caKey, now);
            WritePem(caCertificatePath, ca.ExportCertificatePem(), secret: false);
            WritePem(caKeyPath, caKey.ExportPkcs8PrivateKeyPem(), secret: true);
            File.Delete(serverCertificatePath);
            BrokerLog.DevelopmentCaCreated(logger, Path.GetFullPath(caCertificatePath));
        }
        else
        {
            BrokerLog.DevelopmentCaReused(logger, Path.GetFullPath(caCertificatePath));
        }

        if (NeedsServerCertificate(serverCertificatePath, serverKeyPath, now))
        {
            using var issuer = X509Certificate2.CreateFromPemFile(caCertificatePath, caKeyPath);
            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var server = CreateServerCertificate(issuer, serverKey, now);
            WritePem(serverCertificatePath, server.ExportCertificatePem(), secret: false);
            WritePem(serverKeyPath, serverKey.ExportPkcs8PrivateKeyPem(), secret: true);
            BrokerLog.DevelopmentServerCertificateCreated(logger, Path.GetFullPath(serverCertificatePath));
        }

        return new Paths(caCertificatePath, serverCertificatePath, serverKeyPath);
    }

    private static X509Certificate2 CreateCa(ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=Cloud development CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 issuer, ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));

        var notAfter = now.AddYears(1) < issuer.NotAfter ? now.AddYears(1) : new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(issuer, now.AddMinutes(-5), notAfter, serial);
    }

    private static bool NeedsServerCertificate(string certificatePath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return true;
        }

        using var existing = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return existing.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(1);
    }

    /// <summary>
    /// Writes a PEM file through a temporary file, readable only by its owner when it contains a key.
    /// </summary>
    private static void WritePem(string path, string pem, bool secret)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        File.Move(temporary, path, overwrite: true);
    }
}
