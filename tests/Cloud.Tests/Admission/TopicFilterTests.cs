using Cloud.Admission.Topics;

namespace Cloud.Tests.Admission;

public sealed class TopicFilterTests
{
    [Theory]
    [InlineData("things/dev-1/telemetry")]
    [InlineData("things/+/telemetry")]
    [InlineData("things/#")]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("+/+/#")]
    [InlineData("/")]
    [InlineData("$SYS/#")]
    [InlineData("things//telemetry")]
    public void ValidFilterHasNoError(string filter)
    {
        Assert.Null(TopicFilters.Validate(filter));
    }

    [Theory]
    [InlineData("things/#/telemetry", "'#'")]
    [InlineData("things/a#", "'#'")]
    [InlineData("things/#a", "'#'")]
    [InlineData("##", "'#'")]
    [InlineData("things/a+/telemetry", "'+'")]
    [InlineData("things/+a", "'+'")]
    [InlineData("++", "'+'")]
    [InlineData("", "NUL")]
    [InlineData("things/\0/telemetry", "NUL")]
    public void InvalidFilterNamesItsProblem(string filter, string expected)
    {
        var error = TopicFilters.Validate(filter);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("things/dev-1/telemetry", "things/dev-1/telemetry")]
    [InlineData("things/dev-1/#", "things/dev-1/telemetry")]
    [InlineData("things/dev-1/#", "things/dev-1")]
    [InlineData("things/dev-1/#", "things/dev-1/a/b/c")]
    [InlineData("things/dev-1/#", "things/dev-1/#")]
    [InlineData("things/dev-1/#", "things/dev-1/+")]
    [InlineData("things/dev-1/#", "things/dev-1/+/#")]
    [InlineData("things/+/telemetry", "things/dev-1/telemetry")]
    [InlineData("things/+/telemetry", "things/+/telemetry")]
    [InlineData("#", "things/dev-1/telemetry")]
    [InlineData("#", "#")]
    [InlineData("+/+", "things/+")]
    [InlineData("$SYS/#", "$SYS/broker/uptime")]
    public void GrantCoversRequest(string granted, string requested)
    {
        Assert.True(TopicFilters.Covers(granted, requested));
    }

    [Theory]
    [InlineData("things/dev-1/telemetry", "things/dev-2/telemetry")]
    [InlineData("things/dev-1/telemetry", "things/dev-1/telemetry/x")]
    [InlineData("things/dev-1/telemetry", "things/dev-1")]
    [InlineData("things/dev-1/telemetry", "things/+/telemetry")]
    [InlineData("things/dev-1/telemetry", "things/dev-1/#")]
    [InlineData("things/dev-1/#", "things/dev-2/telemetry")]
    [InlineData("things/dev-1/#", "things/+/telemetry")]
    [InlineData("things/dev-1/#", "things/#")]
    [InlineData("things/dev-1/#", "#")]
    [InlineData("things/dev-1/#", "+/dev-1/#")]
    [InlineData("things/dev-1/+", "things/dev-1/#")]
    [InlineData("things/dev-1/+", "things/dev-1/a/b")]
    [InlineData("things/+", "things/+/#")]
    [InlineData("things/+/telemetry", "things/#")]
    [InlineData("things/+/telemetry", "things/dev-1/+")]
    [InlineData("things/dev-1", "things/dev-1/")]
    [InlineData("things/dev-1", "Things/dev-1")]
    public void GrantDoesNotCoverOtherRequest(string granted, string requested)
    {
        Assert.False(TopicFilters.Covers(granted, requested));
    }

    [Theory]
    [InlineData("#", "$SYS/broker/uptime")]
    [InlineData("+/broker/uptime", "$SYS/broker/uptime")]
    [InlineData("+/#", "$SYS/broker/uptime")]
    [InlineData("#", "$SYS/#")]
    [InlineData("+/#", "$share/group/things/dev-1")]
    public void WildcardGrantSkipsDollarTopics(string granted, string requested)
    {
        Assert.False(TopicFilters.Covers(granted, requested));
    }

    [Theory]
    [InlineData("$share/group/things/dev-1/#", "things/dev-1/#")]
    [InlineData("$share/group/#", "#")]
    [InlineData("$share/group/things/+/telemetry", "things/+/telemetry")]
    [InlineData("things/dev-1/#", "things/dev-1/#")]
    [InlineData("$SYS/#", "$SYS/#")]
    [InlineData("$share/group", "")]
    public void SharePrefixIsRemoved(string filter, string expected)
    {
        Assert.Equal(expected, TopicFilters.WithoutSharePrefix(filter));
    }
}
