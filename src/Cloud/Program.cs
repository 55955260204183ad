using Cloud.Admission;
using Cloud.ApiKeys;
using Cloud.Authentication;
using Cloud.AuthEvents;
using Cloud.Authorities;
using Cloud.Broker;
using Cloud.Certificates;
using Cloud.Hosting;
using Cloud.Http;
using Cloud.MqttAuth;
using Cloud.OpenApi;
using Cloud.Registry;
using Cloud.Revocations;
using Cloud.ThingDefinitions;
using Cloud.Things;
using FluentValidation;
using Microsoft.Extensions.Options;

var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal));
var commandArguments = args.SkipWhile(a => a != command).Skip(1).ToArray();
var builder = WebApplication.CreateBuilder(args.Where(a => a != command).ToArray());
if (command is not null)
{
    // Commands print results such as a new API key on standard output, so logs go to standard error.
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}

var dataDirectory = CloudPaths.DataDirectory(builder.Configuration, builder.Environment);
builder.Services.AddRegistry(CloudPaths.RegistryConnectionString(builder.Configuration, dataDirectory));
builder.Services.AddAdminKeyBootstrap(dataDirectory);
builder.Services.AddApiKeyAuthentication();
builder.Services.AddAdmission();
builder.Services.AddBroker(builder.Configuration);
builder.Services.PostConfigure<BrokerOptions>(options =>
    options.Tls.DevelopmentDirectory ??= Path.Combine(dataDirectory, "tls"));

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemCustomization.Describe);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options =>
{
    // A misspelt field would otherwise be ignored and silently change how devices are admitted.
    options.SerializerOptions.AllowDuplicateProperties = false;
    options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
});
builder.Services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
builder.Services.AddCloudOpenApi();
builder.Services.AddHealthChecks();

var app = builder.Build();

if (command is not null)
{
    return await CloudCommands.RunAsync(command, commandArguments, app.Services, Console.Out, Console.Error);
}

app.UseExceptionHandler();
app.UseStatusCodePages();

// Swagger UI and the OpenAPI document contain no data, so they come before authentication.
app.UseCloudOpenApi();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapThingDefinitions().RequireReaderForGet();
app.MapThings().RequireReaderForGet();
app.MapTrustedCas().RequireReaderForGet();
app.MapRevocations().RequireReaderForGet();
app.MapAuthEvents().RequireReaderForGet();
app.MapCertificates().RequireReaderForGet();
app.MapMqttAuth().RequireAuthorization(ApiKeyPolicies.MqttAuth).ProducesAuthenticationProblems();
app.MapApiKeys();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().AllowAnonymous();

// When the service runs as its own process, as opposed to inside a test host.
var ownsProcess = System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly;
try
{
    await app.RunAsync();
}
catch (Exception exception) when (exception is OptionsValidationException or BrokerStartException && ownsProcess)
{
    // The process reports the cause in one log line and exit code 1, because a stack trace
    // would bury it. A test host lets the exception reach the test.
    StartupLog.StartFailed(app.Logger, exception.Message);
    return 1;
}

return 0;

/// <summary>Entry point; public so that tests can start the service with WebApplicationFactory.</summary>
public partial class Program;
