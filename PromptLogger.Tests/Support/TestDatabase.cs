using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PromptLogging.Tests.Support;

/// <summary>A real SQLite file in a fresh temporary folder, with helpers to read back what a logger exported.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "promptlogger-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Url = "sqlite:///" + Path.Combine(Folder, "prompts.db");
    }

    public string Folder { get; }

    /// <summary><c>sqlite:////abs/path/prompts.db</c>.</summary>
    public string Url { get; }

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
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp folder is cleaned up eventually.
        }
    }

    private List<JsonObject> Read(Func<string, int> export)
    {
        var path = Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".jsonl");
        var count = export(path);
        var lines = File.ReadAllLines(path).Where(static l => l.Length > 0).Select(static l => (JsonObject)JsonNode.Parse(l)!).ToList();
        Assert.That(lines, Has.Count.EqualTo(count), "the export's count and its lines");
        return lines;
    }
}
