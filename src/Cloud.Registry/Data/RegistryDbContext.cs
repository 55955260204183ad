using Cloud.Registry.ApiKeys;
using Cloud.Registry.ThingDefinitions;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Data;

/// <summary>
/// EF Core context of the registry. The schema comes only from the migrations in the
/// Cloud.Migrations assembly:
/// <c>dotnet ef migrations add NAME --project migrations</c>.
/// </summary>
public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    public const string MigrationsAssembly = "Cloud.Migrations";

    public DbSet<ThingDefinition> ThingDefinitions => Set<ThingDefinition>();

    public DbSet<AttributeDefinition> AttributeDefinitions => Set<AttributeDefinition>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores DateTime as text without a zone; every timestamp here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
