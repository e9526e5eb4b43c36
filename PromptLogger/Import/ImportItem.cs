using PromptLogging.Storage;

namespace PromptLogging.Import;

/// <summary>One thing an import source holds: a prompt (chat or text) or a model of the registry.</summary>
internal readonly record struct ImportItem(PromptRecord? Prompt, ModelRecord? Model)
{
    public static ImportItem Of(PromptRecord prompt) => new(prompt, null);

    public static ImportItem Of(ModelRecord model) => new(null, model);
}

/// <summary>Something in a source that is not a record and was left out: where it is, and why when that is known.</summary>
/// <param name="Where">As a person finds it: <c>line 12</c>, <c>chat prompt 1f3e…</c>.</param>
/// <param name="Why">What is wrong with it, or null when only "not a record" is known.</param>
internal readonly record struct ImportSkip(string Where, string? Why);
