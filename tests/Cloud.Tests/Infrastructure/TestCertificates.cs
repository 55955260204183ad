using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Tests.Infrastructure;

public enum KeyKind
{
    Rsa,
    Ec,
}

/// <summary>
/// Creates real X.509 certificates with private keys for tests: self-signed, CA and
/// CA-signed, RSA or EC.
/// </summary>
public static class TestCertificates
{
    public static X509Certificate2 SelfSigned(string commonName, KeyKind kind = KeyKind.Rsa, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = CreateKey(kind);
        var request = CreateRequest($"CN={commonName}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
        return Reload(certificate);
    }

    /// <summary>Creates a CA certificate, self-signed or signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateCa(string commonName, X509Certificate2? issuer = null, KeyKind kind = KeyKind.Ec, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = CreateKey(kind);
        var request = CreateRequest($"CN={commonName}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(365);
        if (issuer is null)
        {
            using var selfSigned = request.CreateSelfSigned(from, until);
            return Reload(selfSigned);
        }

        // CertificateRequest.Create rejects a notAfter later than the issuer's, which the default
        // of now + 365 days is when the issuer was created a second earlier with the same default.
        var issuerNotAfter = new DateTimeOffset(issuer.NotAfter.ToUniversalTime());
        if (notAfter is null && until > issuerNotAfter)
        {
            until = issuerNotAfter;
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var signed = request.Create(issuer, from, until, NewSerial());
        return Reload(AttachKey(signed, key));
    }

    /// <summary>Issues a client certificate signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 Issue(
        X509Certificate2 issuer,
        string commonName,
        KeyKind kind = KeyKind.Rsa,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        IEnumerable<string>? dnsNames = null,
        IEnumerable<Uri>? uris = null)
    {
        using var key = CreateKey(kind);
        var request = CreateRequest($"CN={commonName}", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (dnsNames is not null || uris is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames ?? [])
            {
                names.AddDnsName(dns);
            }

            foreach (var uri in uris ?? [])
            {
                names.AddUri(uri);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var signed = request.Create(issuer, from, until, NewSerial());
        return Reload(AttachKey(signed, key));
    }

    /// <summary>
    /// Creates a self-signed RSA certificate in X.509 version 1, which has no version field and
    /// no extensions. CertificateRequest always writes version 3, so the DER is built here.
    /// </summary>
    public static X509Certificate2 SelfSignedVersion1(string commonName)
    {
        using var key = RSA.Create(2048);
        var name = new X500DistinguishedName($"CN={commonName}");
        var now = DateTimeOffset.UtcNow;

        // AlgorithmIdentifier sha256WithRSAEncryption (PKCS #1 v1.5 with SHA-256), whose parameters are NULL.
        var algorithm = new AsnWriter(AsnEncodingRules.DER);
        using (algorithm.PushSequence())
        {
            algorithm.WriteObjectIdentifier("1.2.840.113549.1.1.11");
            algorithm.WriteNull();
        }

        // RFC 5280, section 4.1: version is DEFAULT v1, so a v1 TBSCertificate omits the [0]
        // version field, and issuerUniqueID, subjectUniqueID and extensions are absent.
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(RandomNumberGenerator.GetInt32(1, int.MaxValue));
            tbs.WriteEncodedValue(algorithm.Encode());
            tbs.WriteEncodedValue(name.RawData);
            using (tbs.PushSequence())
            {
                tbs.WriteUtcTime(now.AddDays(-1));
                tbs.WriteUtcTime(now.AddDays(30));
            }

            tbs.WriteEncodedValue(name.RawData);
            tbs.WriteEncodedValue(key.ExportSubjectPublicKeyInfo());
        }

        var tbsBytes = tbs.Encode();
        var signature = key.SignData(tbsBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsBytes);
            certificate.WriteEncodedValue(algorithm.Encode());
            certificate.WriteBitString(signature);
        }

        using var parsed = X509CertificateLoader.LoadCertificate(certificate.Encode());
        using var withKey = parsed.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    public static string ToPem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    private static AsymmetricAlgorithm CreateKey(KeyKind kind) => kind switch
    {
        KeyKind.Rsa => RSA.Create(2048),
        _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
    };

    private static CertificateRequest CreateRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static X509Certificate2 AttachKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    /// <summary>Round-trips through PKCS#12 so that SslStream can use the private key.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        return serial;
    }
}
