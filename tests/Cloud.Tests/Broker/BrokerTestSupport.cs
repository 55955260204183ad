using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Cloud.Registry.Signatures;
using Cloud.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Cloud.Tests.Broker;

/// <summary>
/// Event ids of the broker's log messages, as BrokerLog in Cloud.Broker defines them.
/// </summary>
internal static class BrokerEvents
{
    public const int Started = 2000;
    public const int ListenFailed = 2002;
    public const int ConnectAllowed = 2010;
    public const int ConnectDenied = 2011;
    public const int NoClientCertificate = 2012;
    public const int ValidationEndpointFailed = 2013;
}

internal static partial class BrokerTestSupport
{
    /// <summary>Registers a thing definition whose tlssignature is the signature of <paramref name="certificate"/>.</summary>
    public static async Task RegisterAsync(HttpClient http, string key, X509Certificate2 certificate)
    {
        var signature = TlsSignature.FromCertificate(certificate).Canonical;
        var response = await http.PostAsJsonAsync("/api/thing-defs", new
        {
            key,
            name = $"Definition {key}",
            attributes = new { tlssignature = new { name = "TLS signature", @default = signature } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>SHA-256 of the DER certificate as lowercase hex bytes joined by ':', computed without the code under test.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        var hex = certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
        return string.Join(':', hex.Chunk(2).Select(pair => new string(pair)));
    }

    /// <summary>Returns the allow or deny log entry the broker wrote for <paramref name="clientId"/>.</summary>
    public static Task<LogEntry> DecisionAsync(CloudFactory factory, string clientId) =>
        factory.Logs.WaitForAsync(
            e => e.EventId is BrokerEvents.ConnectAllowed or BrokerEvents.ConnectDenied &&
                 e.Message.Contains($"client {clientId} from ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));

    /// <summary>Reads the rule name out of a decision log message.</summary>
    public static string RuleOf(LogEntry decision)
    {
        var match = RulePattern().Match(decision.Message);
        Assert.True(match.Success, $"The decision log line names no rule: {decision.Message}");
        return match.Groups["rule"].Value;
    }

    /// <summary>Fails when the factory logged an Error or Critical entry whose event id is not in <paramref name="expectedEventIds"/>.</summary>
    public static void AssertNoUnexpectedErrors(CloudFactory factory, params int[] expectedEventIds)
    {
        var unexpected = factory.Logs.AtLeast(LogLevel.Error)
            .Where(e => !expectedEventIds.Contains(e.EventId))
            .Select(e => $"{e.Level} {e.Category} [{e.EventId}]: {e.Message} {e.Exception}")
            .ToList();

        Assert.Empty(unexpected);
    }

    /// <summary>
    /// Reads from <paramref name="stream"/> until the server closes the connection and returns the
    /// time that took, or null when the connection is still open after <paramref name="limit"/>.
    /// A reset counts as closed, and so does a TLS close_notify.
    /// </summary>
    public static async Task<TimeSpan?> MeasureUntilClosedAsync(Stream stream, Stopwatch stopwatch, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit - stopwatch.Elapsed);
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // The server sent data (for example a TLS alert record); keep reading until it closes.
            }
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return stopwatch.Elapsed;
    }

    /// <summary>TLS settings of a raw client that trusts the broker's development CA and sends <paramref name="certificate"/>.</summary>
    public static SslClientAuthenticationOptions TlsClientOptions(CloudFactory factory, X509Certificate2 certificate)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(factory.DevelopmentCaPath));

        return new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [certificate],
            CertificateChainPolicy = policy,
        };
    }

    [GeneratedRegex(@", rule (?<rule>[^,:]+)[,:]")]
    private static partial Regex RulePattern();
}
