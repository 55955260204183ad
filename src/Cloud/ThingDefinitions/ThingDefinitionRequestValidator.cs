using Cloud.Admission.Topics;
using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.Signatures;
using Cloud.Registry.ThingDefinitions;
using FluentValidation;

namespace Cloud.ThingDefinitions;

internal sealed class ThingDefinitionRequestValidator : AbstractValidator<ThingDefinitionRequest>
{
    public ThingDefinitionRequestValidator()
    {
        // The key is required on POST; on PUT the path supplies it and the endpoint checks a mismatch.
        RuleFor(r => r.Key)
            .Matches(RegistryLimits.KeyPattern)
            .When(r => r.Key is not null)
            .OverridePropertyName("key")
            .WithMessage(r => $"Key '{RequestText.Shorten(r.Key)}' is invalid: {RequestText.KeyRule}.");

        RuleFor(r => r.Name)
            .NotEmpty()
            .OverridePropertyName("name")
            .WithMessage("Name is required: give the definition a human-readable name.")
            .MaximumLength(RegistryLimits.NameMaxLength)
            .OverridePropertyName("name")
            .WithMessage(r => $"Name has {r.Name!.Length} characters; the maximum is {RegistryLimits.NameMaxLength}.");

        RuleFor(r => r.Description)
            .MaximumLength(RegistryLimits.DescriptionMaxLength)
            .OverridePropertyName("description")
            .WithMessage(r => $"Description has {r.Description!.Length} characters; the maximum is {RegistryLimits.DescriptionMaxLength}.");

        RuleFor(r => r.Attributes).Custom(ValidateAttributes);

        RuleFor(r => r.NameRule)
            .Must(rule => NameRules.Parse(rule) is not null)
            .OverridePropertyName("nameRule")
            .WithMessage(r => $"nameRule '{RequestText.Shorten(r.NameRule)}' is invalid: use {NameRules.Allowed}.");

        RuleFor(r => r.TrustedCas)
            .Must(cas => cas!.Count <= RegistryLimits.MaxAttributes)
            .When(r => r.TrustedCas is not null)
            .OverridePropertyName("trustedCas")
            .WithMessage($"A definition names at most {RegistryLimits.MaxAttributes} trusted CAs.");

        RuleFor(r => r.PublishTopics).Custom((topics, context) => ValidateTopics(topics, "publishTopics", context));
        RuleFor(r => r.SubscribeTopics).Custom((topics, context) => ValidateTopics(topics, "subscribeTopics", context));

        RuleForEach(r => r.TrustedCas)
            .Must(key => key is not null && System.Text.RegularExpressions.Regex.IsMatch(key, RegistryLimits.KeyPattern))
            .OverridePropertyName("trustedCas")
            .WithMessage((_, key) => $"Trusted CA key '{RequestText.Shorten(key)}' is invalid: {RequestText.KeyRule}.");
    }

    private static void ValidateAttributes(Dictionary<string, AttributeRequest?>? attributes, ValidationContext<ThingDefinitionRequest> context)
    {
        if (attributes is null)
        {
            return;
        }

        if (attributes.Count > RegistryLimits.MaxAttributes)
        {
            context.AddFailure("attributes", $"The definition has {attributes.Count} attributes; the maximum is {RegistryLimits.MaxAttributes}.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, attribute) in attributes)
        {
            var field = $"attributes.{RequestText.Shorten(key)}";
            if (!System.Text.RegularExpressions.Regex.IsMatch(key, RegistryLimits.KeyPattern))
            {
                context.AddFailure(field, $"Attribute key '{RequestText.Shorten(key)}' is invalid: {RequestText.KeyRule}.");
                continue;
            }

            if (!seen.Add(key))
            {
                context.AddFailure(field, $"Attribute key '{key}' appears more than once (keys are compared without case); keep one.");
                continue;
            }

            if (attribute is null)
            {
                context.AddFailure(field, $"Attribute '{key}' is null; send an object with 'name' and 'default'.");
                continue;
            }

            ValidateAttribute(key, attribute, field, context);
        }
    }

    private static void ValidateTopics(List<string>? topics, string field, ValidationContext<ThingDefinitionRequest> context)
    {
        if (topics is null)
        {
            return;
        }

        if (topics.Count > TopicTemplates.MaxTemplates)
        {
            context.AddFailure(field, $"{field} has {topics.Count} templates; the maximum is {TopicTemplates.MaxTemplates}.");
            return;
        }

        for (var i = 0; i < topics.Count; i++)
        {
            var error = TopicTemplates.Validate(topics[i]);
            if (error is not null)
            {
                context.AddFailure($"{field}[{i}]", error);
            }
        }
    }

    private static void ValidateAttribute(string key, AttributeRequest attribute, string field, ValidationContext<ThingDefinitionRequest> context)
    {
        if (string.IsNullOrWhiteSpace(attribute.Name))
        {
            context.AddFailure($"{field}.name", $"Attribute '{key}' needs a name.");
        }
        else if (attribute.Name.Length > RegistryLimits.NameMaxLength)
        {
            context.AddFailure($"{field}.name", $"The name of attribute '{key}' has {attribute.Name.Length} characters; the maximum is {RegistryLimits.NameMaxLength}.");
        }

        if (string.Equals(key, ThingDefinition.SignatureAttributeKey, StringComparison.OrdinalIgnoreCase))
        {
            if (!TlsSignature.TryParse(attribute.Default, out _, out var error))
            {
                context.AddFailure($"{field}.default", error);
            }

            return;
        }

        if (attribute.Default is { Length: > RegistryLimits.AttributeValueMaxLength })
        {
            context.AddFailure($"{field}.default", $"The default of attribute '{key}' has {attribute.Default.Length} characters; the maximum is {RegistryLimits.AttributeValueMaxLength}.");
        }
    }
}
