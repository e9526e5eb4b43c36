using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Interception;
using PromptLogging.ChatClients;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Conventions;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// The clients every overhead figure compares, all making the same 2-message chat call with options and getting a
/// canned answer: a direct <see cref="IChatClient"/>; the same attached through PromptLogger (the PromptLoggingChatClient it returns); wrapped
/// by Microsoft.Extensions.AI's OpenTelemetry (sensitive data, sampled listener) and logging (Trace) middleware; and
/// the OpenAI SDK's <see cref="ChatClient"/> on an in-process transport, directly and attached (Castle). The logger
/// behind the proxies stores into a real SQLite file.
/// </summary>
internal sealed class OverheadClients : IDisposable
{
    private static readonly ChatMessage[] Messages = SampleCalls.Messages;

    private static readonly OpenAIChatMessage[] OpenAIMessages =
    [
        new SystemChatMessage("You are a helpful assistant."),
        new UserChatMessage("What is the weather today?"),
    ];

    private static readonly ChatOptions Options = SampleCalls.Options;
    private static readonly ChatCompletionOptions OpenAIOptions = new() { MaxOutputTokenCount = 50, Temperature = 0.2f };

    private readonly string _database;
    private readonly IChatClient _direct;
    private readonly IChatClient _attached;
    private readonly IChatClient _openTelemetry;
    private readonly IChatClient _logging;
    private readonly ChatClient _openAIDirect;
    private readonly ChatClient _openAICastle;
    private readonly IChatClient _attachedCaptureOnly;
    private readonly ChatClient _openAICastleCaptureOnly;
    private readonly ActivityListener _listener;

    public OverheadClients(int queueCapacity = 100_000)
    {
        _database = Measure.TempDatabase("overhead.db");
        Logger = new PromptLogger(new PromptLoggerOptions { Namespace = "bench", Database = "sqlite:///" + _database, QueueCapacity = queueCapacity });
        _direct = new CannedChatClient();
        _attached = Logger.AttachToClient(_direct);

        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        _openTelemetry = _direct.AsBuilder().UseOpenTelemetry(sourceName: "bench", configure: c => c.EnableSensitiveData = true).Build();
        _logging = _direct.AsBuilder().UseLogging(LoggerFactory.Create(b => b.AddProvider(new DiscardingLoggerProvider()).SetMinimumLevel(LogLevel.Trace))).Build();

        var transport = new HttpClientPipelineTransport(new HttpClient(new CannedOpenAIHandler()));
        _openAIDirect = new ChatClient("gpt-4.1", new ApiKeyCredential("bench"), new OpenAIClientOptions { Transport = transport });
        _openAICastle = Logger.AttachToClient(new ChatClient("gpt-4.1", new ApiKeyCredential("bench"), new OpenAIClientOptions { Transport = transport }));

        // The same proxies reporting to a sink that drops every call: what the caller's thread does, with no writer
        // running beside it on the second core.
        var discard = new DiscardingSink();
        _attachedCaptureOnly = new PromptLoggingChatClient(_direct, Logger, new ProxiedClient(_direct, ChatMethodConvention.For(null), new ScopedDiscardingSink(Logger), null));
        _openAICastleCaptureOnly = ClientProxyFactory.Create(new ChatClient("gpt-4.1", new ApiKeyCredential("bench"), new OpenAIClientOptions { Transport = transport }), discard);
    }

    public PromptLogger Logger { get; }

    public Task<ChatResponse> Direct() => _direct.GetResponseAsync(Messages, Options);

    public Task<ChatResponse> AttachedIChatClient() => _attached.GetResponseAsync(Messages, Options);

    public Task<ChatResponse> OpenTelemetry() => _openTelemetry.GetResponseAsync(Messages, Options);

    public Task<ChatResponse> Logging() => _logging.GetResponseAsync(Messages, Options);

    public ClientResult<ChatCompletion> OpenAIDirect() => _openAIDirect.CompleteChat(OpenAIMessages, OpenAIOptions);

    public ClientResult<ChatCompletion> OpenAICastle() => _openAICastle.CompleteChat(OpenAIMessages, OpenAIOptions);

    public Task<ChatResponse> AttachedIChatClientCaptureOnly() => _attachedCaptureOnly.GetResponseAsync(Messages, Options);

    /// <summary>The capture-only call, each in a scope of its own (a conversation, a user, two tags): what a scope costs, begun and ended per call.</summary>
    public Task<ChatResponse> AttachedIChatClientCaptureOnlyInAScope()
    {
        using (Logger.BeginScope(new PromptScope { ConversationId = "c-42", UserId = "u-7", Tags = { "checkout", "v2" } }))
        {
            return _attachedCaptureOnly.GetResponseAsync(Messages, Options);
        }
    }

    public ClientResult<ChatCompletion> OpenAICastleCaptureOnly() => _openAICastleCaptureOnly.CompleteChat(OpenAIMessages, OpenAIOptions);

    public void Dispose()
    {
        Logger.Dispose();
        _listener.Dispose();
        Measure.DeleteDatabase(_database);
    }

    /// <summary>Takes captured calls and drops them unread.</summary>
    private sealed class DiscardingSink : ICapturedCallSink
    {
        public bool RecordingMayWait => false;

        public PromptLogging.Interception.Streams.LiveStreams? LiveStreams => null;

        public CallContext? Context => null;

        public void Record(CapturedCall call)
        {
        }

        public ValueTask RecordAsync(CapturedCall call) => ValueTask.CompletedTask;
    }

    /// <summary>Drops every call, but reads the logger's scope as the logger's own sink does.</summary>
    private sealed class ScopedDiscardingSink(PromptLogger logger) : ICapturedCallSink
    {
        public bool RecordingMayWait => false;

        public PromptLogging.Interception.Streams.LiveStreams? LiveStreams => null;

        public CallContext? Context => logger.CurrentScope;

        public void Record(CapturedCall call)
        {
        }

        public ValueTask RecordAsync(CapturedCall call) => ValueTask.CompletedTask;
    }

    /// <summary>Enabled at every level, writes nowhere: the cost measured is building the messages.</summary>
    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new DiscardingLogger();

        public void Dispose()
        {
        }

        private sealed class DiscardingLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                formatter(state, exception);
        }
    }
}
