namespace PromptLogging.Tool.Verbs;

/// <summary>
/// Every value of an option that may be given several times (<c>--tag a --tag b</c>). CommandLineParser keeps the last
/// value of a scalar option, and a sequence option would take the positional values after it as its own
/// (<c>--tag a OUTPUT</c>), so the values are read from the command line itself.
/// </summary>
internal static class RepeatedOption
{
    private const string EndOfOptions = "--";

    /// <returns>The values of <c>--NAME VALUE</c> and <c>--NAME=VALUE</c> before any <c>--</c>, in order.</returns>
    public static IReadOnlyList<string> Values(IReadOnlyList<string> args, string longName)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flag = EndOfOptions + longName;
        var values = new List<string>();
        for (var i = 0; i < args.Count && args[i] != EndOfOptions; i++)
        {
            if (args[i] == flag && i + 1 < args.Count)
            {
                values.Add(args[++i]);
            }
            else if (args[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                values.Add(args[i][(flag.Length + 1)..]);
            }
        }

        return values;
    }
}
