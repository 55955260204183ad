namespace Cloud.Admission.Topics;

/// <summary>
/// MQTT topic filter syntax and coverage (MQTT 5.0, section 4.7): '/' separates levels, '+'
/// matches one level, '#' matches any remaining levels and must be last.
/// </summary>
public static class TopicFilters
{
    private const string SharedPrefix = "$share/";

    /// <summary>Returns why a topic filter is invalid, or null when it is valid.</summary>
    public static string? Validate(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length == 0 || filter.Contains('\0', StringComparison.Ordinal))
        {
            return "A topic filter must not be empty or contain NUL [MQTT-4.7.3-1, MQTT-4.7.3-2].";
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                return $"Topic filter '{filter}' uses '#' other than as its whole last level [MQTT-4.7.1-1].";
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                return $"Topic filter '{filter}' uses '+' other than as a whole level [MQTT-4.7.1-2].";
            }
        }

        return null;
    }

    /// <summary>
    /// Returns whether every topic that <paramref name="requested"/> can match is also matched
    /// by <paramref name="granted"/>. A topic name (no wildcards) is a filter matching itself.
    /// </summary>
    public static bool Covers(string granted, string requested)
    {
        ArgumentNullException.ThrowIfNull(granted);
        ArgumentNullException.ThrowIfNull(requested);

        var grantedLevels = granted.Split('/');
        var requestedLevels = requested.Split('/');

        // Wildcards in the first level do not match topics that start with '$' [MQTT-4.7.2-1].
        if (requested.StartsWith('$') && grantedLevels[0] is "+" or "#")
        {
            return false;
        }

        for (var i = 0; i < grantedLevels.Length; i++)
        {
            var grant = grantedLevels[i];
            if (grant == "#")
            {
                return true;
            }

            if (i >= requestedLevels.Length)
            {
                return false;
            }

            var request = requestedLevels[i];
            if (request == "#")
            {
                return false;
            }

            if (grant == "+")
            {
                continue;
            }

            if (request == "+" || !string.Equals(grant, request, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return grantedLevels.Length == requestedLevels.Length;
    }

    /// <summary>
    /// Returns the filter a shared subscription ($share/GROUP/FILTER) applies to, or the
    /// filter itself.
    /// </summary>
    public static string WithoutSharePrefix(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!filter.StartsWith(SharedPrefix, StringComparison.Ordinal))
        {
            return filter;
        }

        // An empty group name ($share//filter) is invalid, so it yields an empty, invalid filter.
        var groupEnd = filter.IndexOf('/', SharedPrefix.Length);
        return groupEnd <= SharedPrefix.Length ? string.Empty : filter[(groupEnd + 1)..];
    }
}
