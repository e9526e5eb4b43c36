namespace PromptLogging.Stats;

/// <summary>What <c>stats --by</c> groups the selected prompts by.</summary>
internal enum StatsGrouping
{
    /// <summary>The model the call asked for.</summary>
    Model,

    /// <summary>The namespace.</summary>
    Namespace,

    /// <summary>The UTC day the call was made.</summary>
    Day,

    /// <summary>The conversation.</summary>
    Conversation,

    /// <summary>The end user.</summary>
    User,

    /// <summary>Each tag a prompt carries (a prompt with two tags counts in both groups; one with none in the group of no tag).</summary>
    Tag,
}

/// <summary>The names of <see cref="StatsGrouping"/> as typed after <c>--by</c>.</summary>
internal static class StatsGroupings
{
    public static readonly IReadOnlyDictionary<string, StatsGrouping> ByName = new Dictionary<string, StatsGrouping>(StringComparer.Ordinal)
    {
        ["model"] = StatsGrouping.Model,
        ["namespace"] = StatsGrouping.Namespace,
        ["day"] = StatsGrouping.Day,
        ["conversation"] = StatsGrouping.Conversation,
        ["user"] = StatsGrouping.User,
        ["tag"] = StatsGrouping.Tag,
    };

    /// <summary>The name typed after <c>--by</c>, which is also the group's field in <c>--json</c>.</summary>
    public static string Name(this StatsGrouping grouping) => ByName.First(pair => pair.Value == grouping).Key;
}
