namespace PromptLogging.Interception;

/// <summary>Settings of interception: which methods count as chat calls beyond the built-in convention.</summary>
internal sealed class InterceptionOptions
{
    /// <summary>
    /// Extra method names to treat as chat calls, compared ignoring case. A name also covers its <c>Async</c>,
    /// <c>Streaming</c> and <c>StreamingAsync</c> forms. A method with such a name is recorded when its parameters carry
    /// messages or a prompt string. Empty by default.
    /// </summary>
    public ICollection<string> ChatMethodNames { get; } = new List<string>();

    /// <summary>
    /// Called when PromptLogger fails to read or record a call (the call itself is never affected). Default: none.
    /// </summary>
    /// <remarks>Must not throw; an exception it throws is ignored.</remarks>
    public Action<Exception>? RecordingFailed { get; set; }

    internal void Validate()
    {
        foreach (var name in ChatMethodNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A chat method name is empty; give method names such as \"Summarize\".", nameof(ChatMethodNames));
            }
        }
    }
}
