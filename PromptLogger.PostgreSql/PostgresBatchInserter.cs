using Dapper;
using Npgsql;
using NpgsqlTypes;
using PromptLogging.Storage;

namespace PromptLogging.PostgreSql;

/// <summary>
/// Writes batches of prompt rows into PostgreSQL, one transaction a batch: binary COPY into a temporary table of
/// this session, then one <c>INSERT … SELECT … ON CONFLICT (id) DO NOTHING</c> into <c>prompts</c>; registers each
/// model a batch uses in its namespace; infers the conversation of chat records that have none
/// (<see cref="Writing.ConversationThreads"/>).
/// </summary>
/// <remarks>
/// <para>
/// COPY cannot skip conflicting rows itself, and a spool replayed twice must store each record once: hence the
/// staging table. A 1,000-record batch is then two round trips, not a thousand (or 30,000 bound parameters). The
/// columns, the staging table and the COPY order all come from <see cref="PromptColumns"/>.
/// </para>
/// <para>Not thread-safe: owned by the single background writer loop.</para>
/// </remarks>
internal sealed class PostgresBatchInserter : IBatchInserter
{
    // ON COMMIT DELETE ROWS: each batch starts from an empty staging table without a DELETE of its own. JSON columns
    // are bytea there: their UTF-8 goes to the server as it is, and convert_from checks it on the way into text.
    private static readonly string CreateStagingSql =
        "CREATE TEMPORARY TABLE IF NOT EXISTS promptlogger_incoming (ord integer NOT NULL, " +
        string.Join(", ", PromptColumns.All.Select(c => $"{c.Name} {StagingType(c)}{(c.NotNull ? " NOT NULL" : string.Empty)}")) +
        ") ON COMMIT DELETE ROWS";

    private static readonly string CopySql = $"COPY promptlogger_incoming (ord, {PromptColumns.Names}) FROM STDIN (FORMAT BINARY)";

    // ORDER BY ord: seq follows the order the application recorded the batch in.
    private static readonly string MoveSql =
        $"INSERT INTO prompts ({PromptColumns.Names}) SELECT " +
        string.Join(", ", PromptColumns.All.Select(c => c.Type == ColumnType.Json ? $"convert_from({c.Name}, 'UTF8')" : c.Name)) +
        " FROM promptlogger_incoming ORDER BY ord ON CONFLICT (id) DO NOTHING";

    // The batch's tags, read here rather than by the server: a jsonb cast would refuse a tag holding \u0000, and the
    // batch with it. A record already stored has the same tags already.
    private const string InsertTagsSql = """
        INSERT INTO prompt_tags (tag, prompt_id)
        SELECT * FROM unnest(@Tags, @Ids)
        ON CONFLICT DO NOTHING
        """;

    // The first conversation stored with each (namespace, thread key) asked for.
    private const string FindConversationsSql = """
        SELECT DISTINCT ON (k.ns, k.key) k.ns, k.key, p.conversation_id
        FROM unnest(@Namespaces, @Keys) AS k(ns, key)
        JOIN prompts p ON p.namespace = k.ns AND p.thread_key = k.key
        WHERE p.conversation_id IS NOT NULL
        ORDER BY k.ns, k.key, p.seq
        """;

    private const string InsertModelsSql = """
        INSERT INTO models (id, namespace, name, provider, created)
        SELECT * FROM unnest(@Ids, @Namespaces, @Names, @Providers, @Created)
        ON CONFLICT (namespace, name) DO NOTHING
        """;

    private readonly NpgsqlConnection _connection;

    public PostgresBatchInserter(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Execute(CreateStagingSql);
    }

    public int Insert(IReadOnlyList<PromptRecord> records)
    {
        var newModels = new List<(string Namespace, string Model, string? Provider, double Created)>();
        var tags = new List<(string Tag, string Id)>();
        using var transaction = _connection.BeginTransaction();
        Writing.ConversationThreads.Resolve(records, keys => FindConversations(keys, transaction));
        using (var copy = _connection.BeginBinaryImport(CopySql))
        {
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                copy.StartRow();
                copy.Write(i, NpgsqlDbType.Integer);
                foreach (var column in PromptColumns.All)
                {
                    switch (column.Type)
                    {
                        case ColumnType.Json:
                            WriteBytes(copy, column.GetJson!(record));
                            break;
                        case ColumnType.Integer:
                            WriteValue(copy, column.GetInteger!(record), NpgsqlDbType.Bigint);
                            break;
                        case ColumnType.Flag:
                            WriteValue(copy, (int?)column.GetInteger!(record), NpgsqlDbType.Integer);
                            break;
                        case ColumnType.Real:
                            WriteValue(copy, column.GetReal!(record), NpgsqlDbType.Double);
                            break;
                        default:
                            WriteText(copy, column.GetText!(record));
                            break;
                    }
                }

                foreach (var tag in TagList.Read(record.Tags))
                {
                    tags.Add((Storable(tag), Storable(record.Id)));
                }
                // Every batch registers its models (not remembered across batches): a purge, in this process or
                // another, deletes the models no prompt uses any more, and a model used again must come back.
                if (record.Model is { Length: > 0 } model &&
                    !newModels.Exists(m => m.Namespace == record.Namespace && m.Model == model))
                {
                    newModels.Add((record.Namespace, model, record.Provider, record.InferenceOn));
                }
            }

            copy.Complete();
        }

        var inserted = _connection.Execute(MoveSql, transaction: transaction);
        if (tags.Count > 0)
        {
            _connection.Execute(InsertTagsSql, new
            {
                Tags = tags.Select(t => t.Tag).ToArray(),
                Ids = tags.Select(t => t.Id).ToArray(),
            }, transaction);
        }
        if (newModels.Count > 0)
        {
            _connection.Execute(InsertModelsSql, new
            {
                Ids = newModels.Select(_ => TimeOrderedId.New().ToString()).ToArray(),
                Namespaces = newModels.Select(m => Storable(m.Namespace)).ToArray(),
                Names = newModels.Select(m => Storable(m.Model)).ToArray(),
                Providers = newModels.Select(m => m.Provider is null ? null : Storable(m.Provider)).ToArray(),
                Created = newModels.Select(m => m.Created).ToArray(),
            }, transaction);
        }

        transaction.Commit();
        return inserted;
    }

    public void Dispose()
    {
        // The staging table goes with the session; the connection belongs to the caller.
    }

    private Dictionary<(string Namespace, long Key), string> FindConversations(
        IReadOnlyCollection<(string Namespace, long Key)> keys,
        NpgsqlTransaction transaction) =>
        _connection.Query<(string Namespace, long Key, string ConversationId)>(FindConversationsSql, new
            {
                Namespaces = keys.Select(k => Storable(k.Namespace)).ToArray(),
                Keys = keys.Select(k => k.Key).ToArray(),
            }, transaction)
            .ToDictionary(row => (row.Namespace, row.Key), row => row.ConversationId);

    private static string StagingType(PromptColumn column) => column.Type == ColumnType.Json ? "bytea" : column.PostgresType;

    private static void WriteBytes(NpgsqlBinaryImporter copy, byte[]? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Bytea);
        }
    }

    private static void WriteText(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(Storable(value), NpgsqlDbType.Text);
        }
    }

    /// <summary>
    /// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate has no UTF-8 form: either would fail the
    /// whole batch, and its replays, for ever. Each becomes U+FFFD, as SQLite's UTF-8 encoding does for the
    /// surrogate; NUL is the one character SQLite keeps and PostgreSQL cannot.
    /// </summary>
    internal static string Storable(string value)
    {
        var span = value.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return value;
        }

        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c == '\0')
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    private static void WriteValue<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
