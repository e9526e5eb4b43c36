namespace PromptLogging;

/// <summary>
/// Who and what the calls made inside a scope are for: a conversation, an end user, tags and metadata, stored with
/// every record those calls make (<c>conversation_id</c>, <c>user_id</c>, <c>tags</c>, <c>metadata</c>). Begin one with
/// <see cref="PromptLogger.BeginScope"/>.
/// </summary>
/// <remarks>
/// Null or empty values store nothing: an empty id, an empty tag, a metadata entry whose value is null or empty.
/// The scope's values are copied when it begins: changing this object afterwards changes nothing.
/// </remarks>
/// <example>
/// <code>
/// using (logger.BeginScope(new PromptScope { ConversationId = "c-42", UserId = "u-7", Tags = { "checkout" }, Metadata = { ["experiment"] = "v2" } }))
/// {
///     await client.CompleteChatAsync(messages);   // recorded with the scope's fields
/// }
/// </code>
/// </example>
public sealed class PromptScope
{
    /// <summary>The conversation (thread) the calls belong to; when none is given, PromptLogger infers it from the messages.</summary>
    public string? ConversationId { get; set; }

    /// <summary>The end user on whose behalf the calls are made.</summary>
    public string? UserId { get; set; }

    /// <summary>Labels to store with each call; nested scopes add theirs to the outer scopes' (each tag once).</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>String keys and values to store with each call; a key of an inner scope wins over the same key of an outer one.</summary>
    public IDictionary<string, string?> Metadata { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);
}
