namespace PromptLogging.Tests.Support;

/// <summary>
/// A second, real local user (<c>useradd</c>), removed on dispose: for files and folders another user created or can
/// write. Needs root on Linux; otherwise the test is skipped with a reason that starts "second-user cases need", which
/// .ci/run refuses to see (CI runs as root).
/// </summary>
public sealed class LocalUser : IDisposable
{
    private LocalUser(string name) => Name = name;

    /// <summary>The user's login name.</summary>
    public string Name { get; }

    /// <summary>Creates a user with a fresh name and no home folder, or skips the test when this machine can't.</summary>
    public static LocalUser Create()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip.Because("second-user cases need root on Linux to add a local user (CI runs as root)");
        }

        var name = "pltest" + Guid.NewGuid().ToString("N")[..8];
        var (code, output) = SmallDisk.Run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name);
        if (code != 0)
        {
            Skip.Because($"second-user cases need a local user, who could not be added here: {output}");
        }

        return new LocalUser(name);
    }

    /// <summary>Runs a program as this user (through <c>runuser</c>); returns its exit code and output.</summary>
    public (int ExitCode, string Output) Run(string program, params string[] args) =>
        SmallDisk.Run("runuser", ["-u", Name, "--", program, .. args]);

    /// <summary>Gives <paramref name="path"/> to this user (<c>chown</c>).</summary>
    public void Own(string path)
    {
        var (code, output) = SmallDisk.Run("chown", Name, path);
        Assert.That(code, Is.Zero, $"chown {Name} {path}: {output}");
    }

    public void Dispose() => SmallDisk.Run("userdel", Name);
}
