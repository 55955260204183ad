using Cloud.Registry.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.ThingDefinitions;

internal sealed class ThingDefinitionConfiguration : IEntityTypeConfiguration<ThingDefinition>
{
    public void Configure(EntityTypeBuilder<ThingDefinition> builder)
    {
        builder.ToTable("thing_definitions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Key).HasMaxLength(RegistryLimits.KeyMaxLength).IsRequired();
        builder.HasIndex(d => d.Key).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(RegistryLimits.NameMaxLength).IsRequired();
        builder.Property(d => d.Description).HasMaxLength(RegistryLimits.DescriptionMaxLength);
        builder.Ignore(d => d.SignatureCanonical);
        builder.Property(d => d.TrustedCas).HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer).HasColumnName("TrustedCasJson");
        builder.Property(d => d.PublishTopics).HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer).HasColumnName("PublishTopicsJson");
        builder.Property(d => d.SubscribeTopics).HasConversion(JsonColumn.ListConverter, JsonColumn.ListComparer).HasColumnName("SubscribeTopicsJson");
        builder.HasMany(d => d.Attributes)
            .WithOne()
            .HasForeignKey(a => a.ThingDefinitionId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AttributeDefinitionConfiguration : IEntityTypeConfiguration<AttributeDefinition>
{
    public void Configure(EntityTypeBuilder<AttributeDefinition> builder)
    {
        builder.ToTable("attribute_definitions");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Key).HasMaxLength(RegistryLimits.KeyMaxLength).IsRequired();
        builder.Property(a => a.Name).HasMaxLength(RegistryLimits.NameMaxLength).IsRequired();
        builder.Property(a => a.DefaultValue).HasMaxLength(RegistryLimits.AttributeValueMaxLength);
        builder.HasIndex(a => new { a.ThingDefinitionId, a.Key }).IsUnique();

        // A signature belongs to at most one definition, and admission looks it up by value.
        builder.HasIndex(a => a.DefaultValue)
            .IsUnique()
            .HasFilter($"\"Key\" = '{ThingDefinition.SignatureAttributeKey}'")
            .HasDatabaseName("IX_attribute_definitions_signature");
    }
}
