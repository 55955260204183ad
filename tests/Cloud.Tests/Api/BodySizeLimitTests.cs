using System.Net;
using System.Text;
using Cloud.Tests.Infrastructure;

namespace Cloud.Tests.Api;

/// <summary>
/// Request body limits, which only a real server enforces.
/// </summary>
public sealed class BodySizeLimitTests(KestrelCloudFixture fixture) : IClassFixture<KestrelCloudFixture>
{
    private readonly HttpClient client = fixture.Factory.CreateClient();

    [Fact]
    public async Task ThingDefinitionOver1MiBIsRejected()
    {
        using var response = await PostOversizedDefinitionAsync("too_large");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(413, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
    }

    [Fact]
    public async Task OversizedThingDefinitionStoresNothing()
    {
        using var rejected = await PostOversizedDefinitionAsync("too_large_get");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, rejected.StatusCode);

        using var response = await client.GetAsync("/api/thing-defs/too_large_get");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CertificateOver64KiBIsRejected()
    {
        using var body = new ByteArrayContent(new byte[(64 * 1024) + 1]);
        body.Headers.ContentType = new("application/pkix-cert");

        using var response = await client.PostAsync("/api/certificates/inspect", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(413, problem.Status);
        Assert.Equal("The request body is too large.", problem.Title);
    }

    [Fact]
    public async Task CertificateJsonOver64KiBIsRejected()
    {
        var json = $$"""{"certificate":"{{new string('A', 64 * 1024)}}"}""";
        using var body = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/certificates/inspect", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await ProblemResponse.ReadAsync(response);
        Assert.Equal(413, problem.Status);
        Assert.Equal("The request body is too large.", problem.Title);
    }

    private async Task<HttpResponseMessage> PostOversizedDefinitionAsync(string key)
    {
        var description = new string('d', 1024 * 1024);
        var json = $$"""{"key":"{{key}}","name":"Sensor","description":"{{description}}"}""";
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.PostAsync("/api/thing-defs", body);
    }
}
