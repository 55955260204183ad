using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Admission;

public static class AdmissionServiceCollectionExtensions
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddSingleton<AdmissionService>();
        return services;
    }
}
