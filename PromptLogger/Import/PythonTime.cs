using System.Globalization;

namespace PromptLogging.Import;

/// <summary>
/// The times of the Python package's database: SQLAlchemy <c>DateTime</c> text, <c>YYYY-MM-DD HH:MM:SS.ffffff</c>, a
/// local time without a zone; turned into epoch seconds as the package's export does (<c>datetime.timestamp()</c>:
/// the whole seconds of the local time in the machine's zone, plus the microseconds), so the same database gives
/// the same numbers exported by either.
/// </summary>
internal static class PythonTime
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>The epoch seconds of <paramref name="text"/> read as a time of <paramref name="zone"/>; false when it is not such a time.</summary>
    public static bool TryToEpochSeconds(string? text, TimeZoneInfo zone, out double seconds)
    {
        ArgumentNullException.ThrowIfNull(zone);
        seconds = 0;
        if (text is null ||
            !DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var fraction = local.Ticks % TimeSpan.TicksPerSecond;
        var whole = new DateTime(local.Ticks - fraction, DateTimeKind.Unspecified);
        // As mktime() does for Python: a time repeated when the clocks go back is the first of the two (the larger
        // offset), and one skipped when they go forward is read with the offset before the change.
        var offset = zone.IsAmbiguousTime(whole) ? zone.GetAmbiguousTimeOffsets(whole).Max() : zone.GetUtcOffset(whole);
        var utc = whole - offset;
        var epochSeconds = (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        // As Python adds them: whole seconds (an integer) plus microseconds / 1e6 (a float).
        seconds = epochSeconds + (fraction / 10) / 1e6;
        return true;
    }
}
