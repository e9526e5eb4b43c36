using System.Globalization;

namespace PromptLogging.Tool.Web.Charts;

/// <summary>
/// A value axis from 0 to a round top (1, 2 or 5 times a power of ten a tick), so that tick labels read as plain
/// numbers; bars are drawn in proportion to it.
/// </summary>
internal sealed class ChartScale
{
    private static readonly double[] Multiples = [1, 2, 5, 10];

    private ChartScale(double top, double step)
    {
        Top = top;
        Step = step;
    }

    /// <summary>The value at the end of the axis.</summary>
    public double Top { get; }

    /// <summary>The distance between two ticks.</summary>
    public double Step { get; }

    /// <summary>The tick values, 0 to <see cref="Top"/>.</summary>
    public IEnumerable<double> Ticks
    {
        get
        {
            var count = (int)Math.Round(Top / Step);
            return Enumerable.Range(0, count + 1).Select(i => i * Step);
        }
    }

    /// <summary>The scale for values up to <paramref name="max"/>, in about <paramref name="ticks"/> steps.</summary>
    /// <param name="max">The greatest value shown.</param>
    /// <param name="wholeNumbers">Counts: no step under 1.</param>
    /// <param name="ticks">About how many steps.</param>
    public static ChartScale For(double max, bool wholeNumbers, int ticks = 5)
    {
        if (!double.IsFinite(max) || max <= 0)
        {
            return new ChartScale(wholeNumbers ? 1 : 1, wholeNumbers ? 1 : 0.2);
        }

        var rough = max / ticks;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = Multiples.Select(m => m * power).First(s => s >= rough);
        if (wholeNumbers)
        {
            step = Math.Max(1, Math.Round(step));
        }

        var top = Math.Ceiling((max / step) - 1e-9) * step;
        return new ChartScale(top, step);
    }

    /// <summary>Where <paramref name="value"/> falls on an axis <paramref name="length"/> long, from 0.</summary>
    public double Position(double value, double length) => Math.Clamp(value / Top, 0, 1) * length;
}

/// <summary>Numbers as SVG attributes want them: invariant, at most two decimals.</summary>
internal static class Svg
{
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
