using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace PromptLogging.Storage;

/// <summary>
/// Writes batches of prompt rows into PostgreSQL, one transaction a batch: binary COPY into a temporary table of
/// this session, then one <c>INSERT … SELECT … ON CONFLICT (id) DO NOTHING</c> into <c>prompts</c>; registers each
/// model the first time a namespace uses it.
/// </summary>
/// <remarks>
/// <para>
/// COPY cannot skip conflicting rows itself, and a spool replayed twice must store each record once: hence the
/// staging table. A 1,000-record batch is then two round trips, not a thousand (or 19,000 bound parameters).
/// </para>
/// <para>Not thread-safe: owned by the single background writer loop.</para>
/// </remarks>
internal sealed class PostgresBatchInserter : IBatchInserter
{
    private const string Columns = """
        id, namespace, kind, model, provider, messages, tools, generation_kwargs, completions,
        prompt, response, input_tokens, output_tokens, error, stream, time_to_first_token_seconds,
        inference_on, inference_seconds, tags, response_model, response_id, system_fingerprint, stream_end
        """;

    // ON COMMIT DELETE ROWS: each batch starts from an empty staging table without a DELETE of its own.
    private const string CreateStagingSql = $"""
        CREATE TEMPORARY TABLE IF NOT EXISTS promptlogger_incoming (
            ord integer NOT NULL, id text NOT NULL, namespace text NOT NULL, kind text NOT NULL, model text,
            provider text, messages text, tools text, generation_kwargs text, completions text, prompt text,
            response text, input_tokens bigint, output_tokens bigint, error text, stream integer NOT NULL,
            time_to_first_token_seconds double precision, inference_on double precision NOT NULL,
            inference_seconds double precision, tags text, response_model text, response_id text,
            system_fingerprint text, stream_end text)
        ON COMMIT DELETE ROWS
        """;

    private const string CopySql = $"COPY promptlogger_incoming (ord, {Columns}) FROM STDIN (FORMAT BINARY)";

    // ORDER BY ord: seq follows the order the application recorded the batch in.
    private const string MoveSql = $"""
        INSERT INTO prompts ({Columns})
        SELECT {Columns} FROM promptlogger_incoming ORDER BY ord
        ON CONFLICT (id) DO NOTHING
        """;

    private const string InsertModelsSql = """
        INSERT INTO models (id, namespace, name, provider, created)
        SELECT * FROM unnest(@Ids, @Namespaces, @Names, @Providers, @Created)
        ON CONFLICT (namespace, name) DO NOTHING
        """;

    private readonly NpgsqlConnection _connection;
    private readonly HashSet<(string Namespace, string Model)> _knownModels = [];

    public PostgresBatchInserter(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Execute(CreateStagingSql);
    }

    public int Insert(IReadOnlyList<PromptRecord> records)
    {
        var newModels = new List<(string Namespace, string Model, string? Provider, double Created)>();
        using var transaction = _connection.BeginTransaction();
        using (var copy = _connection.BeginBinaryImport(CopySql))
        {
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                copy.StartRow();
                copy.Write(i, NpgsqlDbType.Integer);
                WriteText(copy, record.Id);
                WriteText(copy, record.Namespace);
                WriteText(copy, record.Kind);
                WriteText(copy, record.Model);
                WriteText(copy, record.Provider);
                WriteText(copy, record.Messages);
                WriteText(copy, record.Tools);
                WriteText(copy, record.GenerationKwargs);
                WriteText(copy, record.Completions);
                WriteText(copy, record.Prompt);
                WriteText(copy, record.Response);
                WriteValue(copy, record.InputTokens, NpgsqlDbType.Bigint);
                WriteValue(copy, record.OutputTokens, NpgsqlDbType.Bigint);
                WriteText(copy, record.Error);
                copy.Write(record.Stream ? 1 : 0, NpgsqlDbType.Integer);
                WriteValue(copy, record.TimeToFirstTokenSeconds, NpgsqlDbType.Double);
                copy.Write(record.InferenceOn, NpgsqlDbType.Double);
                WriteValue(copy, record.InferenceSeconds, NpgsqlDbType.Double);
                WriteText(copy, record.Tags);
                WriteText(copy, record.ResponseModel);
                WriteText(copy, record.ResponseId);
                WriteText(copy, record.SystemFingerprint);
                WriteText(copy, record.StreamEnd);

                if (record.Model is { Length: > 0 } model && !_knownModels.Contains((record.Namespace, model)) &&
                    !newModels.Exists(m => m.Namespace == record.Namespace && m.Model == model))
                {
                    newModels.Add((record.Namespace, model, record.Provider, record.InferenceOn));
                }
            }

            copy.Complete();
        }

        var inserted = _connection.Execute(MoveSql, transaction: transaction);
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
        // Only after the commit: a rolled-back batch must register its models again when retried.
        foreach (var (ns, model, _, _) in newModels)
        {
            _knownModels.Add((ns, model));
        }

        return inserted;
    }

    public void Dispose()
    {
        // The staging table goes with the session; the connection belongs to the caller.
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
