using System.Text.Json;
using PromptLogging.Storage;

namespace PromptLogging.Tests.Support;

/// <summary>
/// Records with the context fields interception does not fill yet (conversation, user, metadata, replay_of, the new
/// usage counts), made by the real record factory and stored through the store's real batch inserter.
/// </summary>
internal static class StoredRecords
{
    /// <summary>A chat record asking <paramref name="question"/>, as the factory makes it.</summary>
    public static PromptRecord Chat(string @namespace, string question, string answer = "answer", string model = "gpt-4.1") =>
        SampleSpool.ChatRecord(@namespace, model, question, answer);

    /// <summary>A JSON column's bytes, as the factory writes them.</summary>
    public static byte[] JsonBytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    private static readonly JsonSerializerOptions Options = new() { Encoder = PromptLogging.Json.JsonDefaults.Writer.Encoder };

    /// <summary>Stores <paramref name="records"/> in one batch, creating or migrating the database as a logger does.</summary>
    public static void Store(string url, params PromptRecord[] records)
    {
        var store = PromptStore.Create(DatabaseUrl.Parse(url));
        using var connection = store.OpenForWriting();
        store.Migrate(connection);
        using var inserter = store.CreateInserter(connection);
        inserter.Insert(records);
    }
}
