namespace PromptLogging.Tests.Support;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() =>
        Path = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "promptlogger-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside this folder; nothing is created.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>An absolute database URL for <paramref name="name"/> inside this folder.</summary>
    public string DatabaseUrl(string name) => "sqlite:///" + File(name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
