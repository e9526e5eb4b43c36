namespace PromptLogging.Import;

/// <summary>What an import source is, as <see cref="ImportSource.Detect"/> finds from its first bytes.</summary>
internal enum ImportSourceKind
{
    /// <summary>A spool file: one PromptLogger record a line, as a logger writes them while its database is unavailable.</summary>
    Spool,

    /// <summary>JSONL in the seed's export format: chat, text or model lines, from <c>export</c> or the Python package.</summary>
    SeedJsonl,

    /// <summary>A SQLite database written by the Python <c>prompt-logger</c> package.</summary>
    PythonDatabase,
}
