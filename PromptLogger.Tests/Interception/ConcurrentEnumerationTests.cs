using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Testing;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>
/// One streamed result of the OpenAI SDK enumerated twice at the same time: each enumeration sends the request again
/// and is a call of its own, recorded with its own updates.
/// </summary>
public sealed class ConcurrentEnumerationTests : ServerAndLoggerFixture
{
    [Test]
    public async Task CompleteChatStreamingAsync_TwoEnumerationsAtOnce_EachRecordTheirOwnUpdates()
    {
        var client = Logger.AttachToClient(NewClient());
        var result = client.CompleteChatStreamingAsync([new UserChatMessage("Hi")]);

        // Both enumerations send their request before either reply arrives.
        var first = result.GetAsyncEnumerator();
        var second = result.GetAsyncEnumerator();
        var firstMoved = first.MoveNextAsync().AsTask();
        var secondMoved = second.MoveNextAsync().AsTask();
        await Task.WhenAll(firstMoved, secondMoved);
        var texts = await Task.WhenAll(DrainAsync(first, firstMoved.Result), DrainAsync(second, secondMoved.Result));

        Assert.That(texts, Is.All.EqualTo("It's sunny!"), "the caller's updates are untouched");
        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines.Select(l => (string?)l["completions"]?[0]?["content"]), Is.All.EqualTo("It's sunny!"), "each record has its own enumeration's text, once");
        Assert.That(lines.Select(l => (string?)l["stream_end"]), Is.All.EqualTo("completed"));
    }

    [Test]
    public async Task CompleteChatStreaming_TwoEnumerationsOnTwoThreadsAtOnce_EachRecordTheirOwnUpdates()
    {
        // The server holds each reply for a while, so the second enumeration starts while the first waits for its reply.
        Server.Mode = ServerMode.Slow;
        Server.SlowDelay = TimeSpan.FromSeconds(1);
        var client = Logger.AttachToClient(NewClient());
        var result = client.CompleteChatStreaming([new UserChatMessage("Hi")]);

        var first = Task.Run(() => Drain(result));
        Assert.That(SpinWait.SpinUntil(() => Server.RequestCount == 1, TimeSpan.FromSeconds(30)), Is.True);
        var second = Drain(result);

        Assert.That(new[] { await first, second }, Is.All.EqualTo("It's sunny!"));
        var lines = Database.ExportChat(Logger);
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines.Select(l => (string?)l["completions"]?[0]?["content"]), Is.All.EqualTo("It's sunny!"));
    }

    private static async Task<string> DrainAsync(IAsyncEnumerator<StreamingChatCompletionUpdate> updates, bool moved)
    {
        var text = string.Empty;
        await using (updates)
        {
            while (moved)
            {
                text += string.Concat(updates.Current.ContentUpdate.Select(static p => p.Text));
                moved = await updates.MoveNextAsync();
            }
        }

        return text;
    }

    private static string Drain(CollectionResult<StreamingChatCompletionUpdate> updates) =>
        string.Concat(updates.SelectMany(static u => u.ContentUpdate).Select(static p => p.Text));

    private ChatClient NewClient() =>
        new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint });
}
