using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Cloud.Broker.Tls;

/// <summary>
/// Certificates each client sent in its TLS handshake, by remote endpoint, kept while the
/// connection is open. The CONNECT hook receives only the leaf certificate, so the intermediates
/// the client sent are taken from here.
/// </summary>
internal sealed class ClientCertificates
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<X509Certificate2>> intermediatesByEndpoint = new(StringComparer.Ordinal);

    public void Add(EndPoint? remote, IReadOnlyList<X509Certificate2> intermediates)
    {
        if (remote is null)
        {
            return;
        }

        intermediatesByEndpoint[remote.ToString()!] = intermediates;
    }

    public void Remove(EndPoint? remote)
    {
        if (remote is not null)
        {
            intermediatesByEndpoint.TryRemove(remote.ToString()!, out _);
        }
    }

    public IReadOnlyList<X509Certificate2> GetIntermediates(EndPoint? remote) =>
        remote is not null && intermediatesByEndpoint.TryGetValue(remote.ToString()!, out var list) ? list : [];
}
