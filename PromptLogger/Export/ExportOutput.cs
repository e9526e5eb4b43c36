namespace PromptLogging.Export;

/// <summary>
/// An open export output: lines go to <see cref="Stream"/>, and <see cref="Commit"/> makes them the output. Disposing
/// an output that was not committed leaves the output as it was where that is possible (a replaced file) and removes
/// everything the export created.
/// </summary>
internal abstract class ExportOutput : IDisposable
{
    public abstract Stream Stream { get; }

    /// <summary>Makes what was written the output (a replacement file is moved into place).</summary>
    public abstract void Commit();

    public abstract void Dispose();
}
