using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PromptLogging.Storage;

/// <summary>
/// Writes batches of prompt rows into an open SQLite connection, one transaction a batch, through a statement
/// prepared once and reused across batches; registers each model a batch uses in its namespace, and indexes
/// each new row's tags in <c>prompt_tags</c>; infers the conversation of chat records that have none
/// (<see cref="Writing.ConversationThreads"/>).
/// </summary>
/// <remarks>
/// <para>
/// Rows are bound straight to SQLite (JSON columns as the UTF-8 they already are, other texts UTF-8 encoded into one
/// reused buffer, numbers bound as numbers), not through <see cref="SqliteCommand"/>: that allocates a reader, boxed
/// values and a UTF-8 copy of every text per row, and took twice as long per row as this. The columns and their
/// order come from <see cref="PromptColumns"/>.
/// </para>
/// <para>Not thread-safe: owned by the single background writer loop.</para>
/// </remarks>
internal sealed class PromptBatchInserter : IBatchInserter
{
    private static readonly string InsertPromptSql =
        $"INSERT INTO prompts ({PromptColumns.Names}) VALUES (" +
        string.Join(", ", PromptColumns.All.Select(c => "?" + (c.Ordinal + 1).ToString(CultureInfo.InvariantCulture))) +
        ") ON CONFLICT (id) DO NOTHING";

    // The first conversation stored with this thread key in the namespace (the thread key index holds rowid order).
    private const string FindConversationSql = """
        SELECT conversation_id FROM prompts
        WHERE namespace = ?1 AND thread_key = ?2 AND conversation_id IS NOT NULL
        ORDER BY rowid LIMIT 1
        """;

    private const string InsertTagSql = "INSERT INTO prompt_tags (tag, prompt_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

    private const string InsertModelSql = """
        INSERT INTO models (id, namespace, name, version, provider, description, created)
        VALUES ($id, $namespace, $name, $version, $provider, $description, $created)
        ON CONFLICT (namespace, name) DO NOTHING
        """;

    // Texts up to this many UTF-8 bytes are encoded into the reused buffer; longer ones into a rented array.
    private const int BufferSize = 16 * 1024;

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertPrompt;
    private readonly sqlite3_stmt _insertTag;
    private readonly sqlite3_stmt _findConversation;
    private readonly SqliteCommand _insertModel;
    private readonly byte[] _buffer = new byte[BufferSize];

    public PromptBatchInserter(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, InsertPromptSql, out _insertPrompt));
        Check(raw.sqlite3_prepare_v2(_db, InsertTagSql, out _insertTag));
        Check(raw.sqlite3_prepare_v2(_db, FindConversationSql, out _findConversation));
        _insertModel = connection.CreateCommand();
        _insertModel.CommandText = InsertModelSql;
        foreach (var name in (string[])["$id", "$namespace", "$name", "$version", "$provider", "$description", "$created"])
        {
            _insertModel.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insertModel.Prepare();
    }

    /// <summary>Inserts <paramref name="records"/> in one transaction; nothing is stored if it throws.</summary>
    /// <returns>How many were new: a record whose id is already stored is skipped.</returns>
    public int Insert(IReadOnlyList<PromptRecord> records)
    {
        var inserted = 0;
        // Registered again in every batch (an upsert per model), not remembered across batches: a purge, in this
        // process or another, deletes the models no prompt uses any more, and a model used again must come back.
        var models = new HashSet<(string, string)>();
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insertModel.Transaction = transaction;
        // Under the write lock: no other process stores a turn between the lookup and the insert.
        Writing.ConversationThreads.Resolve(records, FindConversations);
        foreach (var record in records)
        {
            if (InsertPrompt(record) > 0)
            {
                inserted++;
                if (record.Tags is not null)
                {
                    InsertTags(record);
                }
            }

            if (record.Model is { Length: > 0 } model && models.Add((record.Namespace, model)))
            {
                InsertModel(new ModelRecord
                {
                    Id = TimeOrderedId.New().ToString(),
                    Namespace = record.Namespace,
                    Name = model,
                    Provider = record.Provider,
                    Created = record.InferenceOn,
                });
            }
        }

        transaction.Commit();
        return inserted;
    }

    public void Dispose()
    {
        _insertPrompt.Dispose();
        _insertTag.Dispose();
        _findConversation.Dispose();
        _insertModel.Dispose();
    }

    private int InsertPrompt(PromptRecord record)
    {
        var statement = _insertPrompt;
        try
        {
            foreach (var column in PromptColumns.All)
            {
                var index = column.Ordinal + 1;
                switch (column.Type)
                {
                    case ColumnType.Json:
                        BindUtf8(statement, index, column.GetJson!(record));
                        break;
                    case ColumnType.Integer or ColumnType.Flag:
                        BindInteger(statement, index, column.GetInteger!(record));
                        break;
                    case ColumnType.Real:
                        BindReal(statement, index, column.GetReal!(record));
                        break;
                    default:
                        BindText(statement, index, column.GetText!(record));
                        break;
                }
            }

            Step(statement);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private Dictionary<(string Namespace, long Key), string> FindConversations(IReadOnlyCollection<(string Namespace, long Key)> keys)
    {
        var found = new Dictionary<(string Namespace, long Key), string>();
        var statement = _findConversation;
        foreach (var key in keys)
        {
            try
            {
                BindText(statement, 1, key.Namespace);
                BindInteger(statement, 2, key.Key);
                var result = raw.sqlite3_step(statement);
                if (result == raw.SQLITE_ROW)
                {
                    found[key] = raw.sqlite3_column_text(statement, 0).utf8_to_string();
                }
                else if (result != raw.SQLITE_DONE)
                {
                    Check(result);
                }
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        return found;
    }

    private void InsertTags(PromptRecord record)
    {
        var statement = _insertTag;
        foreach (var tag in TagList.Read(record.Tags))
        {
            try
            {
                BindText(statement, 1, tag);
                BindText(statement, 2, record.Id);
                Step(statement);
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }
    }

    private void Step(sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
    }

    private void BindUtf8(sqlite3_stmt statement, int index, byte[]? utf8) =>
        Check(utf8 switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            // An empty span has no address, which SQLite would take for NULL.
            { Length: 0 } => raw.sqlite3_bind_text(statement, index, string.Empty),
            _ => raw.sqlite3_bind_text(statement, index, utf8.AsSpan()),
        });

    private void BindText(sqlite3_stmt statement, int index, string? value)
    {
        int result;
        if (value is null)
        {
            result = raw.sqlite3_bind_null(statement, index);
        }
        else if (value.Length == 0)
        {
            // An empty span has no address, which SQLite would take for NULL.
            result = raw.sqlite3_bind_text(statement, index, string.Empty);
        }
        else if (Encoding.UTF8.GetMaxByteCount(value.Length) <= BufferSize)
        {
            var length = Encoding.UTF8.GetBytes(value, _buffer);
            result = raw.sqlite3_bind_text(statement, index, _buffer.AsSpan(0, length));
        }
        else
        {
            // SQLite copies bound text (SQLITE_TRANSIENT), so the array goes back to the pool at once.
            var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(value));
            try
            {
                var length = Encoding.UTF8.GetBytes(value, rented);
                result = raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Check(result);
    }

    private void BindInteger(sqlite3_stmt statement, int index, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(statement, index, number) : raw.sqlite3_bind_null(statement, index));

    private void BindReal(sqlite3_stmt statement, int index, double? value) =>
        Check(value is { } number ? raw.sqlite3_bind_double(statement, index, number) : raw.sqlite3_bind_null(statement, index));

    private void Check(int result) => SqliteResults.ThrowIfFailed(result, _db);

    private void InsertModel(ModelRecord model)
    {
        var p = _insertModel.Parameters;
        p[0].Value = model.Id;
        p[1].Value = model.Namespace;
        p[2].Value = model.Name;
        p[3].Value = Db(model.Version);
        p[4].Value = Db(model.Provider);
        p[5].Value = Db(model.Description);
        p[6].Value = model.Created;
        _insertModel.ExecuteNonQuery();
    }

    private static object Db(object? value) => value ?? DBNull.Value;
}
