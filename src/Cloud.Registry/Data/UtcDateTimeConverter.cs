using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cloud.Registry.Data;

/// <summary>
/// Marks DateTime values read from the database as UTC.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
