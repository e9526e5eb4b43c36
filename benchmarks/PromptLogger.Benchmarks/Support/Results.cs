using System.Globalization;

namespace PromptLogging.Benchmarks.Support;

/// <summary>Collects figures, prints them as a table and as one <c>RESULT name=value</c> line each.</summary>
internal sealed class Results
{
    private readonly List<(string Name, double Value, string Unit, string Note)> _rows = [];

    public void Add(string name, double value, string unit, string note = "")
    {
        _rows.Add((name, value, unit, note));
        Console.WriteLine(FormattableString.Invariant($"  {name} = {value:0.###} {unit} {note}"));
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| figure | value | unit | note |");
        Console.WriteLine("| --- | ---: | --- | --- |");
        foreach (var (name, value, unit, note) in _rows)
        {
            Console.WriteLine(FormattableString.Invariant($"| {name} | {value:#,0.###} | {unit} | {note} |"));
        }

        Console.WriteLine();
        foreach (var (name, value, _, _) in _rows)
        {
            Console.WriteLine("RESULT " + name + "=" + value.ToString("0.####", CultureInfo.InvariantCulture));
        }
    }
}
