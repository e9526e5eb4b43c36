using Microsoft.Data.Sqlite;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A database as the Python prompt-logger (v0.2.0) writes it, built from its documented schema (seed
/// <c>python-schema.md</c>; SQLAlchemy's DDL for its models): every table has <c>id</c> (a UUID4 string),
/// <c>namespace</c> and <c>created_at</c> (local time text, <c>YYYY-MM-DD HH:MM:SS.ffffff</c>); JSON columns hold JSON text.
/// </summary>
internal sealed class PythonPackageDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE models (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            name VARCHAR NOT NULL, version VARCHAR, provider VARCHAR, description VARCHAR, created DATETIME NOT NULL,
            PRIMARY KEY (id));
        CREATE TABLE tools (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            function_spec JSON NOT NULL,
            PRIMARY KEY (id));
        CREATE TABLE text_completions (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            prompt VARCHAR NOT NULL, response VARCHAR NOT NULL, model VARCHAR,
            PRIMARY KEY (id));
        CREATE TABLE prompts (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            model_id VARCHAR NOT NULL, generation_kwargs JSON, inference_seconds FLOAT NOT NULL,
            PRIMARY KEY (id), FOREIGN KEY(model_id) REFERENCES models (id));
        CREATE TABLE chat_messages (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            prompt_id VARCHAR NOT NULL, role VARCHAR NOT NULL, content VARCHAR, tool_call_id VARCHAR,
            PRIMARY KEY (id), FOREIGN KEY(prompt_id) REFERENCES prompts (id));
        CREATE TABLE chat_completions (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            prompt_id VARCHAR NOT NULL, role VARCHAR NOT NULL, content VARCHAR, finish_reason VARCHAR,
            PRIMARY KEY (id), FOREIGN KEY(prompt_id) REFERENCES prompts (id));
        CREATE TABLE prompt_tool_association (
            prompt_id VARCHAR, tool_id VARCHAR,
            FOREIGN KEY(prompt_id) REFERENCES prompts (id), FOREIGN KEY(tool_id) REFERENCES tools (id));
        CREATE TABLE tool_calls (
            id VARCHAR NOT NULL, namespace VARCHAR NOT NULL, created_at DATETIME NOT NULL,
            completion_id VARCHAR NOT NULL, tool_id VARCHAR NOT NULL, function_name VARCHAR NOT NULL, function_arguments JSON,
            PRIMARY KEY (id), FOREIGN KEY(completion_id) REFERENCES chat_completions (id));
        """;

    private readonly SqliteConnection _connection;
    private int _rows;

    public PythonPackageDatabase(string path)
    {
        Path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute(Schema);
    }

    public string Path { get; }

    public void Model(string id, string @namespace, string name, string created, string? provider = null, string? version = null, string? description = null) =>
        Insert("models", new() { ["id"] = id, ["namespace"] = @namespace, ["created_at"] = created, ["name"] = name, ["version"] = version, ["provider"] = provider, ["description"] = description, ["created"] = created });

    public void Prompt(string id, string @namespace, string modelId, string createdAt, double inferenceSeconds, string? generationKwargs) =>
        Insert("prompts", new() { ["id"] = id, ["namespace"] = @namespace, ["created_at"] = createdAt, ["model_id"] = modelId, ["generation_kwargs"] = generationKwargs, ["inference_seconds"] = inferenceSeconds });

    public void Message(string promptId, string @namespace, string role, object? content, string? toolCallId = null) =>
        Insert("chat_messages", new() { ["id"] = NewId(), ["namespace"] = @namespace, ["created_at"] = "2025-04-22 22:15:43.000000", ["prompt_id"] = promptId, ["role"] = role, ["content"] = content, ["tool_call_id"] = toolCallId });

    public void Completion(string id, string promptId, string @namespace, string role, string? content, string? finishReason) =>
        Insert("chat_completions", new() { ["id"] = id, ["namespace"] = @namespace, ["created_at"] = "2025-04-22 22:15:44.000000", ["prompt_id"] = promptId, ["role"] = role, ["content"] = content, ["finish_reason"] = finishReason });

    /// <param name="arguments">JSON text, as SQLAlchemy's JSON type stores the value (usually a JSON string of the arguments).</param>
    public void ToolCall(string completionId, string @namespace, string toolId, string functionName, string? arguments) =>
        Insert("tool_calls", new() { ["id"] = NewId(), ["namespace"] = @namespace, ["created_at"] = "2025-04-22 22:15:44.000000", ["completion_id"] = completionId, ["tool_id"] = toolId, ["function_name"] = functionName, ["function_arguments"] = arguments });

    public void Tool(string id, string @namespace, string functionSpec) =>
        Insert("tools", new() { ["id"] = id, ["namespace"] = @namespace, ["created_at"] = "2025-04-22 22:15:43.000000", ["function_spec"] = functionSpec });

    public void Offer(string promptId, string toolId) =>
        Insert("prompt_tool_association", new() { ["prompt_id"] = promptId, ["tool_id"] = toolId });

    public void Text(string id, string @namespace, string prompt, string response, string createdAt, string? model = null) =>
        Insert("text_completions", new() { ["id"] = id, ["namespace"] = @namespace, ["created_at"] = createdAt, ["prompt"] = prompt, ["response"] = response, ["model"] = model });

    /// <summary>Runs SQL of the test's own (a row the package would not write, bytes that are not UTF-8).</summary>
    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private string NewId() => $"00000000-0000-4000-8000-{++_rows:D12}";

    private void Insert(string table, Dictionary<string, object?> values)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", values.Keys)}) VALUES ({string.Join(", ", values.Keys.Select(k => "$" + k))})";
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue("$" + name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}
