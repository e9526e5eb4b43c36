using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PromptLogging.Tests.Support;

/// <summary>A real SQLite file in a fresh temporary folder, with helpers to read back what a logger exported.</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Folder => _folder.Path;

    /// <summary><c>sqlite:////abs/path/prompts.db</c>.</summary>
    public string Url => _folder.DatabaseUrl();

    public PromptLogger CreateLogger(string @namespace = "default", Action<PromptLoggerOptions>? configure = null)
    {
        var options = new PromptLoggerOptions { Namespace = @namespace, Database = Url };
        configure?.Invoke(options);
        return new PromptLogger(options);
    }

    public List<JsonObject> ExportChat(PromptLogger logger) => Read(path => logger.ExportChatPrompts(path));

    public List<JsonObject> ExportText(PromptLogger logger) => Read(path => logger.ExportTextPrompts(path));

    public List<JsonObject> ExportModels(PromptLogger logger) => Read(path => logger.ExportModels(path));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private List<JsonObject> Read(Func<string, int> export)
    {
        var path = _folder.File(Guid.NewGuid().ToString("N") + ".jsonl");
        var count = export(path);
        var lines = File.ReadAllLines(path).Where(static l => l.Length > 0).Select(static l => (JsonObject)JsonNode.Parse(l)!).ToList();
        Assert.That(lines, Has.Count.EqualTo(count), "the export's count and its lines");
        return lines;
    }
}
