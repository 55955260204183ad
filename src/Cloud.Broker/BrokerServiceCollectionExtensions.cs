using Cloud.Broker.Authorization;
using Cloud.Broker.Acl;
using Cloud.Broker.Records;
using Cloud.Broker.Sessions;
using Cloud.Broker.Throttling;
using Cloud.Broker.Tls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cloud.Broker;

public static class BrokerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MQTT broker as a hosted service. Register it after the registry, so that
    /// the admission index is loaded before the first device connects.
    /// </summary>
    public static IServiceCollection AddBroker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BrokerOptions>()
            .BindConfiguration(BrokerOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o.Throttle, new System.ComponentModel.DataAnnotations.ValidationContext(o.Throttle), null, validateAllProperties: true),
                "A Broker:Throttle setting is out of range; see the ranges in the README's configuration table.")
            .Validate(o => o.Throttle.SlowAfter <= o.Throttle.BlockAfter, "Broker:Throttle:SlowAfter must not exceed Broker:Throttle:BlockAfter.")
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Broker:BindAddress must be an IP address such as 127.0.0.1, 0.0.0.0 or ::.")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.AuthUrl) || (Uri.TryCreate(o.AuthUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
                "Broker:AuthUrl must be empty or an absolute http(s) URL such as https://cloud.example/api/mqtt/auth.")
            .ValidateOnStart();

        services.AddSingleton<ClientCertificates>();
        services.AddSingleton<ConnectHook>();
        services.AddSingleton<LiveSessions>();
        services.AddSingleton<SessionGuard>();
        services.AddSingleton<TopicGuard>();
        services.AddSingleton<ConnectThrottle>();
        services.AddSingleton<BrokerRecords>();
        services.AddSingleton<InProcessConnectAuthorizer>();
        services.AddHttpClient<HttpConnectAuthorizer>(HttpConnectAuthorizer.HttpClientName);
        services.AddSingleton<IConnectAuthorizer>(provider =>
            string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<BrokerOptions>>().Value.AuthUrl)
                ? provider.GetRequiredService<InProcessConnectAuthorizer>()
                : provider.GetRequiredService<HttpConnectAuthorizer>());

        services.AddSingleton(provider => new BrokerService(
            provider.GetRequiredService<IOptions<BrokerOptions>>(),
            provider,
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            provider.GetRequiredService<ConnectHook>(),
            provider.GetRequiredService<ClientCertificates>(),
            provider.GetRequiredService<SessionGuard>(),
            provider.GetRequiredService<TopicGuard>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<BrokerService>());
        return services;
    }
}
