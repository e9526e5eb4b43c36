using System.ClientModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Tests.Support;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace PromptLogging.Tests.Scopes;

/// <summary>
/// Scopes (<see cref="PromptLogger.BeginScope"/>) through the real OpenAI SDK and Microsoft.Extensions.AI against the
/// tests' server: what a record carries inside one, nested ones, across awaits and tasks, and out of order.
/// </summary>
public sealed class PromptScopeTests : ServerAndLoggerFixture
{
    [Test]
    public async Task ACallInsideAScope_CarriesItsConversationUserTagsAndMetadata()
    {
        var client = Logger.AttachToClient(NewChatClient());

        using (Logger.BeginScope(new PromptScope { ConversationId = "c-42", UserId = "u-7", Tags = { "checkout" }, Metadata = { ["experiment"] = "v2" } }))
        {
            await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        }

        await client.CompleteChatAsync([new UserChatMessage("outside")]);

        var lines = Database.ExportChat(Logger);
        Assert.That((string?)lines[0]["conversation_id"], Is.EqualTo("c-42"));
        Assert.That((string?)lines[0]["user_id"], Is.EqualTo("u-7"));
        Assert.That(lines[0]["tags"]!.ToJsonString(), Is.EqualTo("""["checkout"]"""));
        Assert.That(lines[0]["metadata"]!.ToJsonString(), Is.EqualTo("""{"experiment":"v2"}"""));
        Assert.That(lines[1]["user_id"], Is.Null, "a call after the scope carries nothing of it");
        Assert.That(lines[1]["tags"], Is.Null);
        Assert.That(lines[1]["metadata"], Is.Null);
    }

    [Test]
    public async Task NestedScopes_AddTagsUp_AndTheInnerIdsAndMetadataKeysWin()
    {
        var client = Logger.AttachToClient(NewChatClient());

        using (Logger.BeginScope(new PromptScope { ConversationId = "outer", UserId = "u-1", Tags = { "a", "b" }, Metadata = { ["k"] = "outer", ["only-outer"] = "1" } }))
        using (Logger.BeginScope(new PromptScope { ConversationId = "inner", Tags = { "b", "c" }, Metadata = { ["k"] = "inner" } }))
        {
            await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        }

        var line = Database.ExportChat(Logger).Single();
        Assert.That((string?)line["conversation_id"], Is.EqualTo("inner"));
        Assert.That((string?)line["user_id"], Is.EqualTo("u-1"), "an id the inner scope does not give is the outer's");
        Assert.That(line["tags"]!.ToJsonString(), Is.EqualTo("""["a","b","c"]"""));
        Assert.That(JsonNode.DeepEquals(line["metadata"], JsonNode.Parse("""{"k":"inner","only-outer":"1"}""")), Is.True, line["metadata"]!.ToJsonString());
    }

    [Test]
    public async Task AScope_FlowsIntoAwaitsAndTasksStartedInside_ButNotIntoOnesStartedBefore()
    {
        var client = Logger.AttachToClient(NewChatClient());
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startedBefore = Task.Run(async () =>
        {
            await go.Task;
            await client.CompleteChatAsync([new UserChatMessage("started before")]);
        });

        using (Logger.BeginScope(new PromptScope { Tags = { "inside" } }))
        {
            await Task.Yield();
            await Task.Run(() => client.CompleteChatAsync([new UserChatMessage("in a task")]));
            go.SetResult();
            await startedBefore;
        }

        var lines = Database.ExportChat(Logger);
        Assert.That(TagsOf(lines, "in a task"), Is.EqualTo("""["inside"]"""));
        Assert.That(TagsOf(lines, "started before"), Is.Null);
    }

    [Test]
    public async Task ScopesDisposedOutOfOrderOrTwice_AreHarmless()
    {
        var client = Logger.AttachToClient(NewChatClient());
        var outer = Logger.BeginScope(new PromptScope { Tags = { "outer" } });
        var inner = Logger.BeginScope(new PromptScope { Tags = { "inner" } });

        outer.Dispose();
        await client.CompleteChatAsync([new UserChatMessage("inner still in effect")]);
        inner.Dispose();
        inner.Dispose();
        outer.Dispose();
        await client.CompleteChatAsync([new UserChatMessage("both ended")]);

        var lines = Database.ExportChat(Logger);
        Assert.That(lines[0]["tags"]!.ToJsonString(), Is.EqualTo("""["outer","inner"]"""));
        Assert.That(lines[1]["tags"], Is.Null, "the outer scope, disposed first, ended with the inner one");
    }

    [Test]
    public async Task NullAndEmptyValues_StoreNothing()
    {
        var client = Logger.AttachToClient(NewChatClient());

        using (Logger.BeginScope(new PromptScope { ConversationId = "", UserId = null, Tags = { "", null!, "kept" }, Metadata = { ["empty"] = "", ["null"] = null, ["kept"] = "yes" } }))
        {
            await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        }

        var line = Database.ExportChat(Logger).Single();
        Assert.That(line["user_id"], Is.Null);
        Assert.That(line["tags"]!.ToJsonString(), Is.EqualTo("""["kept"]"""));
        Assert.That(line["metadata"]!.ToJsonString(), Is.EqualTo("""{"kept":"yes"}"""));
    }

    [Test]
    public async Task TenThousandTagsAndAMegabyteOfMetadata_AreStoredAndExported()
    {
        var client = Logger.AttachToClient(NewChatClient());
        var scope = new PromptScope { Metadata = { ["big"] = new string('x', 1 << 20) + "\"</script>\u2028" } };
        for (var i = 0; i < 10_000; i++)
        {
            scope.Tags.Add("tag-" + i);
        }

        using (Logger.BeginScope(scope))
        {
            await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        }

        var line = Database.ExportChat(Logger).Single();
        Assert.That(line["tags"]!.AsArray(), Has.Count.EqualTo(10_000));
        Assert.That((string?)line["tags"]![9_999], Is.EqualTo("tag-9999"));
        Assert.That((string?)line["metadata"]!["big"], Is.EqualTo(scope.Metadata["big"]));
    }

    [Test]
    public async Task TheScopeIsCopiedWhenItBegins()
    {
        var client = Logger.AttachToClient(NewChatClient());
        var scope = new PromptScope { Tags = { "first" } };

        using (Logger.BeginScope(scope))
        {
            scope.Tags.Add("added later");
            scope.ConversationId = "changed later";
            await client.CompleteChatAsync([new UserChatMessage("Hi")]);
        }

        var line = Database.ExportChat(Logger).Single();
        Assert.That(line["tags"]!.ToJsonString(), Is.EqualTo("""["first"]"""));
        Assert.That((string?)line["conversation_id"], Is.Not.EqualTo("changed later"));
    }

    [Test]
    public async Task TheCallsOwnConversationAndUser_WinOverTheScopes()
    {
        var chat = Logger.AttachToClient(NewChatClient());
        var ai = Logger.AttachToClient(NewChatClient().AsIChatClient());

        using (Logger.BeginScope(new PromptScope { ConversationId = "scope", UserId = "scope-user" }))
        {
            await chat.CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { EndUserId = "end-user" });
            await ai.GetResponseAsync([new AIChatMessage(ChatRole.User, "Hi")], new ChatOptions { ConversationId = "options" });
        }

        var lines = Database.ExportChat(Logger);
        Assert.That((string?)lines[0]["user_id"], Is.EqualTo("end-user"));
        Assert.That((string?)lines[0]["conversation_id"], Is.EqualTo("scope"));
        Assert.That((string?)lines[1]["conversation_id"], Is.EqualTo("options"));
        Assert.That((string?)lines[1]["user_id"], Is.EqualTo("scope-user"));
    }

    [Test]
    public async Task APipelinesOwnTagsAndMetadata_AreStoredWithEachCall_AndAScopeWinsForAKey()
    {
        var client = new ChatClientBuilder(NewChatClient().AsIChatClient())
            .UsePromptLogger(Logger, c =>
            {
                c.Tags.Add("pipeline");
                c.Metadata["source"] = "pipeline";
                c.Metadata["team"] = "search";
            })
            .Build();

        await client.GetResponseAsync([new AIChatMessage(ChatRole.User, "no scope")]);
        using (Logger.BeginScope(new PromptScope { Tags = { "scoped" }, Metadata = { ["source"] = "scope" } }))
        {
            await client.GetResponseAsync([new AIChatMessage(ChatRole.User, "in a scope")]);
        }

        var lines = Database.ExportChat(Logger);
        Assert.That(lines[0]["tags"]!.ToJsonString(), Is.EqualTo("""["pipeline"]"""));
        Assert.That(JsonNode.DeepEquals(lines[0]["metadata"], JsonNode.Parse("""{"source":"pipeline","team":"search"}""")), Is.True);
        Assert.That(lines[1]["tags"]!.ToJsonString(), Is.EqualTo("""["pipeline","scoped"]"""));
        Assert.That(JsonNode.DeepEquals(lines[1]["metadata"], JsonNode.Parse("""{"source":"scope","team":"search"}""")), Is.True);
    }

    [Test]
    public void BeginScope_WithNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Logger.BeginScope(null!));
    }

    private static string? TagsOf(List<JsonObject> lines, string userText) =>
        lines.Single(l => (string?)l["messages"]![0]!["content"] == userText)["tags"]?.ToJsonString();

    private ChatClient NewChatClient() =>
        new("gpt-4.1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = Server.Endpoint });
}
