namespace PromptLogging.Recording;

/// <summary>What of a call's text is stored: everything, redacted, or nothing but metadata.</summary>
internal sealed class ContentPolicy
{
    private readonly bool _redactSecrets;
    private readonly Func<string, string>? _redact;

    public ContentPolicy(bool storeContent, bool redactSecrets, Func<string, string>? redact)
    {
        StoreContent = storeContent;
        _redactSecrets = redactSecrets;
        _redact = redact;
    }

    public static ContentPolicy Default { get; } = new(storeContent: true, redactSecrets: true, redact: null);

    /// <summary>False: messages, completions, prompts, responses and tool arguments are left out.</summary>
    public bool StoreContent { get; }

    /// <summary>The text as it may be stored: null when content is not stored, otherwise redacted.</summary>
    public string? Content(string? text) => StoreContent ? Filter(text) : null;

    /// <summary>Text stored when content is (tool arguments), redacted.</summary>
    public string? Filter(string? text) => Filter(text, _redactSecrets);

    /// <summary>
    /// An error message, stored even in metadata-only mode: always passed through the built-in redaction, even when
    /// <c>RedactSecrets</c> is off (that option keeps content verbatim; an error is not content, and a provider's
    /// error may echo the caller's API key), then through the user's own step.
    /// </summary>
    public string? Error(string? text) => Filter(text, redactSecrets: true);

    private string? Filter(string? text, bool redactSecrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (redactSecrets)
        {
            text = SecretRedactor.Redact(text);
        }

        return _redact is null ? text : _redact(text);
    }
}
