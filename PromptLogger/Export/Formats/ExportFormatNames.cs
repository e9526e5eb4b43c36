namespace PromptLogging.Export.Formats;

/// <summary>The formats' names on the command line (<c>--format</c>), in the order help lists them.</summary>
internal static class ExportFormatNames
{
    public static readonly IReadOnlyList<(string Name, ExportFormat Format)> All =
    [
        ("seed", ExportFormat.Jsonl),
        ("openai-ft", ExportFormat.OpenAIFineTuning),
        ("openai-batch", ExportFormat.OpenAIBatch),
        ("csv", ExportFormat.Csv),
    ];

    /// <summary>The names, comma-separated, for messages.</summary>
    public static string List => string.Join(", ", All.Select(f => f.Name));

    public static bool TryParse(string? name, out ExportFormat format)
    {
        foreach (var (known, value) in All)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                format = value;
                return true;
            }
        }

        format = ExportFormat.Jsonl;
        return false;
    }

    public static string NameOf(ExportFormat format) => All.First(f => f.Format == format).Name;
}
