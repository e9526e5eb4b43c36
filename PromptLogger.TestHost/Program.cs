// Records text prompts as a separate process, for tests of what survives process exit and kill -9.
// Usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate] [--forever] [--async-starved]
// Prints "recorded N" once every call has returned, then exits (disposing the logger only with --dispose).
// With --forever it never stops by itself: it records a few thousand calls a second and prints "ack N" after
// every 100th call has returned, until killed.
// With --async-starved it limits the thread pool to two worker threads, then makes <count> concurrent calls of an
// asynchronous captured function at once and prints "recorded N" once they have all completed; with --stream as
// well, the calls are streamed chat responses of an attached IChatClient, each enumerated to its end.
// Usage: PromptLogger.TestHost attach-without-adapter <openai|anthropic|semantic-kernel>
// Attaches to a client of an SDK whose PromptLogger adapter package this program does not reference; prints what
// AttachToClient threw (exit 0), or "attached" (exit 1).
// Usage: PromptLogger.TestHost open-database <database-url>
// Creates a logger on the URL; prints the message of the ArgumentException the constructor threw (exit 0), or
// "opened URL" (exit 1). Run from a copy without PromptLogger.PostgreSql, a postgresql:// URL must name the package.
using Microsoft.Extensions.AI;
using PromptLogging;
using PromptLogging.TestHost;

if (args is ["attach-without-adapter", var family])
{
    return AttachWithoutAdapter.Run(family);
}

if (args is ["open-database", var database])
{
    return OpenDatabase.Run(database);
}

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate] [--forever]");
    return 2;
}

var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var options = new PromptLoggerOptions
{
    Database = args[0],
    Namespace = args[1],
    Durability = args.Contains("--immediate") ? Durability.Immediate : Durability.Buffered,
};
if (args.Contains("--async-starved"))
{
    // Two pool threads, fixed: a call that blocks a pool thread while it waits for the writer (which itself runs
    // on the pool) stalls every other call, and with two of them blocked nothing runs at all.
    ThreadPool.GetMinThreads(out _, out var minIo);
    ThreadPool.GetMaxThreads(out _, out var maxIo);
    if (!ThreadPool.SetMinThreads(2, minIo) || !ThreadPool.SetMaxThreads(2, maxIo))
    {
        Console.Error.WriteLine("cannot limit the thread pool to two threads");
        return 3;
    }
}

var logger = new PromptLogger(options);
if (args.Contains("--async-starved") && args.Contains("--stream"))
{
    var client = logger.AttachToClient<IChatClient>(new StreamingClient());
    var streams = new Task[count];
    for (var i = 0; i < count; i++)
    {
        var prompt = $"prompt {i}";
        streams[i] = Task.Run(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(prompt).ConfigureAwait(false))
            {
                _ = update.Text;
            }
        });
    }

    Task.WhenAll(streams).GetAwaiter().GetResult();
    Console.WriteLine($"recorded {count}");
    logger.Dispose();
    return 0;
}

if (args.Contains("--async-starved"))
{
    var generate = logger.Capture(static async prompt =>
    {
        await Task.Yield();
        return "response to " + prompt;
    });
    var calls = new Task<string>[count];
    for (var i = 0; i < count; i++)
    {
        calls[i] = generate($"prompt {i}");
    }

    Task.WhenAll(calls).GetAwaiter().GetResult();
    Console.WriteLine($"recorded {count}");
    logger.Dispose();
    return 0;
}

if (args.Contains("--forever"))
{
    for (var i = 1; ; i++)
    {
        logger.SaveInteraction($"prompt {i}", "response");
        if (i % 10 == 0)
        {
            Thread.Sleep(1); // a steady rate of a few thousand calls a second, like a busy application
        }

        if (i % 100 == 0)
        {
            Console.Out.WriteLine($"ack {i}");
            Console.Out.Flush();
        }
    }
}

for (var i = 0; i < count; i++)
{
    logger.SaveInteraction($"prompt {i} from {Environment.ProcessId}", "response " + i);
}

Console.WriteLine($"recorded {count}");
if (args.Contains("--dispose"))
{
    logger.Dispose();
}

return 0;

/// <summary>A chat client that streams three updates, asynchronously, without a network.</summary>
internal sealed class StreamingClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer")));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var word in new[] { "an", "streamed", "answer" })
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
