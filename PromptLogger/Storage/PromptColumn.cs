using System.Text.Json;

namespace PromptLogging.Storage;

/// <summary>How a column holds its value, which fixes its SQL type in each store and how it is bound and read.</summary>
internal enum ColumnType
{
    /// <summary>Text: SQLite <c>TEXT</c>, PostgreSQL <c>text</c>, bound from a string.</summary>
    Text,

    /// <summary>A JSON value kept as UTF-8 bytes end to end: <c>TEXT</c> / <c>text</c>, exported as it is stored.</summary>
    Json,

    /// <summary>A 64-bit integer: <c>INTEGER</c> / <c>bigint</c>.</summary>
    Integer,

    /// <summary>A boolean as 0 or 1: <c>INTEGER</c> / <c>integer</c>.</summary>
    Flag,

    /// <summary>A double: <c>REAL</c> / <c>double precision</c>.</summary>
    Real,
}

/// <summary>How a column appears in a <c>export prompts</c> line.</summary>
internal enum ExportStyle
{
    /// <summary>Not exported.</summary>
    None,

    /// <summary>A JSON string, left out when empty.</summary>
    String,

    /// <summary>The stored JSON value, left out when null, empty list or empty object.</summary>
    Json,

    /// <summary>Seconds as a number with a fractional part.</summary>
    Seconds,

    /// <summary><c>true</c> when set, left out otherwise.</summary>
    TrueFlag,

    /// <summary>A number inside the <c>usage</c> object (written where the first usage column stands), left out when null.</summary>
    Usage,
}

/// <summary>Which exports write a column.</summary>
[Flags]
internal enum ExportKinds
{
    None = 0,
    Chat = 1,
    Text = 2,
    Both = Chat | Text,
}

/// <summary>
/// One column of the <c>prompts</c> table, described once (see <see cref="PromptColumns"/>): its name and type in
/// each store, the schema version that added it, how a <see cref="PromptRecord"/> fills it, and how an export writes it.
/// </summary>
internal sealed class PromptColumn
{
    private PromptColumn(string name, ColumnType type, int since)
    {
        Name = name;
        Type = type;
        Since = since;
        ExportName = JsonEncodedText.Encode(name);
    }

    /// <summary>The column's name, which is also its field name in an export line.</summary>
    public string Name { get; }

    public ColumnType Type { get; }

    /// <summary>The schema version that added the column (step <see cref="Since"/> creates or adds it).</summary>
    public int Since { get; }

    public bool PrimaryKey { get; private init; }

    public bool NotNull { get; private init; }

    /// <summary>The SQL default a column added to a table with rows needs when it is NOT NULL.</summary>
    public string? Default { get; private init; }

    /// <summary>The index of the column in <see cref="PromptColumns.All"/>, which is its ordinal in every query built from it.</summary>
    public int Ordinal { get; internal set; }

    public Func<PromptRecord, string?>? GetText { get; private init; }

    public Func<PromptRecord, byte[]?>? GetJson { get; private init; }

    /// <summary>Replaces a JSON column's value (the spool re-encodes every JSON value it reads back).</summary>
    public Action<PromptRecord, byte[]?>? SetJson { get; private init; }

    /// <summary>The kind of JSON value the column holds: an array or an object.</summary>
    public JsonValueKind JsonKind { get; private init; }

    /// <summary>An <see cref="ColumnType.Integer"/> or <see cref="ColumnType.Flag"/> (0 or 1) column's value.</summary>
    public Func<PromptRecord, long?>? GetInteger { get; private init; }

    public Func<PromptRecord, double?>? GetReal { get; private init; }

    public ExportStyle Export { get; private init; }

    public ExportKinds ExportIn { get; private init; }

    public JsonEncodedText ExportName { get; }

    /// <summary>The column's type in SQLite.</summary>
    public string SqliteType => Type switch
    {
        ColumnType.Integer or ColumnType.Flag => "INTEGER",
        ColumnType.Real => "REAL",
        _ => "TEXT",
    };

    /// <summary>The column's type in PostgreSQL (JSON is <c>text</c>, not <c>jsonb</c>: see <see cref="PostgresSchema"/>).</summary>
    public string PostgresType => Type switch
    {
        ColumnType.Integer => "bigint",
        ColumnType.Flag => "integer",
        ColumnType.Real => "double precision",
        _ => "text",
    };

    /// <summary>The column as it is declared in CREATE TABLE or ADD COLUMN.</summary>
    public string Definition(DatabaseKind store) =>
        Name + " " + (store == DatabaseKind.PostgreSql ? PostgresType : SqliteType) +
        (PrimaryKey ? " PRIMARY KEY" : string.Empty) +
        (NotNull ? " NOT NULL" : string.Empty) +
        (Default is { } value ? " DEFAULT " + value : string.Empty);

    public static PromptColumn Text(string name, int since, Func<PromptRecord, string?> get, ExportStyle export = ExportStyle.String, ExportKinds exportIn = ExportKinds.Both, bool notNull = false, bool primaryKey = false) =>
        new(name, ColumnType.Text, since) { GetText = get, Export = export, ExportIn = exportIn, NotNull = notNull || primaryKey, PrimaryKey = primaryKey };

    public static PromptColumn Json(string name, int since, JsonValueKind kind, Func<PromptRecord, byte[]?> get, Action<PromptRecord, byte[]?> set, ExportKinds exportIn = ExportKinds.Both) =>
        new(name, ColumnType.Json, since) { GetJson = get, SetJson = set, JsonKind = kind, Export = ExportStyle.Json, ExportIn = exportIn };

    public static PromptColumn Integer(string name, int since, Func<PromptRecord, long?> get, ExportStyle export, ExportKinds exportIn = ExportKinds.Both) =>
        new(name, ColumnType.Integer, since) { GetInteger = get, Export = export, ExportIn = exportIn };

    public static PromptColumn Flag(string name, int since, Func<PromptRecord, bool> get, ExportKinds exportIn = ExportKinds.Both) =>
        new(name, ColumnType.Flag, since) { GetInteger = record => get(record) ? 1 : 0, Export = ExportStyle.TrueFlag, ExportIn = exportIn, NotNull = true, Default = "0" };

    public static PromptColumn Real(string name, int since, Func<PromptRecord, double?> get, ExportKinds exportIn = ExportKinds.Both, bool notNull = false) =>
        new(name, ColumnType.Real, since) { GetReal = get, Export = ExportStyle.Seconds, ExportIn = exportIn, NotNull = notNull };

    public override string ToString() => Name;
}
