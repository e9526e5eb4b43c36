namespace PromptLogging.Storage.Search;

/// <summary>One prompt a search found, best first.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Model">The model it asked for, if any.</param>
/// <param name="InferenceOn">When it was made, seconds since the Unix epoch.</param>
/// <param name="Snippet">
/// The best matching fragment of its text, each matching word between <see cref="MatchStart"/> and
/// <see cref="MatchEnd"/>; the text is as stored (untrusted: escape it before it reaches a terminal or a page).
/// </param>
internal sealed record SearchHit(string Id, string Namespace, string? Model, double InferenceOn, string Snippet)
{
    /// <summary>Opens a matching word in <see cref="Snippet"/>.</summary>
    public const char MatchStart = '\u0002';

    /// <summary>Closes a matching word in <see cref="Snippet"/>.</summary>
    public const char MatchEnd = '\u0003';
}
