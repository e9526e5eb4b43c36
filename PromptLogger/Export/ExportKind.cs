namespace PromptLogging.Export;

/// <summary>What an export writes.</summary>
internal enum ExportKind
{
    Models,
    ChatPrompts,
    TextPrompts,
}
