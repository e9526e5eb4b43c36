namespace PromptLogging.Interception;

/// <summary>What shape a captured call has, and so which export it belongs to.</summary>
internal enum CallKind
{
    /// <summary>A list of role/content messages answered by one or more completions (<c>export prompts --type chat</c>).</summary>
    Chat = 0,

    /// <summary>A prompt string answered by a response string (<c>export prompts --type text</c>).</summary>
    Text = 1,
}
