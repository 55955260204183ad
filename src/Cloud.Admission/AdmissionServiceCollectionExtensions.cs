using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Admission;

public static class AdmissionServiceCollectionExtensions
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddOptions<AdmissionOptions>()
            .BindConfiguration(AdmissionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AdmissionService>();
        return services;
    }
}
