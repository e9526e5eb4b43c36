using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PromptLogging.Json;

namespace PromptLogging.Import;

/// <summary>
/// Reads a database written by the Python <c>prompt-logger</c> package (v0.2: seed <c>python-schema.md</c>): its models,
/// its chat prompts with their messages, tools, completions and tool calls, and its text prompts, with their ids,
/// namespaces and times.
/// </summary>
/// <remarks>
/// <para>
/// Each record is first written as the line the package's own export writes for it (its <c>to_dict</c>: the same
/// fields in the same order, rows within a prompt in insertion order, empty values — whitespace-only strings included —
/// left out, times as its <c>timestamp()</c> gives them), then read as such a line (<see cref="SeedLine"/>). So exporting
/// after the import gives the package's export line for line, and importing the database or its export stores the same.
/// </para>
/// <para>
/// The tables are read in one pass each, in the prompts' insertion order: the rows of a prompt's messages,
/// completions, tool calls and tools come from queries sorted by their prompt's rowid (the package's tables have no
/// index on their prompt id, so a lookup per prompt would scan them each time), merged as the prompts go by. A
/// prompt is yielded only once every one of its rows has been read: a database that fails midway (cut short,
/// damaged) stops the reading with an <see cref="ImportSourceException"/>, never with half a prompt.
/// </para>
/// </remarks>
internal sealed class PythonDatabaseReader : IImportReader
{
    private readonly SqliteConnection _connection;
    private readonly string _defaultNamespace;
    private readonly TimeZoneInfo _zone;
    private readonly HashSet<string> _tables;

    /// <param name="path">The database file.</param>
    /// <param name="defaultNamespace">The namespace of rows that have none.</param>
    /// <param name="zone">The zone the package wrote its local times in: the machine's (<see cref="TimeZoneInfo.Local"/>).</param>
    public PythonDatabaseReader(string path, string defaultNamespace, TimeZoneInfo? zone = null)
    {
        _connection = OpenReadOnly(path);
        _defaultNamespace = defaultNamespace;
        _zone = zone ?? TimeZoneInfo.Local;
        _tables = Tables(_connection);
    }

    /// <summary>The tables the package creates; a database holds those of the version that wrote it.</summary>
    public static readonly string[] PackageTables =
        ["models", "prompts", "chat_messages", "chat_completions", "tool_calls", "tools", "prompt_tool_association", "text_completions"];

    /// <summary>Opens a SQLite file read-only (never created, never written, no pooled handle left open).</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The names of the tables of an open database.</summary>
    public static HashSet<string> Tables(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The column names of <paramref name="table"/>.</summary>
    public static HashSet<string> Columns(SqliteConnection connection, string table)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    public IEnumerable<ImportItem> Read(Action<ImportSkip> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var modelNames = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var item in Models(modelNames, skipped))
        {
            yield return item;
        }

        foreach (var item in ChatPrompts(modelNames, skipped))
        {
            yield return item;
        }

        foreach (var item in TextPrompts(skipped))
        {
            yield return item;
        }
    }

    public void Dispose() => _connection.Dispose();

    private bool Has(params string[] tables) => tables.All(_tables.Contains);

    private IEnumerable<ImportItem> Models(Dictionary<string, string?> names, Action<ImportSkip> skipped)
    {
        if (!Has("models"))
        {
            yield break;
        }

        using var models = new Cursor(_connection, "models",
            "SELECT id, namespace, name, version, provider, description, created, created_at FROM models ORDER BY rowid");
        for (; models.HasRow; models.Next())
        {
            var row = new Row(models);
            var id = row.Text(0);
            var name = row.Text(2);
            if (id is not null && row.Problem is null)
            {
                names[id] = name;
            }

            var line = Line(row, writer =>
            {
                WriteText(writer, "id", id);
                WriteText(writer, "namespace", row.Text(1));
                WriteText(writer, "name", name);
                WriteText(writer, "version", row.Text(3));
                WriteText(writer, "provider", row.Text(4));
                WriteText(writer, "description", row.Text(5));
                // The package's export fails on a model without its created time; its row's own time stands in.
                WriteTime(writer, "created", row.Text(6) ?? row.Text(7), row);
            });
            if (Yield(line, row, SeedLineKind.Model, "model", id, skipped) is { } item)
            {
                yield return item;
            }
        }
    }

    private IEnumerable<ImportItem> ChatPrompts(Dictionary<string, string?> modelNames, Action<ImportSkip> skipped)
    {
        if (!Has("prompts"))
        {
            yield break;
        }

        using var prompts = new Cursor(_connection, "prompts",
            "SELECT rowid, id, namespace, model_id, generation_kwargs, inference_seconds, created_at FROM prompts ORDER BY rowid");
        using var messages = new Cursor(_connection, "chat_messages", Has("chat_messages") ? """
            SELECT p.rowid, m.role, m.content, m.tool_call_id
            FROM chat_messages m JOIN prompts p ON p.id = m.prompt_id
            ORDER BY p.rowid, m.rowid
            """ : null);
        using var completions = new Cursor(_connection, "chat_completions", Has("chat_completions") ? """
            SELECT p.rowid, c.rowid, c.role, c.content, c.finish_reason
            FROM chat_completions c JOIN prompts p ON p.id = c.prompt_id
            ORDER BY p.rowid, c.rowid
            """ : null);
        using var toolCalls = new Cursor(_connection, "tool_calls", Has("chat_completions", "tool_calls") ? """
            SELECT p.rowid, c.rowid, t.tool_id, t.function_name, t.function_arguments
            FROM tool_calls t JOIN chat_completions c ON c.id = t.completion_id JOIN prompts p ON p.id = c.prompt_id
            ORDER BY p.rowid, c.rowid, t.rowid
            """ : null);
        using var tools = new Cursor(_connection, "tools", Has("tools", "prompt_tool_association") ? """
            SELECT p.rowid, t.function_spec
            FROM prompt_tool_association a JOIN prompts p ON p.id = a.prompt_id JOIN tools t ON t.id = a.tool_id
            ORDER BY p.rowid, a.rowid
            """ : null);
        for (; prompts.HasRow; prompts.Next())
        {
            var row = new Row(prompts);
            var rowid = prompts.Long(0);
            var id = row.Text(1);
            var modelId = row.Text(3);
            var ownMessages = messages.RowsOf(rowid);
            var ownCompletions = completions.RowsOf(rowid);
            var ownToolCalls = toolCalls.RowsOf(rowid);
            var ownTools = tools.RowsOf(rowid);
            var line = Line(row, writer =>
            {
                WriteText(writer, "id", id);
                WriteText(writer, "namespace", row.Text(2));
                WriteText(writer, "model", modelId is not null && modelNames.TryGetValue(modelId, out var name) ? name : null);
                WriteList(writer, "messages", ownMessages, message =>
                {
                    writer.WriteStartObject();
                    WriteText(writer, "role", row.Text(message[1]));
                    WriteText(writer, "content", row.Text(message[2]));
                    WriteText(writer, "tool_call_id", row.Text(message[3]));
                    writer.WriteEndObject();
                });
                WriteList(writer, "tools", ownTools, tool => WriteJsonValue(writer, Row.Bytes(tool[1]), "a tool's function_spec", row));
                WriteJsonIfAny(writer, "generation_kwargs", row.Bytes(4), row);
                WriteList(writer, "completions", ownCompletions, completion =>
                {
                    writer.WriteStartObject();
                    WriteText(writer, "role", row.Text(completion[2]));
                    WriteText(writer, "content", row.Text(completion[3]));
                    var completionRowid = completion[1] as long?;
                    WriteList(writer, "tool_calls", [.. ownToolCalls.Where(call => call[1] as long? == completionRowid)], call =>
                    {
                        writer.WriteStartObject();
                        WriteText(writer, "id", row.Text(call[2]));
                        writer.WriteString("type", "function");
                        writer.WriteStartObject("function");
                        writer.WritePropertyName("name");
                        if (row.Text(call[3]) is { } function)
                        {
                            writer.WriteStringValue(function);
                        }
                        else
                        {
                            writer.WriteNullValue();
                        }

                        writer.WritePropertyName("arguments");
                        WriteJsonValue(writer, Row.Bytes(call[4]), "a tool call's arguments", row);
                        writer.WriteEndObject();
                        writer.WriteEndObject();
                    });
                    WriteText(writer, "finish_reason", row.Text(completion[4]));
                    writer.WriteEndObject();
                });
                WriteTime(writer, "inference_on", row.Text(6), row);
                if (prompts.Double(5) is { } seconds && double.IsFinite(seconds))
                {
                    writer.WriteNumber("inference_seconds", seconds);
                }
            });
            if (Yield(line, row, SeedLineKind.Chat, "chat prompt", id, skipped) is { } item)
            {
                yield return item;
            }
        }
    }

    private IEnumerable<ImportItem> TextPrompts(Action<ImportSkip> skipped)
    {
        if (!Has("text_completions"))
        {
            yield break;
        }

        using var texts = new Cursor(_connection, "text_completions",
            "SELECT id, namespace, prompt, response, model, created_at FROM text_completions ORDER BY rowid");
        for (; texts.HasRow; texts.Next())
        {
            var row = new Row(texts);
            var id = row.Text(0);
            var line = Line(row, writer =>
            {
                WriteText(writer, "id", id);
                WriteText(writer, "namespace", row.Text(1));
                WriteText(writer, "prompt", row.Text(2));
                WriteText(writer, "response", row.Text(3));
                WriteText(writer, "model", row.Text(4));
                WriteTime(writer, "inference_on", row.Text(5), row);
            });
            if (Yield(line, row, SeedLineKind.Text, "text prompt", id, skipped) is { } item)
            {
                yield return item;
            }
        }
    }

    private ImportItem? Yield(byte[] line, Row row, SeedLineKind kind, string what, string? id, Action<ImportSkip> skipped)
    {
        var where = id is null ? $"a {what} without an id" : $"{what} {id}";
        if (id is null)
        {
            skipped(new ImportSkip(where, "no id"));
            return null;
        }

        if (row.Problem is { } problem)
        {
            skipped(new ImportSkip(where, problem));
            return null;
        }

        if (!SeedLine.TryRead(line, _defaultNamespace, kind, out var item, out problem))
        {
            skipped(new ImportSkip(where, problem));
            return null;
        }

        return item;
    }

    private static byte[] Line(Row row, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.Writer with { MaxDepth = JsonColumn.MaxDepth + 8 }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return row.Problem is null ? buffer.WrittenSpan.ToArray() : [];
    }

    /// <summary>The package's <c>is_empty</c>: None, a string of nothing but white space (Python's), an empty list or dict.</summary>
    private static bool IsEmpty(string? value) => value is null || value.All(IsPythonSpace);

    // str.isspace(): Unicode white space, and the separators U+001C to U+001F that .NET does not count.
    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    private static void WriteText(Utf8JsonWriter writer, string name, string? value)
    {
        if (!IsEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }

    private void WriteTime(Utf8JsonWriter writer, string name, string? value, Row row)
    {
        if (PythonTime.TryToEpochSeconds(value, _zone, out var seconds))
        {
            writer.WriteNumber(name, seconds);
        }
        else
        {
            row.Fail($"its {name} is not a time ('{value}')");
        }
    }

    private static void WriteList(Utf8JsonWriter writer, string name, List<object?[]> rows, Action<object?[]> write)
    {
        if (rows.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var row in rows)
        {
            write(row);
        }

        writer.WriteEndArray();
    }

    /// <summary>A JSON column's value as the package loads it: SQL NULL and JSON <c>null</c> are None.</summary>
    private static void WriteJsonValue(Utf8JsonWriter writer, byte[]? json, string what, Row row)
    {
        if (json is null || json.AsSpan().Trim(" \t\r\n"u8).SequenceEqual("null"u8))
        {
            writer.WriteNullValue();
            return;
        }

        if (!JsonColumn.IsSingleValue(json))
        {
            row.Fail($"{what} is not JSON");
            writer.WriteNullValue();
            return;
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonColumn.MaxDepth });
        document.RootElement.WriteTo(writer);
    }

    /// <summary>A JSON column written unless the package's <c>remove_empty_values</c> would drop it.</summary>
    private static void WriteJsonIfAny(Utf8JsonWriter writer, string name, byte[]? json, Row row)
    {
        if (json is null)
        {
            return;
        }

        if (!JsonColumn.IsSingleValue(json))
        {
            row.Fail($"its {name} is not JSON");
            return;
        }

        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonColumn.MaxDepth });
        var value = document.RootElement;
        var empty = value.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.Object => !value.EnumerateObject().Any(),
            JsonValueKind.Array => value.GetArrayLength() == 0,
            JsonValueKind.String => IsEmpty(value.GetString()),
            _ => false,
        };
        if (!empty)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    /// <summary>
    /// The values of one record's rows as read, and the first thing wrong with them (text that is not UTF-8, JSON that
    /// is not JSON, a time that is not one): a record with a problem is skipped whole.
    /// </summary>
    private sealed class Row(Cursor cursor)
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public string? Problem { get; private set; }

        public void Fail(string problem) => Problem ??= problem;

        /// <summary>A text column of the cursor's current row.</summary>
        public string? Text(int ordinal) => Text(cursor.Bytes(ordinal));

        /// <summary>A value read earlier into a child row.</summary>
        public string? Text(object? value) => value is byte[] bytes ? Text(bytes) : null;

        public byte[]? Bytes(int ordinal) => cursor.Bytes(ordinal);

        public static byte[]? Bytes(object? value) => value as byte[];

        private string? Text(byte[]? bytes)
        {
            if (bytes is null)
            {
                return null;
            }

            try
            {
                return Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                Fail("a text that is not UTF-8");
                return null;
            }
        }
    }

    /// <summary>
    /// One query's rows, read forward; every failure to read (a damaged or cut-short file) an
    /// <see cref="ImportSourceException"/> naming the table. With no query (the table is missing), no rows.
    /// </summary>
    private sealed class Cursor : IDisposable
    {
        private readonly string _table;
        private readonly SqliteCommand? _command;
        private readonly SqliteDataReader? _reader;

        public Cursor(SqliteConnection connection, string table, string? sql)
        {
            _table = table;
            if (sql is null)
            {
                return;
            }

            try
            {
                _command = connection.CreateCommand();
                _command.CommandText = sql;
                _reader = _command.ExecuteReader();
            }
            catch (SqliteException exception)
            {
                Dispose();
                throw Damaged(exception);
            }

            Next();
        }

        public bool HasRow { get; private set; }

        public void Next()
        {
            try
            {
                HasRow = _reader is not null && _reader.Read();
            }
            catch (SqliteException exception)
            {
                HasRow = false;
                throw Damaged(exception);
            }
        }

        public long Long(int ordinal) => _reader!.GetInt64(ordinal);

        public double? Double(int ordinal) => _reader!.IsDBNull(ordinal) ? null : _reader.GetDouble(ordinal);

        /// <summary>A value's bytes as stored (text as its UTF-8), null for SQL NULL.</summary>
        public byte[]? Bytes(int ordinal) => _reader!.IsDBNull(ordinal) ? null : _reader.GetFieldValue<byte[]>(ordinal);

        /// <summary>
        /// The rows that belong to the prompt of <paramref name="rowid"/> (the first column), each as its values
        /// (integers as longs, the rest as bytes); rows of prompts before it are passed over.
        /// </summary>
        public List<object?[]> RowsOf(long rowid)
        {
            var rows = new List<object?[]>();
            while (HasRow && Long(0) <= rowid)
            {
                if (Long(0) == rowid)
                {
                    var values = new object?[_reader!.FieldCount];
                    values[0] = rowid;
                    for (var i = 1; i < values.Length; i++)
                    {
                        values[i] = _reader.GetFieldType(i) == typeof(long) && !_reader.IsDBNull(i) ? _reader.GetInt64(i) : Bytes(i);
                    }

                    rows.Add(values);
                }

                Next();
            }

            return rows;
        }

        private ImportSourceException Damaged(SqliteException exception) =>
            new($"its table {_table} cannot be read ({exception.Message.TrimEnd('.')})", exception);

        public void Dispose()
        {
            _reader?.Dispose();
            _command?.Dispose();
        }
    }
}
