using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.ApiKeys;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(ApiKeyFormat.IdLength);
        builder.Property(k => k.Name).HasMaxLength(RegistryLimits.NameMaxLength).IsRequired();
        builder.Property(k => k.Role).HasMaxLength(16).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeyFormat.PrefixLength).IsRequired();
        builder.Property(k => k.SecretHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Ignore(k => k.IsRevoked);
    }
}
