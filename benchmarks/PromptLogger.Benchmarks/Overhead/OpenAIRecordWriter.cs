using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Interception;
using PromptLogging.Interception.Streams;
using PromptLogging.Recording;
using PromptLogging.Storage;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// The background writer's own work for the OpenAI call of <see cref="OverheadClients"/>, without its queue: one call
/// captured through the attached <see cref="ChatClient"/> (the same snapshot and kept reply body the writer gets), turned
/// into a record by the logger's record factory and inserted, a batch of <see cref="BatchSize"/> per transaction, into a
/// real SQLite file through the writer's inserter.
/// </summary>
/// <remarks>A captured call is read again for each record, as the writer would read a new one: its snapshot and its kept body are not changed by reading.</remarks>
internal sealed class OpenAIRecordWriter : IDisposable
{
    public const int BatchSize = 1_000;

    private readonly string _database;
    private readonly SqliteStore _store;
    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection;
    private readonly PromptBatchInserter _inserter;
    private readonly PromptRecordFactory _factory = new("bench", ContentPolicy.Default);
    private readonly CapturedCall _call;
    private readonly List<PromptRecord> _batch = new(BatchSize);

    public OpenAIRecordWriter()
    {
        var keeping = new KeepingSink();
        var transport = new HttpClientPipelineTransport(new HttpClient(new CannedOpenAIHandler()));
        var client = ClientProxyFactory.Create(
            new ChatClient("gpt-4.1", new ApiKeyCredential("bench"), new OpenAIClientOptions { Transport = transport }), keeping);
        client.CompleteChat(
            [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage("What is the weather today?")],
            new ChatCompletionOptions { MaxOutputTokenCount = 50, Temperature = 0.2f });
        _call = keeping.Call ?? throw new InvalidOperationException("The attached client recorded no call.");

        _database = Measure.TempDatabase("writer.db");
        _store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + _database));
        _connection = _store.OpenForWriting();
        _store.Migrate(_connection);
        _inserter = new PromptBatchInserter(_connection);
    }

    /// <summary>What the writer does with one captured call: read it and turn it into a record.</summary>
    public PromptRecord Convert() => _factory.Create(_call);

    /// <summary>Converts <see cref="BatchSize"/> records and inserts them in one transaction, as the writer does with a full batch.</summary>
    public void WriteBatch()
    {
        ConvertBatch();
        InsertBatch();
    }

    public void ConvertBatch()
    {
        _batch.Clear();
        for (var i = 0; i < BatchSize; i++)
        {
            _batch.Add(_factory.Create(_call));
        }
    }

    public void InsertBatch() => _inserter.Insert(_batch);

    public void Dispose()
    {
        _inserter.Dispose();
        _connection.Dispose();
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Measure.DeleteDatabase(_database);
    }

    /// <summary>Keeps the last call it is given.</summary>
    private sealed class KeepingSink : ICapturedCallSink
    {
        public CapturedCall? Call { get; private set; }

        public bool RecordingMayWait => false;

        public LiveStreams? LiveStreams => null;

        public CallContext? Context => null;

        public void Record(CapturedCall call) => Call = call;

        public ValueTask RecordAsync(CapturedCall call)
        {
            Call = call;
            return ValueTask.CompletedTask;
        }
    }
}
