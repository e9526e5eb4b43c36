namespace PromptLogging.Interception;

/// <summary>
/// Marks a method of a custom client interface or class as a chat call to record, or, with
/// <see cref="Ignore"/>, as one not to record, when the naming convention guesses wrong.
/// </summary>
/// <remarks>
/// <para>
/// By convention PromptLogger records methods named like chat calls (<c>CompleteChat</c>, <c>GetResponseAsync</c>,
/// <c>Complete</c>, <c>Generate</c>, <c>Chat</c>, <c>Ask</c>, <c>Prompt</c>, their <c>Async</c> and
/// <c>Streaming</c> forms, and the names in <c>PromptLoggerOptions.ChatMethodNames</c>) whose parameters carry
/// messages or a prompt string. <c>[PromptLog]</c> records a method of any name that has such parameters;
/// <c>[PromptLog(Ignore = true)]</c> leaves a method alone even though its name matches.
/// </para>
/// <para>Put the attribute on the method of the type you attach to (the interface, or the class).</para>
/// </remarks>
/// <example>
/// <code>
/// public interface IAssistant
/// {
///     [PromptLog] Task&lt;string&gt; SummarizeAsync(string prompt);   // recorded although the name is not conventional
///     [PromptLog(Ignore = true)] string Ask(string cacheKey);      // not recorded although the name is
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class PromptLogAttribute : Attribute
{
    /// <summary>When <see langword="true"/>, the method is never recorded. Default <see langword="false"/>.</summary>
    public bool Ignore { get; set; }
}
