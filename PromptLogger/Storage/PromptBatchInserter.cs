using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PromptLogging.Storage;

/// <summary>
/// Writes batches of prompt rows into an open SQLite connection, one transaction a batch, through a statement
/// prepared once and reused across batches; registers each model the first time a namespace uses it.
/// </summary>
/// <remarks>
/// <para>
/// Rows are bound straight to SQLite (UTF-8 encoded into one reused buffer, numbers bound as numbers), not through
/// <see cref="SqliteCommand"/>: that allocates a reader, boxed values and a UTF-8 copy of every text per row, and
/// took twice as long per row as this.
/// </para>
/// <para>Not thread-safe: owned by the single background writer loop.</para>
/// </remarks>
internal sealed class PromptBatchInserter : IBatchInserter
{
    private const string InsertPromptSql = """
        INSERT INTO prompts (id, namespace, kind, model, provider, messages, tools, generation_kwargs, completions,
                             prompt, response, input_tokens, output_tokens, error, stream, time_to_first_token_seconds,
                             inference_on, inference_seconds, tags, response_model, response_id, system_fingerprint,
                             stream_end)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
        ON CONFLICT (id) DO NOTHING
        """;

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
    private readonly SqliteCommand _insertModel;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly HashSet<(string Namespace, string Model)> _knownModels = [];

    public PromptBatchInserter(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, InsertPromptSql, out _insertPrompt));
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
        var newModels = new List<(string, string)>();
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insertModel.Transaction = transaction;
        foreach (var record in records)
        {
            inserted += InsertPrompt(record);
            if (record.Model is { Length: > 0 } model && !_knownModels.Contains((record.Namespace, model)))
            {
                InsertModel(new ModelRecord
                {
                    Id = TimeOrderedId.New().ToString(),
                    Namespace = record.Namespace,
                    Name = model,
                    Provider = record.Provider,
                    Created = record.InferenceOn,
                });
                newModels.Add((record.Namespace, model));
            }
        }

        transaction.Commit();
        // Only after the commit: a rolled-back batch must register its models again when retried.
        foreach (var key in newModels)
        {
            _knownModels.Add(key);
        }

        return inserted;
    }

    public void Dispose()
    {
        _insertPrompt.Dispose();
        _insertModel.Dispose();
    }

    private int InsertPrompt(PromptRecord record)
    {
        var statement = _insertPrompt;
        try
        {
            BindText(1, record.Id);
            BindText(2, record.Namespace);
            BindText(3, record.Kind);
            BindText(4, record.Model);
            BindText(5, record.Provider);
            BindText(6, record.Messages);
            BindText(7, record.Tools);
            BindText(8, record.GenerationKwargs);
            BindText(9, record.Completions);
            BindText(10, record.Prompt);
            BindText(11, record.Response);
            BindInteger(12, record.InputTokens);
            BindInteger(13, record.OutputTokens);
            BindText(14, record.Error);
            BindInteger(15, record.Stream ? 1 : 0);
            BindReal(16, record.TimeToFirstTokenSeconds);
            BindReal(17, record.InferenceOn);
            BindReal(18, record.InferenceSeconds);
            BindText(19, record.Tags);
            BindText(20, record.ResponseModel);
            BindText(21, record.ResponseId);
            BindText(22, record.SystemFingerprint);
            BindText(23, record.StreamEnd);
            var result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void BindText(int index, string? value)
    {
        int result;
        if (value is null)
        {
            result = raw.sqlite3_bind_null(_insertPrompt, index);
        }
        else if (value.Length == 0)
        {
            // An empty span has no address, which SQLite would take for NULL.
            result = raw.sqlite3_bind_text(_insertPrompt, index, string.Empty);
        }
        else if (Encoding.UTF8.GetMaxByteCount(value.Length) <= BufferSize)
        {
            var length = Encoding.UTF8.GetBytes(value, _buffer);
            result = raw.sqlite3_bind_text(_insertPrompt, index, _buffer.AsSpan(0, length));
        }
        else
        {
            // SQLite copies bound text (SQLITE_TRANSIENT), so the array goes back to the pool at once.
            var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(value));
            try
            {
                var length = Encoding.UTF8.GetBytes(value, rented);
                result = raw.sqlite3_bind_text(_insertPrompt, index, rented.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Check(result);
    }

    private void BindInteger(int index, long? value) =>
        Check(value is { } number ? raw.sqlite3_bind_int64(_insertPrompt, index, number) : raw.sqlite3_bind_null(_insertPrompt, index));

    private void BindReal(int index, double? value) =>
        Check(value is { } number ? raw.sqlite3_bind_double(_insertPrompt, index, number) : raw.sqlite3_bind_null(_insertPrompt, index));

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
