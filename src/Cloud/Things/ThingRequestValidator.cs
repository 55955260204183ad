using Cloud.Http;
using Cloud.Registry;
using Cloud.Registry.ThingDefinitions;
using FluentValidation;

namespace Cloud.Things;

internal sealed class ThingRequestValidator : AbstractValidator<ThingRequest>
{
    public ThingRequestValidator()
    {
        // The key is required on POST. On PUT the path supplies it, and the endpoint rejects a mismatch.
        RuleFor(r => r.Key)
            .Matches(RegistryLimits.KeyPattern)
            .When(r => r.Key is not null)
            .OverridePropertyName("key")
            .WithMessage(r => $"Key '{RequestText.Shorten(r.Key)}' is invalid: {RequestText.KeyRule}. The key is the MQTT client id of the device.");

        RuleFor(r => r.Name)
            .Cascade(CascadeMode.Stop)
            .NotEmpty()
            .OverridePropertyName("name")
            .WithMessage("Name is required: give the thing a human-readable name.")
            .MaximumLength(RegistryLimits.NameMaxLength)
            .OverridePropertyName("name")
            .WithMessage(r => $"Name has {r.Name!.Length} characters; the maximum is {RegistryLimits.NameMaxLength}.");

        RuleFor(r => r.Definition)
            .Cascade(CascadeMode.Stop)
            .NotEmpty()
            .OverridePropertyName("definition")
            .WithMessage("Definition is required: send the key of an existing thing definition.")
            .Matches(RegistryLimits.KeyPattern)
            .OverridePropertyName("definition")
            .WithMessage(r => $"Definition key '{RequestText.Shorten(r.Definition)}' is invalid: {RequestText.KeyRule}.");

        RuleFor(r => r.Attributes).Custom(ValidateAttributes);

        // The registry parses the signatures and reports each invalid one by its index.
    }

    private static void ValidateAttributes(Dictionary<string, string?>? attributes, ValidationContext<ThingRequest> context)
    {
        if (attributes is null)
        {
            return;
        }

        if (attributes.Count > RegistryLimits.MaxAttributes)
        {
            context.AddFailure("attributes", $"The thing has {attributes.Count} attributes; the maximum is {RegistryLimits.MaxAttributes}.");
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in attributes)
        {
            var field = $"attributes.{RequestText.Shorten(key)}";
            if (!RequestText.IsKey(key))
            {
                context.AddFailure(field, $"Attribute key '{RequestText.Shorten(key)}' is invalid: {RequestText.KeyRule}.");
            }
            else if (!seen.Add(key))
            {
                context.AddFailure(field, $"Attribute key '{key}' appears more than once (keys are compared without case); keep one.");
            }
            else if (string.Equals(key, ThingDefinition.SignatureAttributeKey, StringComparison.OrdinalIgnoreCase))
            {
                context.AddFailure(field, $"Attribute '{key}' cannot be set here: send the thing's signatures in the 'tlssignature' field.");
            }
            else if (value is null)
            {
                context.AddFailure(field, $"Attribute '{key}' is null; send a string value, or leave the attribute out to use the definition's default.");
            }
            else if (value.Length > RegistryLimits.AttributeValueMaxLength)
            {
                context.AddFailure(field, $"The value of attribute '{key}' has {value.Length} characters; the maximum is {RegistryLimits.AttributeValueMaxLength}.");
            }
        }
    }
}
