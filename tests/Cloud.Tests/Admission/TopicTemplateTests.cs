using Cloud.Admission.Topics;

namespace Cloud.Tests.Admission;

public sealed class TopicTemplateTests
{
    private static readonly Dictionary<string, string?> NoAttributes = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("things/${thing.key}/#")]
    [InlineData("defs/${thing_def.key}/${thing.key}/+")]
    [InlineData("sites/${thing.attributes.site}/#")]
    [InlineData("sites/${thing.attributes.floor_2.b-c}/#")]
    [InlineData("things/dev-${thing.key}/telemetry")]
    [InlineData("broadcast/#")]
    [InlineData("#")]
    public void ValidTemplateHasNoError(string template)
    {
        Assert.Null(TopicTemplates.Validate(template));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("things/${thing.name}/#", "Variable '${thing.name}' is unknown")]
    [InlineData("things/${thing_def.name}/#", "Variable '${thing_def.name}' is unknown")]
    [InlineData("things/${}/#", "Variable '${}' is unknown")]
    [InlineData("sites/${thing.attributes.}/#", "Variable '${thing.attributes.}' is unknown")]
    [InlineData("sites/${thing.attributes.a/b}/#", "Variable '${thing.attributes.a/b}' is unknown")]
    [InlineData("sites/${thing.attributes.a#}/#", "Variable '${thing.attributes.a#}' is unknown")]
    [InlineData("things/${thing.key/#", "unclosed '${'")]
    [InlineData("things/${thing.key}${/#", "unclosed '${'")]
    [InlineData("things/#/${thing.key}", "'#'")]
    [InlineData("things/${thing.key}#", "'#'")]
    [InlineData("things/${thing.key}+/x", "'+'")]
    [InlineData("things/\0/${thing.key}", "NUL")]
    public void InvalidTemplateIsRejectedWithMessage(string? template, string expected)
    {
        var error = TopicTemplates.Validate(template);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongTemplateIsRejected()
    {
        var template = "things/" + new string('a', TopicTemplates.MaxLength);

        var error = TopicTemplates.Validate(template);

        Assert.NotNull(error);
        Assert.Contains($"the maximum is {TopicTemplates.MaxLength}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandSubstitutesEveryVariable()
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["site"] = "north" };

        var filter = TopicTemplates.Expand("${thing_def.key}/${thing.attributes.site}/${thing.key}/#", "dev-1", "sensor_v1", attributes);

        Assert.Equal("sensor_v1/north/dev-1/#", filter);
    }

    [Fact]
    public void ExpandKeepsTemplateWithoutVariables()
    {
        Assert.Equal("broadcast/+", TopicTemplates.Expand("broadcast/+", "dev-1", "sensor_v1", NoAttributes));
    }

    [Fact]
    public void ExpandSubstitutesInsideLevel()
    {
        Assert.Equal("things/id-dev-1-x/#", TopicTemplates.Expand("things/id-${thing.key}-x/#", "dev-1", "sensor_v1", NoAttributes));
    }

    [Fact]
    public void AttributeValueCannotReachDollarTopics()
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["root"] = "$SYS" };

        Assert.Null(TopicTemplates.Expand("${thing.attributes.root}/#", "dev-1", "sensor_v1", attributes));
    }

    [Fact]
    public void DollarTemplateKeepsDollarTopic()
    {
        Assert.Equal("$things/dev-1/#", TopicTemplates.Expand("$things/${thing.key}/#", "dev-1", "sensor_v1", NoAttributes));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("north#")]
    [InlineData("north+")]
    [InlineData("north/#")]
    [InlineData("")]
    [InlineData("no\0rth")]
    public void UnsafeAttributeValueDropsFilter(string value)
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["site"] = value };

        Assert.Null(TopicTemplates.Expand("sites/${thing.attributes.site}/#", "dev-1", "sensor_v1", attributes));
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("dev\0")]
    public void UnsafeThingKeyDropsFilter(string key)
    {
        Assert.Null(TopicTemplates.Expand("things/${thing.key}/#", key, "sensor_v1", NoAttributes));
    }

    [Fact]
    public void UnsafeDefinitionKeyDropsFilter()
    {
        Assert.Null(TopicTemplates.Expand("defs/${thing_def.key}/#", "dev-1", "a/#", NoAttributes));
    }

    [Fact]
    public void MissingAttributeDropsFilter()
    {
        Assert.Null(TopicTemplates.Expand("sites/${thing.attributes.site}/#", "dev-1", "sensor_v1", NoAttributes));
    }

    [Fact]
    public void NullAttributeDropsFilter()
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["site"] = null };

        Assert.Null(TopicTemplates.Expand("sites/${thing.attributes.site}/#", "dev-1", "sensor_v1", attributes));
    }

    [Fact]
    public void AttributeNameIsCaseSensitive()
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Site"] = "north" };

        Assert.Null(TopicTemplates.Expand("sites/${thing.attributes.site}/#", "dev-1", "sensor_v1", attributes));
    }

    [Fact]
    public void ValueIsNotExpandedAgain()
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal) { ["site"] = "${thing.key}" };

        Assert.Equal("sites/${thing.key}/#", TopicTemplates.Expand("sites/${thing.attributes.site}/#", "dev-1", "sensor_v1", attributes));
    }

    [Fact]
    public void UnknownVariableDropsFilter()
    {
        Assert.Null(TopicTemplates.Expand("things/${thing.name}/#", "dev-1", "sensor_v1", NoAttributes));
    }
}
