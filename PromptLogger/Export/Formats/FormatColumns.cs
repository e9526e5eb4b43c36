using System.Data.Common;
using PromptLogging.Storage;

namespace PromptLogging.Export.Formats;

/// <summary>The columns a format reads, in the order its query selects them: a column's ordinal in the rows is its index here.</summary>
internal sealed class FormatColumns(params PromptColumn[] columns)
{
    private readonly PromptColumn[] _columns = columns;

    public string Select { get; } = string.Join(", ", columns.Select(c => c.Name));

    /// <summary>The ordinal of <paramref name="column"/> in the rows.</summary>
    public int this[PromptColumn column] => Array.IndexOf(_columns, column) is >= 0 and var i ? i : throw new ArgumentOutOfRangeException(nameof(column), column.Name, "Not selected.");

    /// <summary>The selected rows, through the query every export shares (filters, order).</summary>
    public PromptRows Rows(DbConnection connection, PromptStore store, ExportFilter filter, string kind) =>
        JsonlExporter.SelectRows(connection, store, filter, kind, Select);
}
