using System.Text;
using PromptLogging.Writing;

namespace PromptLogging.Import;

/// <summary>
/// Reads a file of one record a line: a spool file (<see cref="Spool.Parse"/>) or JSONL in the seed's export format
/// (<see cref="SeedLine"/>). A line that is not a record — cut short, not UTF-8, not JSON, not of the format — is told
/// to the caller by its number and left out; blank lines are neither records nor counted.
/// </summary>
internal sealed class LineFileReader(string path, ImportSourceKind kind, string defaultNamespace) : IImportReader
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public IEnumerable<ImportItem> Read(Action<ImportSkip> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        foreach (var (number, line) in ByteLines.Read(path))
        {
            if (ByteLines.IsBlank(line))
            {
                continue;
            }

            if (TryRead(line, out var item, out var problem))
            {
                yield return item;
            }
            else
            {
                skipped(new ImportSkip($"line {number}", problem));
            }
        }
    }

    private bool TryRead(byte[] line, out ImportItem item, out string? problem)
    {
        if (kind == ImportSourceKind.SeedJsonl)
        {
            return SeedLine.TryRead(line, defaultNamespace, null, out item, out problem);
        }

        item = default;
        string text;
        try
        {
            text = Strict.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            problem = "not UTF-8";
            return false;
        }

        problem = null;
        if (Spool.Parse(text) is not { } record)
        {
            return false;
        }

        item = ImportItem.Of(record);
        return true;
    }

    public void Dispose()
    {
    }
}
