using System.Text.Json.Serialization;
using Cloud.Registry.Things;

namespace Cloud.Things;

/// <summary>
/// Body of POST and PUT /api/things. On PUT the key comes from the path and may be omitted here.
/// </summary>
/// <param name="Key">The MQTT client id of the device: 1 to 64 letters, digits, '_', '-' or '.'.</param>
/// <param name="Definition">Key of the thing definition the device belongs to.</param>
/// <param name="Enabled">Disabled things are not admitted; default true.</param>
/// <param name="Attributes">
/// String values that override the definition's attribute defaults, by attribute key. The
/// signature is not an attribute here: send it in "tlssignature".
/// </param>
/// <param name="TlsSignatures">
/// Zero to two certificate signatures, primary first, in any form 'openssl x509 -text' prints.
/// They are stored as lowercase hex bytes joined by ':'.
/// </param>
public sealed record ThingRequest(
    string? Key,
    string? Name,
    string? Definition,
    bool? Enabled = null,
    Dictionary<string, string?>? Attributes = null,
    [property: JsonPropertyName("tlssignature")] List<string?>? TlsSignatures = null);

/// <summary>
/// A stored thing.
/// </summary>
/// <param name="TlsSignatures">Pinned signatures in canonical form, primary first.</param>
/// <param name="AutoRegistered">Whether the thing was created by the device's first admitted connect.</param>
public sealed record ThingResponse(
    string Key,
    string Name,
    string Definition,
    bool Enabled,
    IReadOnlyDictionary<string, string> Attributes,
    [property: JsonPropertyName("tlssignature")] IReadOnlyList<string> TlsSignatures,
    bool AutoRegistered,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ThingResponse From(Thing thing) => new(
        thing.Key,
        thing.Name,
        thing.Definition?.Key ?? string.Empty,
        thing.Enabled,
        new SortedDictionary<string, string>(thing.Attributes, StringComparer.Ordinal),
        [.. thing.Signatures.OrderBy(s => s.Slot).Select(s => s.Value)],
        thing.AutoRegistered,
        thing.CreatedAt,
        thing.UpdatedAt);
}

internal static class ThingMapping
{
    public static ThingDraft ToDraft(this ThingRequest request, string key) => new(
        key,
        request.Name!.Trim(),
        request.Definition!,
        request.Enabled ?? true,
        (request.Attributes ?? []).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
        [.. (request.TlsSignatures ?? []).Select(s => s ?? string.Empty)]);
}
