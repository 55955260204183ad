using Cloud.Registry;
using Cloud.Registry.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Cloud.Migrations;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --project migrations</c> build the model without
/// starting the service. The connection string is never opened for that command.
/// </summary>
internal sealed class DesignTimeRegistryDbContextFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<RegistryDbContext>();
        builder.UseRegistrySqlite("Data Source=design-time.db");
        return new RegistryDbContext(builder.Options);
    }
}
