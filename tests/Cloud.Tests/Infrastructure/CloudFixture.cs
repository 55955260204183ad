namespace Cloud.Tests.Infrastructure;

/// <summary>
/// One <see cref="CloudFactory"/> shared by the tests of a class through IClassFixture.
/// Tests that share it use distinct definition keys and signatures.
/// </summary>
public sealed class CloudFixture : IDisposable
{
    public CloudFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
