using System.Collections.Immutable;

namespace Cloud.Admission.Topics;

/// <summary>
/// The topic filters an admitted device may publish and subscribe to, with variables expanded.
/// </summary>
public sealed record TopicGrant(ImmutableArray<string> Publish, ImmutableArray<string> Subscribe)
{
    public static TopicGrant None { get; } = new([], []);

    /// <summary>Returns whether a PUBLISH to this topic name is allowed.</summary>
    public bool AllowsPublish(string topic) =>
        TopicFilters.Validate(topic) is null &&
        !topic.Contains('+', StringComparison.Ordinal) &&
        !topic.Contains('#', StringComparison.Ordinal) &&
        Publish.Any(filter => TopicFilters.Covers(filter, topic));

    /// <summary>Returns whether a message on this topic name may be delivered to the device.</summary>
    public bool AllowsDelivery(string topic) => Subscribe.Any(filter => TopicFilters.Covers(filter, topic));

    /// <summary>
    /// Returns whether a SUBSCRIBE with this filter is allowed: every topic it can match must be
    /// allowed. Shared subscriptions are judged by the filter after $share/GROUP/.
    /// </summary>
    public bool AllowsSubscribe(string filter)
    {
        var inner = TopicFilters.WithoutSharePrefix(filter);
        return TopicFilters.Validate(inner) is null && Subscribe.Any(granted => TopicFilters.Covers(granted, inner));
    }
}
