using System.Reflection;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.ChatCompletion;
using OpenAI.Chat;
using PromptLogging.Interception.Adapters;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Packaging;

/// <summary>
/// The core finds a client family's adapter package by the client's assembly, with nothing to register; when the
/// package is missing, attaching fails naming it, never passing the calls through unrecorded.
/// </summary>
[TestFixture]
public sealed class MissingAdapterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    // PromptLogger.TestHost references the OpenAI, Anthropic and Semantic Kernel SDKs but none of the adapter packages.
    [TestCase("openai", "OpenAI.Chat.ChatClient", "PromptLogger.OpenAI")]
    [TestCase("anthropic", "Anthropic.IAnthropicClient", "PromptLogger.Anthropic")]
    [TestCase("semantic-kernel", "Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService", "PromptLogger.SemanticKernel")]
    public void AttachingToAClientWhoseAdapterPackageIsMissing_FailsNamingThePackageToAdd(string family, string clientType, string package)
    {
        var host = ChildProcess.SiblingDll("PromptLogger.TestHost", "PromptLogger.TestHost");
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(host)!, package + ".dll")), Is.False, $"{package} is not beside the host");

        var (exitCode, stdout, stderr) = ChildProcess.Run(host, Timeout, "attach-without-adapter", family);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, stdout + stderr);
            Assert.That(stdout, Does.StartWith($"PromptLogger cannot attach to {clientType}:"));
            Assert.That(stdout, Does.Contain($"dotnet add package {package}"));
        });
    }

    [Test]
    public void TheAdapterOfEachFamily_IsFoundByItsClientsAssembly()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ClientAdapters.For(typeof(ChatClient).Assembly), Is.TypeOf<OpenAIAdapter>());
            Assert.That(ClientAdapters.For(typeof(System.ClientModel.ClientResult).Assembly), Is.TypeOf<OpenAIAdapter>());
            Assert.That(ClientAdapters.For(typeof(Azure.AI.OpenAI.AzureOpenAIClient).Assembly), Is.TypeOf<OpenAIAdapter>());
            Assert.That(ClientAdapters.For(typeof(IAnthropicClient).Assembly), Is.TypeOf<AnthropicAdapter>());
            Assert.That(ClientAdapters.For(typeof(IChatCompletionService).Assembly), Is.TypeOf<SemanticKernelAdapter>());
            Assert.That(ClientAdapters.For(typeof(IChatClient).Assembly), Is.Null, "Microsoft.Extensions.AI is the core's");
            Assert.That(ClientAdapters.For(Assembly.GetExecutingAssembly()), Is.Null, "an application's own interfaces need none");
        });
    }

    [TestCase("OpenAI", "PromptLogger.OpenAI")]
    [TestCase("Azure.AI.OpenAI", "PromptLogger.OpenAI")]
    [TestCase("System.ClientModel", "PromptLogger.OpenAI")]
    [TestCase("Anthropic", "PromptLogger.Anthropic")]
    [TestCase("Microsoft.SemanticKernel.Abstractions", "PromptLogger.SemanticKernel")]
    [TestCase("Microsoft.SemanticKernel.Connectors.OpenAI", "PromptLogger.SemanticKernel")]
    [TestCase("Acme.Llm", "PromptLogger.Acme.Llm")]
    [TestCase("System.Private.CoreLib", null)]
    [TestCase("Microsoft.Extensions.AI.Abstractions", null)]
    [TestCase("PromptLogger.Tests", null)]
    public void TheAdapterPackage_IsNamedByTheFamilyTable_ElsePromptLoggerDotTheAssembly(string assembly, string? package) =>
        Assert.That(ClientAdapters.PackageFor(assembly), Is.EqualTo(package));

    [Test]
    public void AnAssemblyWithoutAdapterPackage_HasNoAdapter_AndAttachingToItsTypesStillWorks()
    {
        // "PromptLogger.Acme.Llm" is nowhere: the lookup answers null (once; cached), and nothing is required of it.
        Assert.That(ClientAdapters.ForPackage("PromptLogger.Acme.Llm"), Is.Null);
        Assert.DoesNotThrow(() => ClientAdapters.Require(typeof(ICustomLlm), "client"));
    }

    public interface ICustomLlm
    {
        string Complete(string prompt);
    }
}
