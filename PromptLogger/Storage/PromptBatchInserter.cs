using Microsoft.Data.Sqlite;

namespace PromptLogging.Storage;

/// <summary>
/// Writes batches of prompt rows into an open SQLite connection, one transaction a batch, through
/// prepared statements reused across batches; registers each model the first time a namespace uses it.
/// </summary>
/// <remarks>Not thread-safe: owned by the single background writer loop.</remarks>
internal sealed class PromptBatchInserter : IBatchInserter
{
    private const string InsertPromptSql = """
        INSERT INTO prompts (id, namespace, kind, model, provider, messages, tools, generation_kwargs, completions,
                             prompt, response, input_tokens, output_tokens, error, stream, time_to_first_token_seconds,
                             inference_on, inference_seconds, tags)
        VALUES ($id, $namespace, $kind, $model, $provider, $messages, $tools, $generation_kwargs, $completions,
                $prompt, $response, $input_tokens, $output_tokens, $error, $stream, $ttft,
                $inference_on, $inference_seconds, $tags)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string InsertModelSql = """
        INSERT INTO models (id, namespace, name, version, provider, description, created)
        VALUES ($id, $namespace, $name, $version, $provider, $description, $created)
        ON CONFLICT (namespace, name) DO NOTHING
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertPrompt;
    private readonly SqliteCommand _insertModel;
    private readonly HashSet<(string Namespace, string Model)> _knownModels = [];

    public PromptBatchInserter(SqliteConnection connection)
    {
        _connection = connection;
        _insertPrompt = Prepare(connection, InsertPromptSql,
            "$id", "$namespace", "$kind", "$model", "$provider", "$messages", "$tools", "$generation_kwargs", "$completions",
            "$prompt", "$response", "$input_tokens", "$output_tokens", "$error", "$stream", "$ttft",
            "$inference_on", "$inference_seconds", "$tags");
        _insertModel = Prepare(connection, InsertModelSql,
            "$id", "$namespace", "$name", "$version", "$provider", "$description", "$created");
    }

    /// <summary>Inserts <paramref name="records"/> in one transaction; nothing is stored if it throws.</summary>
    /// <returns>How many were new: a record whose id is already stored is skipped.</returns>
    public int Insert(IReadOnlyList<PromptRecord> records)
    {
        var inserted = 0;
        var newModels = new List<(string, string)>();
        using var transaction = _connection.BeginTransaction(deferred: false);
        _insertPrompt.Transaction = transaction;
        _insertModel.Transaction = transaction;
        foreach (var record in records)
        {
            var p = _insertPrompt.Parameters;
            p[0].Value = record.Id;
            p[1].Value = record.Namespace;
            p[2].Value = record.Kind;
            p[3].Value = Db(record.Model);
            p[4].Value = Db(record.Provider);
            p[5].Value = Db(record.Messages);
            p[6].Value = Db(record.Tools);
            p[7].Value = Db(record.GenerationKwargs);
            p[8].Value = Db(record.Completions);
            p[9].Value = Db(record.Prompt);
            p[10].Value = Db(record.Response);
            p[11].Value = Db(record.InputTokens);
            p[12].Value = Db(record.OutputTokens);
            p[13].Value = Db(record.Error);
            p[14].Value = record.Stream ? 1 : 0;
            p[15].Value = Db(record.TimeToFirstTokenSeconds);
            p[16].Value = record.InferenceOn;
            p[17].Value = Db(record.InferenceSeconds);
            p[18].Value = Db(record.Tags);
            inserted += _insertPrompt.ExecuteNonQuery();

            if (record.Model is { Length: > 0 } model && !_knownModels.Contains((record.Namespace, model)))
            {
                InsertModel(new ModelRecord
                {
                    Id = Guid.CreateVersion7().ToString(),
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

    public void Dispose()
    {
        _insertPrompt.Dispose();
        _insertModel.Dispose();
    }

    private static object Db(object? value) => value ?? DBNull.Value;

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
