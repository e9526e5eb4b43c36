using System.Globalization;

namespace PromptLogging.Tool.Web.Overview;

/// <summary>How the overview and the report write numbers and names: invariant, and a stored name made visible text.</summary>
internal static class OverviewFormat
{
    /// <summary>Shown where a value is not known (a cost without a price): never 0.</summary>
    public const string Missing = "—";

    public static string Count(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>USD: 4 decimals, 6 below a cent.</summary>
    public static string Cost(double usd) => Cost((decimal)usd);

    /// <summary>USD: 4 decimals, 6 below a cent; <see cref="Missing"/> when not known.</summary>
    public static string Cost(decimal? usd) => usd switch
    {
        null => Missing,
        0m => "$0",
        < 0.01m => "$" + usd.Value.ToString("0.000000", CultureInfo.InvariantCulture),
        _ => "$" + usd.Value.ToString("#,0.0000", CultureInfo.InvariantCulture),
    };

    /// <summary>Seconds: 3 significant decimals under 10 s.</summary>
    public static string Seconds(double seconds) =>
        seconds.ToString(seconds < 10 ? "0.###" : "#,0.0", CultureInfo.InvariantCulture) + " s";

    public static string Seconds(double? seconds) => seconds is { } s ? Seconds(s) : Missing;

    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>A model as shown: its stored name with control and bidirectional characters made visible; none: <c>(no model)</c>.</summary>
    public static string Model(string? model) => model is null ? "(no model)" : TerminalText.Escape(model);
}
