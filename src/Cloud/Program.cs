using Cloud.Admission;
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

var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal));
var builder = WebApplication.CreateBuilder(args.Where(a => a != command).ToArray());

var dataDirectory = CloudPaths.DataDirectory(builder.Configuration, builder.Environment);
builder.Services.AddRegistry(CloudPaths.RegistryConnectionString(builder.Configuration, dataDirectory));
builder.Services.AddAdmission();
builder.Services.AddBroker(builder.Configuration);
builder.Services.PostConfigure<BrokerOptions>(options =>
    options.Tls.DevelopmentDirectory ??= Path.Combine(dataDirectory, "tls"));

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemCustomization.Describe);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.AllowDuplicateProperties = false);
builder.Services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
builder.Services.AddCloudOpenApi();
builder.Services.AddHealthChecks();

var app = builder.Build();

if (command is not null)
{
    return await CloudCommands.RunAsync(command, app);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCloudOpenApi();

app.MapHealthChecks("/health");
app.MapThingDefinitions();
app.MapThings();
app.MapTrustedCas();
app.MapRevocations();
app.MapCertificates();
app.MapMqttAuth();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so that tests can start the service with WebApplicationFactory.</summary>
public partial class Program;
