using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cloud.Registry.Records;

internal sealed class AuthEventConfiguration : IEntityTypeConfiguration<AuthEvent>
{
    public void Configure(EntityTypeBuilder<AuthEvent> builder)
    {
        builder.ToTable("auth_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasMaxLength(16).IsRequired();
        builder.Property(e => e.ClientId).HasMaxLength(1024).IsRequired();
        builder.Property(e => e.Thing).HasMaxLength(RegistryLimits.KeyMaxLength);
        builder.Property(e => e.RemoteAddress).HasMaxLength(64);
        builder.Property(e => e.Fingerprint).HasMaxLength(95);
        builder.Property(e => e.Subject).HasMaxLength(1024);
        builder.Property(e => e.Issuer).HasMaxLength(1024);
        builder.Property(e => e.Result).HasMaxLength(8).IsRequired();
        builder.Property(e => e.Rule).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(2048);
        builder.Property(e => e.Topic).HasMaxLength(1024);
        builder.HasIndex(e => e.Time);
        builder.HasIndex(e => new { e.ClientId, e.Id });
        builder.HasIndex(e => new { e.Thing, e.Id });
    }
}
