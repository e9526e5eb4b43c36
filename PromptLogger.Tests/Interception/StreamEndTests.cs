using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// Streams end honestly: <c>stream_end</c> says whether the caller read to the end, stopped early (or dropped the
/// enumerator), cancelled, or the stream failed — on every streaming path, and on both stores.
/// </summary>
[TestFixtureSource(typeof(StoreKinds), nameof(StoreKinds.All))]
public sealed class StreamEndTests(StoreKind kind)
{
    public enum StreamPath
    {
        /// <summary>The OpenAI SDK's <c>CompleteChatStreaming</c> (a <c>CollectionResult</c>).</summary>
        SdkStreaming,

        /// <summary>The OpenAI SDK's <c>CompleteChatStreamingAsync</c> (an <c>AsyncCollectionResult</c>).</summary>
        SdkStreamingAsync,

        /// <summary><c>AsIChatClient()</c> over the attached <c>ChatClient</c>: a streamed protocol reply, seen as bytes.</summary>
        Bridge,

        /// <summary>An attached Microsoft.Extensions.AI <c>IChatClient</c>.</summary>
        ChatClient,
    }

    public enum AsyncStreamPath
    {
        SdkStreamingAsync,
        Bridge,
        ChatClient,
    }

    private OpenAICompatibleServer _server = null!;
    private TestStore _store = null!;
    private PromptLogger _logger = null!;
    private TaskCompletionSource _release = null!;

    [SetUp]
    public void SetUp()
    {
        _store = TestStore.Create(kind);
        _server = OpenAICompatibleServer.Start();
        _server.ReplyContent = "abcdefghi";
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _logger = new PromptLogger("default", _store.Url);
    }

    [TearDown]
    public void TearDown()
    {
        _release?.TrySetResult();
        _logger?.Dispose();
        _server?.Dispose();
        _store?.Dispose();
    }

    [Test]
    public async Task ReadToTheEnd_IsCompleted([Values] StreamPath path)
    {
        var text = await ReadAsync(path, stopAfterFirstContent: false);

        Assert.That(text, Is.EqualTo("abcdefghi"));
        var line = ExportSingle();
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("completed"));
        Assert.That(_logger.LiveStreams.Count, Is.Zero, "an ended stream leaves the registry");
    }

    [Test]
    public async Task StoppedAfterTheFirstContent_IsAbandoned([Values] StreamPath path)
    {
        // The server holds the rest: the caller leaves while the reply is still coming.
        _server.HoldStreamAfterFirstChunk = _release.Task;

        var text = await ReadAsync(path, stopAfterFirstContent: true);

        Assert.That(text, Is.EqualTo("abc"));
        var line = ExportSingle();
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("abandoned"));
        Assert.That(line.GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo("abc"), "what was seen is kept");
        Assert.That(_logger.LiveStreams.Count, Is.Zero);
    }

    [Test]
    public async Task CancelledByTheCallersToken_IsCancelled([Values] AsyncStreamPath path)
    {
        _server.HoldStreamAfterFirstChunk = _release.Task;
        using var cancellation = new CancellationTokenSource();
        var updates = Updates(path, cancellation.Token);
        var seen = new System.Text.StringBuilder();

        var exception = Assert.CatchAsync(async () =>
        {
            await foreach (var text in updates)
            {
                seen.Append(text);
                if (text.Length > 0)
                {
                    // The next read waits for the held rest: the token stops it.
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.That(exception, Is.InstanceOf<OperationCanceledException>(), "the caller gets the cancellation unchanged");
        Assert.That(seen.ToString(), Is.EqualTo("abc"));
        var line = ExportSingle();
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("cancelled"));
        if (path != AsyncStreamPath.Bridge)
        {
            // Under the bridge only the reply's bytes are seen: its end by the token, not the exception the caller got.
            Assert.That(line.GetProperty("error").GetString(), Does.Contain("Cancel"));
        }
    }

    [Test]
    public async Task BrokenMidStream_IsFailed([Values] StreamPath path)
    {
        _server.Mode = ServerMode.FailMidStream;

        var exception = Assert.CatchAsync(() => ReadAsync(path, stopAfterFirstContent: false));

        Assert.That(exception, Is.Not.InstanceOf<OperationCanceledException>());
        var line = ExportSingle();
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("failed"));
        Assert.That(line.TryGetProperty("error", out _), Is.True);
        await Task.CompletedTask;
    }

    [Test]
    public void DroppedWithoutDisposal_IsRecordedAsAbandonedAtTheNextFlush([Values] StreamPath path)
    {
        _server.HoldStreamAfterFirstChunk = _release.Task;

        DropOnAThreadOfItsOwn(path);
        Collect();

        Assert.That(_logger.Diagnostics.Recorded, Is.Zero, "nothing ended the stream: it is not recorded yet");
        Assert.That(_logger.LiveStreams.Count, Is.EqualTo(1));
        FlushUntilTheDroppedStreamIsSwept();
        var line = ExportSingle();
        Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("abandoned"));
        Assert.That(line.GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo("abc"));
        Assert.That(_logger.LiveStreams.Count, Is.Zero);
    }

    [Test]
    public async Task StillRunningWhenTheLoggerIsDisposed_IsRecordedAsAbandoned()
    {
        _server.HoldStreamAfterFirstChunk = _release.Task;
        var client = _logger.AttachToClient(NewClient());
        var enumerator = client.CompleteChatStreamingAsync(new UserChatMessage("Hi")).GetAsyncEnumerator();
        while (await enumerator.MoveNextAsync() && TextOf(enumerator.Current).Length == 0)
        {
        }

        _logger.Dispose();

        using (var reader = new PromptLogger("default", _store.Url))
        {
            var file = _store.Temp.File("after.jsonl");
            reader.ExportChatPrompts(file);
            var line = Jsonl.Read(file).Single();
            Assert.That(line.GetProperty("stream_end").GetString(), Is.EqualTo("abandoned"));
            Assert.That(line.GetProperty("completions")[0].GetProperty("content").GetString(), Is.EqualTo("abc"));
        }

        // The caller may still finish with it: nothing is recorded twice, nothing throws.
        _release.TrySetResult();
        await enumerator.DisposeAsync();
    }

    [Test]
    public void ManyDroppedStreams_AreSweptAsNewOnesStart_WithoutAFlush()
    {
        // A program that never flushes must not keep every dropped stream (and its text) for ever.
        for (var i = 0; i < 70; i++)
        {
            DropOnAThreadOfItsOwn(StreamPath.SdkStreamingAsync);
            if (i % 10 == 9)
            {
                Collect();
            }
        }

        Assert.That(_logger.LiveStreams.Count, Is.LessThan(70));
        Assert.That(_logger.Diagnostics.Recorded, Is.GreaterThan(0), "the swept ones were recorded as they went");
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    // On the async paths the last continuation of the dropping thread's read ran on a thread-pool thread, which
    // signals the dropping thread before it has unwound the frames (the enumerators' MoveNext) that still reach the
    // stream; a collection in that window keeps the stream alive, and a single Flush finds nothing to sweep (seen
    // under the load of the full suite). Flush — the sweep under test — until the stream is swept, for up to 10 s.
    private void FlushUntilTheDroppedStreamIsSwept()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Collect();
            _logger.Flush();
            if (_logger.Diagnostics.Recorded > 0 || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                return;
            }

            Thread.Sleep(10);
        }
    }

    // On a thread of its own, which ends: no frame of the test's (kept alive to its end in a Debug build) reaches the stream.
    private void DropOnAThreadOfItsOwn(StreamPath path)
    {
        var thread = new Thread(() => ReadFirstContentThenDropAsync(path).GetAwaiter().GetResult());
        thread.Start();
        thread.Join();
    }

    // Not inlined, and the enumerator never leaves it: once it returns, nothing the test holds reaches the stream.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task ReadFirstContentThenDropAsync(StreamPath path)
    {
        switch (path)
        {
            case StreamPath.SdkStreaming:
                DropSync(_logger.AttachToClient(NewClient()));
                break;
            case StreamPath.SdkStreamingAsync:
            {
                var enumerator = _logger.AttachToClient(NewClient()).CompleteChatStreamingAsync(new UserChatMessage("Hi")).GetAsyncEnumerator();
                while (await enumerator.MoveNextAsync() && TextOf(enumerator.Current).Length == 0)
                {
                }

                break;
            }

            default:
            {
                var enumerator = AIClient(path).GetStreamingResponseAsync("Hi").GetAsyncEnumerator();
                while (await enumerator.MoveNextAsync() && enumerator.Current.Text.Length == 0)
                {
                }

                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropSync(ChatClient client)
    {
        var enumerator = client.CompleteChatStreaming(new UserChatMessage("Hi")).GetEnumerator();
        while (enumerator.MoveNext() && TextOf(enumerator.Current).Length == 0)
        {
        }
    }

    private static string TextOf(StreamingChatCompletionUpdate update) => string.Concat(update.ContentUpdate.Select(static p => p.Text));

    private async Task<string> ReadAsync(StreamPath path, bool stopAfterFirstContent)
    {
        var text = new System.Text.StringBuilder();
        if (path == StreamPath.SdkStreaming)
        {
            foreach (var update in _logger.AttachToClient(NewClient()).CompleteChatStreaming(new UserChatMessage("Hi")))
            {
                text.Append(string.Concat(update.ContentUpdate.Select(static p => p.Text)));
                if (stopAfterFirstContent && text.Length > 0)
                {
                    break;
                }
            }

            return text.ToString();
        }

        await foreach (var piece in Updates(path switch
        {
            StreamPath.SdkStreamingAsync => AsyncStreamPath.SdkStreamingAsync,
            StreamPath.Bridge => AsyncStreamPath.Bridge,
            _ => AsyncStreamPath.ChatClient,
        }, CancellationToken.None))
        {
            text.Append(piece);
            if (stopAfterFirstContent && text.Length > 0)
            {
                break;
            }
        }

        return text.ToString();
    }

    // The text of each update, as the caller of each path reads it.
    private async IAsyncEnumerable<string> Updates(AsyncStreamPath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path == AsyncStreamPath.SdkStreamingAsync)
        {
            await foreach (var update in _logger.AttachToClient(NewClient()).CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: cancellationToken))
            {
                yield return string.Concat(update.ContentUpdate.Select(static p => p.Text));
            }

            yield break;
        }

        await foreach (var update in AIClient(path == AsyncStreamPath.Bridge ? StreamPath.Bridge : StreamPath.ChatClient).GetStreamingResponseAsync("Hi", cancellationToken: cancellationToken))
        {
            yield return update.Text;
        }
    }

    private IChatClient AIClient(StreamPath path) =>
        path == StreamPath.Bridge ? _logger.AttachToClient(NewClient()).AsIChatClient() : _logger.AttachToClient(NewClient().AsIChatClient());

    private JsonElement ExportSingle()
    {
        var file = _store.Temp.File(Guid.NewGuid().ToString("N") + ".jsonl");
        _logger.ExportChatPrompts(file);
        return Jsonl.Read(file).Single();
    }

    private ChatClient NewClient() => new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions
    {
        Endpoint = _server.Endpoint,
        RetryPolicy = new ClientRetryPolicy(0),
    });
}
