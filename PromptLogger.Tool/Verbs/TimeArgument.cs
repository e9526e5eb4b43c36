using System.Globalization;
using System.Text.RegularExpressions;

namespace PromptLogging.Tool.Verbs;

/// <summary>
/// A <c>--since</c>/<c>--until</c> value: an ISO 8601 date (<c>2026-01-31</c>) or date-time (<c>2026-01-31T09:30</c>,
/// <c>2026-01-31T09:30:00+02:00</c>; UTC unless it has an offset), or a time ago (<c>90m</c>, <c>24h</c>, <c>7d</c>).
/// </summary>
internal static partial class TimeArgument
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Reads <paramref name="text"/>; a date alone as an upper bound means the end of that day.</summary>
    /// <returns>Null when it is not a time this tool reads.</returns>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now, bool upperBound)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (Ago().Match(trimmed) is { Success: true } ago)
        {
            if (!long.TryParse(ago.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 1_000_000)
            {
                return null;
            }

            var span = ago.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            return now - span;
        }

        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upperBound ? start.AddDays(1) : start;
        }

        return DateTimeOffset.TryParseExact(trimmed, DateTimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    [GeneratedRegex("^([0-9]{1,9})(s|m|h|d|w)$")]
    private static partial Regex Ago();
}
