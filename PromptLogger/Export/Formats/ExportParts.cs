using PromptLogging.Storage;

namespace PromptLogging.Export.Formats;

/// <summary>
/// The files of an export split into parts: part 1 is the output itself; part <c>n</c> is the output's name with
/// <c>.n</c> before its extension (<c>out.jsonl</c>, <c>out.2.jsonl</c>, <c>out.3.jsonl</c>), each checked as the
/// output is (never the database) and written to a temporary file; <see cref="Commit"/> puts them all in place, and
/// disposing without it leaves every existing file as it was.
/// </summary>
internal sealed class ExportParts(PromptStore store, string outputFile, ExportOutput first, UnixFileMode newFileMode) : IDisposable
{
    private readonly List<ExportOutput> _more = [];
    private readonly List<string> _paths = [outputFile];

    /// <summary>How many parts were opened.</summary>
    public int Count => 1 + _more.Count;

    /// <summary>The parts' paths, as given, in order.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>The stream of part <paramref name="part"/> (1-based), opened in order.</summary>
    public Stream Open(int part)
    {
        if (part == 1)
        {
            return first.Stream;
        }

        if (part != Count + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, "Parts are opened in order.");
        }

        var path = PartPath(outputFile, part);
        var output = ExportDestination.Resolve(store, path).Open(newFileMode);
        _more.Add(output);
        _paths.Add(path);
        return output.Stream;
    }

    public void Commit()
    {
        first.Commit();
        foreach (var output in _more)
        {
            output.Commit();
        }
    }

    /// <summary>Disposes the later parts (the first belongs to its caller).</summary>
    public void Dispose()
    {
        foreach (var output in _more)
        {
            output.Dispose();
        }
    }

    /// <summary><c>out.jsonl</c> → <c>out.2.jsonl</c>; <c>out</c> → <c>out.2</c>.</summary>
    public static string PartPath(string outputFile, int part)
    {
        var extension = Path.GetExtension(outputFile);
        return string.Concat(outputFile.AsSpan(0, outputFile.Length - extension.Length), ".", part.ToString(System.Globalization.CultureInfo.InvariantCulture), extension);
    }
}
