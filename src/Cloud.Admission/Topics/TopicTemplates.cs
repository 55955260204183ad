using System.Text;
using System.Text.RegularExpressions;
using Cloud.Registry;

namespace Cloud.Admission.Topics;

/// <summary>
/// Topic filter templates of thing definitions, such as <c>things/${thing.key}/#</c>, with the
/// variables <c>${thing.key}</c>, <c>${thing_def.key}</c> and <c>${thing.attributes.NAME}</c>.
/// Values are substituted literally: a value that is empty or contains '/', '+', '#' or NUL
/// would change the filter's meaning, so the filter is dropped and grants nothing.
/// </summary>
public static partial class TopicTemplates
{
    public const int MaxLength = 1024;

    public const int MaxTemplates = 50;

    /// <summary>Returns why a template is invalid, or null when it is valid.</summary>
    public static string? Validate(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "A topic template is empty; use a topic filter such as things/${thing.key}/#.";
        }

        if (template.Length > MaxLength)
        {
            return $"The topic template has {template.Length} characters; the maximum is {MaxLength}.";
        }

        foreach (Match variable in Variable().Matches(template))
        {
            if (!IsKnownVariable(variable.Groups[1].Value))
            {
                return $"Variable '{variable.Value}' is unknown: use ${{thing.key}}, ${{thing_def.key}} or ${{thing.attributes.NAME}}.";
            }
        }

        var filter = Variable().Replace(template, "v");
        if (filter.Contains("${", StringComparison.Ordinal))
        {
            return $"Topic template '{template}' has an unclosed '${{': write variables as ${{thing.key}}.";
        }

        return TopicFilters.Validate(filter);
    }

    /// <summary>
    /// Substitutes the variables, or returns null when a value would change the filter's meaning
    /// or an attribute has no value.
    /// </summary>
    public static string? Expand(string template, string thingKey, string definitionKey, IReadOnlyDictionary<string, string?> attributes)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(attributes);

        var result = new StringBuilder(template.Length + 32);
        var position = 0;
        foreach (Match variable in Variable().Matches(template))
        {
            result.Append(template, position, variable.Index - position);
            var value = Resolve(variable.Groups[1].Value, thingKey, definitionKey, attributes);
            if (!IsLiteralLevelText(value))
            {
                return null;
            }

            result.Append(value);
            position = variable.Index + variable.Length;
        }

        result.Append(template, position, template.Length - position);

        // A value must not turn a filter into one for the broker's own '$' topics [MQTT-4.7.2-1].
        var expanded = result.ToString();
        var dollarFromTemplate = template.StartsWith('$') && !template.StartsWith("${", StringComparison.Ordinal);
        return expanded.StartsWith('$') && !dollarFromTemplate ? null : expanded;
    }

    private static string? Resolve(string name, string thingKey, string definitionKey, IReadOnlyDictionary<string, string?> attributes) => name switch
    {
        "thing.key" => thingKey,
        "thing_def.key" => definitionKey,
        _ when name.StartsWith(AttributePrefix, StringComparison.Ordinal) => attributes.GetValueOrDefault(name[AttributePrefix.Length..]),
        _ => null,
    };

    private static bool IsLiteralLevelText(string? value) =>
        !string.IsNullOrEmpty(value) && value.IndexOfAny(['/', '+', '#', '\0']) < 0;

    private static bool IsKnownVariable(string name) =>
        name is "thing.key" or "thing_def.key" ||
        (name.StartsWith(AttributePrefix, StringComparison.Ordinal) && Regex.IsMatch(name[AttributePrefix.Length..], RegistryLimits.KeyPattern));

    private const string AttributePrefix = "thing.attributes.";

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Variable();
}
