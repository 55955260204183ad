using Cloud.Registry.ApiKeys;
using Cloud.Registry.Authorities;
using Cloud.Registry.Records;
using Cloud.Registry.Revocations;
using Cloud.Registry.ThingDefinitions;
using Cloud.Registry.Things;
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

    public DbSet<Thing> Things => Set<Thing>();

    public DbSet<ThingSignature> ThingSignatures => Set<ThingSignature>();

    public DbSet<TrustedCa> TrustedCas => Set<TrustedCa>();

    public DbSet<Revocation> Revocations => Set<Revocation>();

    public DbSet<AuthEvent> AuthEvents => Set<AuthEvent>();

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
