using System.Reflection;
using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Finds a value-taking option given last with no value (<c>export prompts - -d</c>). CommandLineParser 2.9.1 accepts
/// that line and leaves the option at its default, which would quietly read <c>prompts.db</c> instead of failing.
/// </summary>
internal static class MissingOptionValue
{
    private const string EndOfOptions = "--";

    /// <returns>The usage problem, or <see langword="null"/> when every option has its value.</returns>
    public static string? Find(IReadOnlyList<string> args, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(optionsType);
        var end = args.TakeWhile(arg => arg != EndOfOptions).Count();
        if (end == 0)
        {
            return null;
        }

        var last = args[end - 1];
        var option = ValueOptions(optionsType).FirstOrDefault(option =>
            (option.ShortName.Length > 0 && last == "-" + option.ShortName) || last == EndOfOptions + option.LongName);
        return option is null ? null : $"option --{option.LongName} needs a value.";
    }

    // Shared flags are declared on interfaces, so they are read there too.
    private static IEnumerable<OptionAttribute> ValueOptions(Type optionsType) =>
        optionsType.GetProperties()
            .Concat(optionsType.GetInterfaces().SelectMany(type => type.GetProperties()))
            .Where(property => property.PropertyType != typeof(bool))
            .Select(property => property.GetCustomAttribute<OptionAttribute>())
            .OfType<OptionAttribute>();
}
