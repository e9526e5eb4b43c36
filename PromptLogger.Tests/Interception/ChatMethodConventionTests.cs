using System.Reflection;
using Microsoft.Extensions.AI;
using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Interception;

/// <summary>Which methods count as chat calls, decided once per method.</summary>
public sealed class ChatMethodConventionTests
{
    private static readonly ChatMethodConvention Default = ChatMethodConvention.For(null);

    [Test]
    public void Find_OnTheOpenAIChatClient_RecognisesTheFourChatMethodsInBothOverloadsAndTheProtocolMethodsAndNothingElse()
    {
        var chatMethods = typeof(OpenAI.Chat.ChatClient).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(static m => Default.Find(m) is not null)
            .Select(static m => $"{m.Name}({m.GetParameters()[0].ParameterType.Name})")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(chatMethods, Is.EqualTo(new[]
        {
            "CompleteChat(BinaryContent)", "CompleteChat(ChatMessage[])", "CompleteChat(IEnumerable`1)",
            "CompleteChatAsync(BinaryContent)", "CompleteChatAsync(ChatMessage[])", "CompleteChatAsync(IEnumerable`1)",
            "CompleteChatStreaming(ChatMessage[])", "CompleteChatStreaming(IEnumerable`1)",
            "CompleteChatStreamingAsync(ChatMessage[])", "CompleteChatStreamingAsync(IEnumerable`1)",
        }), "the protocol overloads (BinaryContent, RequestOptions) are chat calls; GetChatCompletion and the rest are not");
    }

    [Test]
    public void Find_OnIChatClient_RecognisesGetResponseAsyncAndGetStreamingResponseAsyncOnly()
    {
        var chatMethods = typeof(IChatClient).GetMethods().Where(static m => Default.Find(m) is not null).Select(static m => m.Name);

        Assert.That(chatMethods, Is.EquivalentTo(new[] { nameof(IChatClient.GetResponseAsync), nameof(IChatClient.GetStreamingResponseAsync) }));
    }

    [TestCase(nameof(ITextModel.Complete), nameof(ReturnShape.Value), nameof(CallKind.Text))]
    [TestCase(nameof(ITextModel.GenerateAsync), nameof(ReturnShape.Task), nameof(CallKind.Text))]
    [TestCase(nameof(ITextModel.AskAsync), nameof(ReturnShape.ValueTask), nameof(CallKind.Text))]
    [TestCase(nameof(ITextModel.GenerateStreamingAsync), nameof(ReturnShape.AsyncEnumerable), nameof(CallKind.Text))]
    [TestCase(nameof(ITextModel.CompleteStreaming), nameof(ReturnShape.Enumerable), nameof(CallKind.Text))]
    [TestCase(nameof(ITextModel.Summarize), nameof(ReturnShape.Value), nameof(CallKind.Text))]
    public void Find_OnACustomTextInterface_PlansTheShapeAndKind(string name, string shape, string kind)
    {
        var plan = Default.Find(typeof(ITextModel).GetMethod(name)!);

        Assert.That(plan, Is.Not.Null);
        Assert.That(plan!.Shape.ToString(), Is.EqualTo(shape));
        Assert.That(plan.Reader.Kind, Is.EqualTo(Enum.Parse<CallKind>(kind)));
    }

    [TestCase(nameof(ITextModel.CountTokens), TestName = "Find_OnAnUnconventionalName_IsNotAChatCall")]
    [TestCase(nameof(ITextModel.Prompt), TestName = "Find_OnAMethodOptedOutWithTheAttribute_IsNotAChatCall")]
    [TestCase(nameof(ITextModel.Translate), TestName = "Find_OnANameNotInTheOptions_IsNotAChatCall")]
    [TestCase("get_" + nameof(ITextModel.Name), TestName = "Find_OnAPropertyGetter_IsNotAChatCall")]
    public void Find_OnANonChatMethod_ReturnsNull(string name) =>
        Assert.That(Default.Find(typeof(ITextModel).GetMethod(name)!), Is.Null);

    [Test]
    public void Find_OnANameAddedThroughOptions_IsAChatCallInAnyCaseAndForm()
    {
        var convention = ChatMethodConvention.For(["translate"]);

        Assert.That(convention.Find(typeof(ITextModel).GetMethod(nameof(ITextModel.Translate))!), Is.Not.Null);
        Assert.That(convention.IsChatName("TranslateStreamingAsync"), Is.True);
    }

    [Test]
    public void Find_OnMessageLikeParameters_PlansAChatCall()
    {
        var plan = Default.Find(typeof(IChatModel).GetMethod(nameof(IChatModel.ChatAsync))!);

        Assert.That(plan?.Reader.Kind, Is.EqualTo(CallKind.Chat));
    }

    [Test]
    public void Find_TheSameMethodTwice_ReturnsTheCachedPlan()
    {
        var method = typeof(ITextModel).GetMethod(nameof(ITextModel.Complete))!;

        var first = Default.Find(method);
        var second = Default.Find(method);

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public void For_TheSameExtraNamesInAnyOrderOrCase_ReturnsTheSameConvention()
    {
        Assert.That(ChatMethodConvention.For(["Summarize", "Translate"]), Is.SameAs(ChatMethodConvention.For(["translate", "SUMMARIZE"])));
        Assert.That(ChatMethodConvention.For(["Translate"]), Is.Not.SameAs(Default));
    }

    [TestCase("CompleteChatStreamingAsync", ExpectedResult = "CompleteChat")]
    [TestCase("GetResponseAsync", ExpectedResult = "GetResponse")]
    [TestCase("GenerateStream", ExpectedResult = "Generate")]
    [TestCase("Async", ExpectedResult = "Async")]
    [TestCase("Ask", ExpectedResult = "Ask")]
    public string Stem_RemovesAsyncThenStreamingSuffixes(string name) => ChatMethodNames.Stem(name);
}
