using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.Revocations;

internal sealed class RevocationConfiguration : IEntityTypeConfiguration<Revocation>
{
    public void Configure(EntityTypeBuilder<Revocation> builder)
    {
        builder.ToTable("revocations");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Signature).HasMaxLength(RegistryLimits.AttributeValueMaxLength).IsRequired();
        builder.HasIndex(r => r.Signature).IsUnique();
        builder.Property(r => r.Reason).HasMaxLength(RegistryLimits.DescriptionMaxLength).IsRequired();
    }
}
