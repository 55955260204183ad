using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.Authorities;

internal sealed class TrustedCaConfiguration : IEntityTypeConfiguration<TrustedCa>
{
    public void Configure(EntityTypeBuilder<TrustedCa> builder)
    {
        builder.ToTable("trusted_cas");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Key).HasMaxLength(RegistryLimits.KeyMaxLength).IsRequired();
        builder.HasIndex(c => c.Key).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(RegistryLimits.NameMaxLength).IsRequired();
        builder.Property(c => c.Fingerprint).HasMaxLength(95).IsRequired();
        builder.HasIndex(c => c.Fingerprint).IsUnique();
        builder.Property(c => c.Subject).HasMaxLength(1024).IsRequired();
        builder.Property(c => c.Certificate).IsRequired();
    }
}
