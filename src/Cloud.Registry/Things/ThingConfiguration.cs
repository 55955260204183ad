using Cloud.Registry.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.Things;

internal sealed class ThingConfiguration : IEntityTypeConfiguration<Thing>
{
    public void Configure(EntityTypeBuilder<Thing> builder)
    {
        builder.ToTable("things");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Key).HasMaxLength(RegistryLimits.KeyMaxLength).IsRequired();
        builder.HasIndex(t => t.Key).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(RegistryLimits.NameMaxLength).IsRequired();
        builder.HasIndex(t => t.ThingDefinitionId);
        builder.HasOne(t => t.Definition)
            .WithMany()
            .HasForeignKey(t => t.ThingDefinitionId)
            .OnDelete(DeleteBehavior.Cascade);

        builder.Property(t => t.Attributes)
            .HasConversion(JsonColumn.DictionaryConverter, JsonColumn.DictionaryComparer)
            .HasColumnName("AttributesJson")
            .IsRequired();

        builder.HasMany(t => t.Signatures)
            .WithOne()
            .HasForeignKey(s => s.ThingId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ThingSignatureConfiguration : IEntityTypeConfiguration<ThingSignature>
{
    public void Configure(EntityTypeBuilder<ThingSignature> builder)
    {
        builder.ToTable("thing_signatures");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Value).HasMaxLength(RegistryLimits.AttributeValueMaxLength).IsRequired();

        // A signature belongs to one thing; the store also keeps it apart from definition defaults.
        builder.HasIndex(s => s.Value).IsUnique();
        builder.HasIndex(s => new { s.ThingId, s.Slot }).IsUnique();
    }
}
