using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Cloud.Registry.ThingDefinitions;

namespace Cloud.Admission;

/// <summary>
/// Reads the names of a certificate that the trusted-issuer rule compares with the client id.
/// </summary>
internal static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>Returns whether a name the rule selects equals the client id (ordinal comparison).</summary>
    public static bool Matches(X509Certificate2 certificate, NameRule rule, string clientId) =>
        Select(certificate, rule).Any(name => string.Equals(name, clientId, StringComparison.Ordinal));

    public static IEnumerable<string> Select(X509Certificate2 certificate, NameRule rule)
    {
        if (rule is NameRule.CommonName or NameRule.Any)
        {
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.IsNullOrEmpty(commonName))
            {
                yield return commonName;
            }
        }

        if (rule is NameRule.SanDns or NameRule.Any)
        {
            foreach (var dns in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()))
            {
                yield return dns;
            }
        }

        if (rule is NameRule.SanUri or NameRule.Any)
        {
            foreach (var uri in ReadSanUris(certificate))
            {
                yield return uri;
            }
        }
    }

    public static string Describe(NameRule rule) => rule switch
    {
        NameRule.SanDns => "a SAN DNS name",
        NameRule.SanUri => "a SAN URI",
        NameRule.Any => "the CN or a SAN DNS name or URI",
        _ => "the subject CN",
    };

    /// <summary>
    /// Reads uniformResourceIdentifier entries ([6] IA5String) of the subjectAltName
    /// GeneralNames (RFC 5280, section 4.2.1.6).
    /// </summary>
    private static List<string> ReadSanUris(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return uris;
        }

        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension yields no URI, so the rule does not match.
            uris.Clear();
        }

        return uris;
    }
}
