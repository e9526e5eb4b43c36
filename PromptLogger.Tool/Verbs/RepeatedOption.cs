namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Every value of an option that may be given several times (<c>--tag a --tag b</c>, <c>-m a -m b</c>). CommandLineParser
/// keeps the last value of a scalar option, and a sequence option would take the positional values after it as its own
/// (<c>--tag a OUTPUT</c>), so the values are read from the command line itself.
/// </summary>
internal static class RepeatedOption
{
    /// <summary>The repeatable <c>--tag</c> option's long name.</summary>
    public const string TagName = "tag";

    private const string EndOfOptions = "--";

    /// <returns>
    /// The values of <c>--NAME VALUE</c>, <c>--NAME=VALUE</c> (and, with a short name, <c>-N VALUE</c> and <c>-NVALUE</c>)
    /// before any <c>--</c>, in order.
    /// </returns>
    public static IReadOnlyList<string> Values(IReadOnlyList<string> args, string longName, char? shortName = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flag = EndOfOptions + longName;
        var shortFlag = shortName is { } s ? "-" + s : null;
        var values = new List<string>();
        for (var i = 0; i < args.Count && args[i] != EndOfOptions; i++)
        {
            var arg = args[i];
            if ((arg == flag || arg == shortFlag) && i + 1 < args.Count)
            {
                values.Add(args[++i]);
            }
            else if (arg.StartsWith(flag + "=", StringComparison.Ordinal))
            {
                values.Add(arg[(flag.Length + 1)..]);
            }
            else if (shortFlag is not null && arg.Length > 2 && arg.StartsWith(shortFlag, StringComparison.Ordinal))
            {
                values.Add(arg[2..]);
            }
        }

        return values;
    }

    /// <summary>Whether the option was given at all (so a default can be told from an explicit value).</summary>
    public static bool Given(IReadOnlyList<string> args, string longName, char? shortName = null) =>
        Values(args, longName, shortName).Count > 0 ||
        args.TakeWhile(a => a != EndOfOptions).Any(a => a == EndOfOptions + longName);
}
