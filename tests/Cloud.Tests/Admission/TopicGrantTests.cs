using Cloud.Admission.Topics;

namespace Cloud.Tests.Admission;

public sealed class TopicGrantTests
{
    private static readonly TopicGrant OwnTopics = new(["things/dev-1/#"], ["things/dev-1/#"]);

    [Theory]
    [InlineData("things/dev-1")]
    [InlineData("things/dev-1/telemetry")]
    [InlineData("things/dev-1/a/b/c")]
    public void PublishToOwnTopicIsAllowed(string topic)
    {
        Assert.True(OwnTopics.AllowsPublish(topic));
    }

    [Theory]
    [InlineData("things/dev-2/telemetry")]
    [InlineData("things/dev-10/telemetry")]
    [InlineData("things")]
    [InlineData("other/dev-1/telemetry")]
    [InlineData("$SYS/broker")]
    public void PublishToOtherTopicIsDenied(string topic)
    {
        Assert.False(OwnTopics.AllowsPublish(topic));
    }

    [Theory]
    [InlineData("things/dev-1/+")]
    [InlineData("things/dev-1/#")]
    [InlineData("things/+/telemetry")]
    [InlineData("#")]
    [InlineData("")]
    [InlineData("things/dev-1/\0")]
    public void PublishToInvalidTopicIsDenied(string topic)
    {
        var everything = new TopicGrant(["#"], ["#"]);

        Assert.False(everything.AllowsPublish(topic));
    }

    [Theory]
    [InlineData("things/dev-1/telemetry")]
    [InlineData("things/dev-1")]
    [InlineData("things/dev-1/+")]
    [InlineData("things/dev-1/#")]
    [InlineData("things/dev-1/+/state")]
    public void SubscribeWithinOwnTopicsIsAllowed(string filter)
    {
        Assert.True(OwnTopics.AllowsSubscribe(filter));
    }

    [Theory]
    [InlineData("things/dev-2/#")]
    [InlineData("things/dev-2/telemetry")]
    [InlineData("things/+/telemetry")]
    [InlineData("things/+/#")]
    [InlineData("things/#")]
    [InlineData("#")]
    [InlineData("+/dev-1/#")]
    [InlineData("+/#")]
    [InlineData("$SYS/#")]
    public void SubscribeBeyondOwnTopicsIsDenied(string filter)
    {
        Assert.False(OwnTopics.AllowsSubscribe(filter));
    }

    [Theory]
    [InlineData("things/dev-1/#/x")]
    [InlineData("things/dev-1/a#")]
    [InlineData("things/dev-1/a+")]
    [InlineData("")]
    public void SubscribeWithInvalidFilterIsDenied(string filter)
    {
        Assert.False(OwnTopics.AllowsSubscribe(filter));
    }

    [Fact]
    public void SharedSubscriptionToOwnTopicsIsAllowed()
    {
        Assert.True(OwnTopics.AllowsSubscribe("$share/group/things/dev-1/#"));
    }

    [Theory]
    [InlineData("$share/group/things/dev-2/#")]
    [InlineData("$share/group/#")]
    [InlineData("$share/group/things/+/telemetry")]
    [InlineData("$share/group")]
    [InlineData("$share/group/")]
    [InlineData("$share/group/things/dev-1/#/x")]
    [InlineData("$share//things/dev-1/#")]
    public void SharedSubscriptionBeyondOwnTopicsIsDenied(string filter)
    {
        Assert.False(OwnTopics.AllowsSubscribe(filter));
    }

    [Fact]
    public void WildcardGrantAllowsNarrowerSubscription()
    {
        var grant = new TopicGrant([], ["things/+/telemetry"]);

        Assert.True(grant.AllowsSubscribe("things/dev-2/telemetry"));
    }

    [Fact]
    public void WildcardGrantDeniesWiderSubscription()
    {
        var grant = new TopicGrant([], ["things/+/telemetry"]);

        Assert.False(grant.AllowsSubscribe("things/#"));
    }

    [Fact]
    public void HashGrantDoesNotCoverDollarTopics()
    {
        var grant = new TopicGrant(["#"], ["#"]);

        Assert.False(grant.AllowsSubscribe("$SYS/#"));
        Assert.False(grant.AllowsPublish("$SYS/broker"));
    }

    [Fact]
    public void PublishGrantDoesNotAllowSubscribe()
    {
        var grant = new TopicGrant(["things/dev-1/#"], []);

        Assert.False(grant.AllowsSubscribe("things/dev-1/#"));
    }

    [Fact]
    public void SubscribeGrantDoesNotAllowPublish()
    {
        var grant = new TopicGrant([], ["things/dev-1/#"]);

        Assert.False(grant.AllowsPublish("things/dev-1/telemetry"));
    }

    [Fact]
    public void NoneAllowsNothing()
    {
        Assert.False(TopicGrant.None.AllowsPublish("things/dev-1/telemetry"));
        Assert.False(TopicGrant.None.AllowsSubscribe("things/dev-1/telemetry"));
    }
}
