using System.Net;

namespace Cloud.Tests.Infrastructure;

/// <summary>
/// A <see cref="CloudFactory"/> whose API runs on Kestrel on 127.0.0.1 with a port the OS
/// chooses. The in-memory TestServer does not enforce request body size limits, so tests of
/// 413 responses need a real server.
/// </summary>
public sealed class KestrelCloudFixture : IDisposable
{
    public KestrelCloudFixture()
    {
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
    }

    public CloudFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
