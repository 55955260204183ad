using Cloud.Registry.Data;
using Cloud.Registry.ThingDefinitions;
using Microsoft.EntityFrameworkCore;

namespace Cloud.Registry.Signatures;

/// <summary>
/// Finds the definition or thing that pins a signature. The stores call it under the registry
/// write lock before each change, so a signature is pinned at most once across definitions and
/// things and exactly one rule can claim a certificate. Unique indexes back this within each table.
/// </summary>
internal static class SignatureOwners
{
    /// <summary>
    /// Returns a description such as "thing definition 'sensor_v1'" of the holder other than
    /// the given owner, or null when the signature is free.
    /// </summary>
    public static async Task<string?> FindOtherOwnerAsync(
        RegistryDbContext db,
        TlsSignature signature,
        string? ownDefinitionKey,
        string? ownThingKey,
        CancellationToken cancellationToken)
    {
        var canonical = signature.Canonical;
        var definition = await db.AttributeDefinitions
            .Where(a => a.Key == ThingDefinition.SignatureAttributeKey && a.DefaultValue == canonical)
            .Join(db.ThingDefinitions, a => a.ThingDefinitionId, d => d.Id, (a, d) => d.Key)
            .Where(key => key != ownDefinitionKey)
            .FirstOrDefaultAsync(cancellationToken);
        if (definition is not null)
        {
            return $"thing definition '{definition}'";
        }

        var thing = await db.ThingSignatures
            .Where(s => s.Value == canonical)
            .Join(db.Things, s => s.ThingId, t => t.Id, (s, t) => t.Key)
            .Where(key => key != ownThingKey)
            .FirstOrDefaultAsync(cancellationToken);
        return thing is null ? null : $"thing '{thing}'";
    }

    public static string ConflictMessage(string owner) =>
        $"This tlssignature is already registered to {owner}. A certificate signature is pinned once: remove it there first or register another certificate.";
}
