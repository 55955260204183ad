using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cloud.Registry.Data;

/// <summary>
/// Converters for small collections stored as one JSON text column, read and written with
/// their owner and never queried on their own.
/// </summary>
internal static class JsonColumn
{
    public static readonly ValueConverter<List<string>, string> ListConverter = new(
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
        json => JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Default) ?? new List<string>());

    public static readonly ValueComparer<List<string>> ListComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        value => value.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        value => value.ToList());

    public static readonly ValueConverter<Dictionary<string, string>, string> DictionaryConverter = new(
        value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
        json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? new Dictionary<string, string>());

    public static readonly ValueComparer<Dictionary<string, string>> DictionaryComparer = new(
        (left, right) => left!.Count == right!.Count && !left.Except(right).Any(),
        value => value.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
        value => new Dictionary<string, string>(value, StringComparer.Ordinal));
}
