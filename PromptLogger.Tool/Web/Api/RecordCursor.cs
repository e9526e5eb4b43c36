using System.Globalization;

namespace PromptLogging.Tool.Web.Api;

/// <summary>
/// Where a page of records ends: the last row's time and insertion order (SQLite's rowid, PostgreSQL's seq), the
/// key the records are sorted by, newest first. The next page is the rows before it: found through the time index,
/// as fast on the thousandth page as on the first.
/// </summary>
internal sealed record RecordCursor(double InferenceOn, long Position)
{
    public override string ToString() =>
        InferenceOn.ToString("R", CultureInfo.InvariantCulture) + "_" + Position.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="ToString"/>'s form; null for an empty or malformed one.</summary>
    public static RecordCursor? Parse(string? text)
    {
        var cut = text?.IndexOf('_', StringComparison.Ordinal) ?? -1;
        return cut > 0 &&
               double.TryParse(text![..cut], NumberStyles.Float, CultureInfo.InvariantCulture, out var time) && double.IsFinite(time) &&
               long.TryParse(text[(cut + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? new RecordCursor(time, position)
            : null;
    }
}
