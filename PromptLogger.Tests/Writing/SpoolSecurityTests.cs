using Dapper;
using Microsoft.Data.Sqlite;
using PromptLogging.Storage;
using PromptLogging.Tests.Support;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Writing;

/// <summary>
/// Spool folders and files that another user can touch, with a real second local user (<see cref="LocalUser"/>) in a
/// shared, world-writable folder like <c>/tmp</c>: nothing they plant is replayed, nothing of ours goes where they
/// point, and what is refused is reported.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // SetUp skips elsewhere.
[NonParallelizable] // Points XDG_STATE_HOME and TMPDIR, which are the process's, at a folder of the test.
public sealed class SpoolSecurityTests
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private string? _stateHome;
    private string? _tmpDir;
    private TempFolder _temp = null!;
    private string _shared = null!;

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("checks Unix owners, modes and links as Linux reports them");
        }

        _stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        _tmpDir = Environment.GetEnvironmentVariable("TMPDIR");
        _temp = new TempFolder();

        // A shared folder like /tmp: everyone may create entries in it, only an entry's owner may remove it.
        _shared = Path.Combine(Path.GetTempPath(), "promptlogger-shared-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_shared);
        File.SetUnixFileMode(_shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", _shared);
        Environment.SetEnvironmentVariable("TMPDIR", _shared);
    }

    [TearDown]
    public void TearDown()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Environment.SetEnvironmentVariable("XDG_STATE_HOME", _stateHome);
        Environment.SetEnvironmentVariable("TMPDIR", _tmpDir);
        Directory.Delete(_shared, recursive: true);
        _temp.Dispose();
    }

    [Test]
    public void ASpoolFolderAnotherUserCreated_IsNotUsed_AndTheLoggerSaysWhy()
    {
        using var attacker = LocalUser.Create();
        var url = $"postgresql://someone:hunter2@127.0.0.1:9/pl_{Guid.NewGuid():N}?connect_timeout=2";
        var folder = Path.GetDirectoryName(PostgresStore.SpoolPathFor(DatabaseUrl.Parse(url).Server!))!;
        MakeFoldersAs(attacker, folder);
        var log = new ListLogger();

        using (var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = url, Logger = log }))
        {
            logger.SaveInteraction("confidential prompt", "r");
            logger.Flush();
            Assert.That(logger.Diagnostics.Spooled, Is.Zero, "nothing spooled into the other user's folder");
        }

        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
        Assert.That(log.Lines, Has.Some.Contain($"will not spool records in {Path.GetDirectoryName(folder)}").And.Contain("belongs to user"));
        Assert.That(log.Lines, Has.All.Not.Contain("hunter2"));
    }

    [Test]
    public void RecordsAnotherUserPlantedInAServerSpoolFolder_AreNotReplayed()
    {
        using var attacker = LocalUser.Create();
        var spoolPath = PostgresStore.SpoolPathFor(DatabaseUrl.Parse($"postgresql://app@db.example/pl_{Guid.NewGuid():N}").Server!);
        var folder = Path.GetDirectoryName(spoolPath)!;
        MakeFoldersAs(attacker, folder);
        var planted = PlantAs(attacker, spoolPath + ".spool-1-planted.jsonl", "planted by another user");
        var log = new ListLogger();
        var spool = new Spool(spoolPath, log);
        var inserted = new List<PromptRecord>();

        Assert.That(spool.HasPending, Is.False);
        Assert.That(spool.Replay(inserted.AddRange, batchSize: 100), Is.Zero);

        Assert.That(inserted, Is.Empty);
        Assert.That(File.ReadAllText(planted), Does.Contain("planted by another user"), "left where it was");
        Assert.That(log.Lines, Has.Some.Contain("will not spool records in").And.Contain("belongs to user"));
    }

    [Test]
    public void RecordsAnotherUserPlantedBesideASqliteDatabase_AreNotReplayed_AndTheFileIsReported()
    {
        using var attacker = LocalUser.Create();
        // The database sits in the shared sticky folder: others may add files beside it, not replace ours.
        var database = Path.Combine(_shared, "prompts.db");
        var url = "sqlite:///" + database;
        SampleDatabase.Create(url, logger => logger.SaveInteraction("mine before", "r"), "ns");
        var planted = PlantAs(attacker, database + ".spool-1-planted.jsonl", "planted by another user");
        var plantedBytes = File.ReadAllBytes(planted);
        // Ours by owner, but anyone could have written into it.
        var writable = SampleSpool.Write(database, SampleSpool.TextRecords("ns", 1, prefix: "in a file others can write "));
        File.SetUnixFileMode(writable, (UnixFileMode)Convert.ToInt32("666", 8));
        var log = new ListLogger();

        using (var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = url, Logger = log }))
        {
            logger.SaveInteraction("mine after", "r");
            logger.Flush();
        }

        Assert.That(Prompts(database), Is.EqualTo(new[] { "mine before", "mine after" }));
        Assert.That(File.ReadAllBytes(planted), Is.EqualTo(plantedBytes));
        Assert.That(File.Exists(writable), Is.True);
        Assert.That(log.Lines, Has.Some.Contain($"ignored the spool file {planted}").And.Contain("belongs to user"));
        Assert.That(log.Lines, Has.Some.Contain($"ignored the spool file {writable}").And.Contain("writable by other users (mode 666)"));
    }

    [Test]
    public void RootDoesNotAppendToAFileAnotherUserChose()
    {
        using var attacker = LocalUser.Create();
        var spoolPath = PostgresStore.SpoolPathFor(DatabaseUrl.Parse($"postgresql://app@db.example/pl_{Guid.NewGuid():N}").Server!);
        MakeFoldersAs(attacker, Path.GetDirectoryName(spoolPath)!);
        var victim = _temp.File("victim.conf");
        File.WriteAllText(victim, "precious\n");
        var spool = new Spool(spoolPath);

        var first = Attempt(() => spool.Append(SampleSpool.TextRecords("ns", 1)));
        if (File.Exists(spool.OwnFile))
        {
            // The folder is theirs: they swap our spool file for a link to the file they want us to write.
            var (code, output) = attacker.Run("sh", "-c", $"rm -f '{spool.OwnFile}' && ln -s '{victim}' '{spool.OwnFile}'");
            Assert.That(code, Is.Zero, output);
        }

        var second = Attempt(() => spool.Append(SampleSpool.TextRecords("ns", 1, prefix: "confidential ")));

        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious\n"));
        Assert.That(first, Is.InstanceOf<UnsafeSpoolException>());
        Assert.That(second, Is.InstanceOf<UnsafeSpoolException>());
    }

    [TestCase(false, true, TestName = "A link planted at the spool file's name before it exists is not followed")]
    [TestCase(true, true, TestName = "A link swapped in for the spool file between two appends is not followed")]
    [TestCase(true, false, TestName = "A hard link swapped in for the spool file between two appends is not written")]
    public void ALinkAtTheSpoolFileName_IsNotFollowed_AndItsTargetIsUnchanged(bool appendFirst, bool symbolic)
    {
        var victim = _temp.File("victim.conf");
        File.WriteAllText(victim, "precious\n");
        var spool = new Spool(_temp.File("prompts.db"));
        if (appendFirst)
        {
            spool.Append(SampleSpool.TextRecords("ns", 1));
            File.Delete(spool.OwnFile);
        }

        if (symbolic)
        {
            File.CreateSymbolicLink(spool.OwnFile, victim);
        }
        else
        {
            Assert.That(SmallDisk.Run("ln", victim, spool.OwnFile).ExitCode, Is.Zero);
        }

        var exception = Assert.Throws<UnsafeSpoolException>(() => spool.Append(SampleSpool.TextRecords("ns", 1, prefix: "confidential ")));

        Assert.That(exception!.Message, Does.Contain(spool.OwnFile));
        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious\n"));
    }

    [Test]
    public void ADanglingLinkAtTheSpoolFileName_DoesNotCreateItsTarget()
    {
        var target = _temp.File("etc-nologin");
        var spool = new Spool(_temp.File("prompts.db"));
        File.CreateSymbolicLink(spool.OwnFile, target);

        Assert.Throws<UnsafeSpoolException>(() => spool.Append(SampleSpool.TextRecords("ns", 1)));

        Assert.That(File.Exists(target), Is.False);
    }

    [Test]
    public void AServerSpoolFolder_IsCreatedOwnerOnly_InTheUsersStateFolder()
    {
        var state = _temp.File("state");
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", state);
        var spoolPath = PostgresStore.SpoolPathFor(DatabaseUrl.Parse("postgresql://app@db.example:5432/team").Server!);

        var spool = new Spool(spoolPath);
        spool.Append(SampleSpool.TextRecords("ns", 1));

        Assert.That(PostgresStore.SpoolRoot, Is.EqualTo(Path.Combine(state, "promptlogger")));
        Assert.That(spoolPath, Is.EqualTo(Path.Combine(state, "promptlogger", "app@db.example-5432-team", "prompts")));
        Assert.That(File.GetUnixFileMode(Path.Combine(state, "promptlogger")), Is.EqualTo(OwnerOnlyFolder));
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(spoolPath)!), Is.EqualTo(OwnerOnlyFolder));
        Assert.That(File.GetUnixFileMode(spool.OwnFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(spool.HasPending, Is.True);
    }

    [TestCase("", TestName = "Without XDG_STATE_HOME the server spool is under ~/.local/state")]
    [TestCase("relative/state", TestName = "A relative XDG_STATE_HOME is ignored, as the XDG rules say")]
    public void TheServerSpoolRoot_IsInTheUsersHome(string stateHome)
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", stateHome);

        Assert.That(PostgresStore.SpoolRoot, Is.EqualTo(Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "promptlogger")));
        Assert.That(PostgresStore.SpoolRoot, Does.Not.StartWith(_shared));
    }

    [TestCase("server", "770", TestName = "Our own server spool folder made group-writable is refused")]
    [TestCase("sqlite", "777", TestName = "A database folder anyone can write and that is not sticky is refused")]
    public void AFolderOthersCanWrite_IsRefused_AndNothingIsWritten(string kind, string mode)
    {
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", _temp.File("state"));
        var spoolPath = kind == "server"
            ? PostgresStore.SpoolPathFor(DatabaseUrl.Parse("postgresql://app@db.example/team").Server!)
            : _temp.File("db/prompts.db");
        var folder = Path.GetDirectoryName(spoolPath)!;
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32(mode, 8));
        var spool = new Spool(spoolPath);

        var exception = Assert.Throws<UnsafeSpoolException>(() => spool.Append(SampleSpool.TextRecords("ns", 1)));

        Assert.That(exception!.Message, Does.StartWith($"PromptLogger will not spool records in {folder}: ").And.Contain($"(mode {mode})"));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }

    /// <summary>Has <paramref name="user"/> create <paramref name="folder"/> and the folders above it, up to the shared one, writable by all.</summary>
    private void MakeFoldersAs(LocalUser user, string folder)
    {
        Assert.That(folder, Does.StartWith(_shared + "/"));
        var top = Path.Combine(_shared, Path.GetRelativePath(_shared, folder).Split('/')[0]);
        var (code, output) = user.Run("sh", "-c", $"mkdir -p '{folder}' && chmod -R 0777 '{top}'");
        Assert.That(code, Is.Zero, output);
    }

    /// <summary>Has <paramref name="user"/> write a spool file holding one well-formed record.</summary>
    private string PlantAs(LocalUser user, string path, string prompt)
    {
        var source = _temp.File("source.jsonl");
        var written = SampleSpool.Write(_temp.File("source.db"), SampleSpool.TextRecords("ns", 1, prefix: prompt));
        File.Copy(written, source);
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(source, (UnixFileMode)Convert.ToInt32("644", 8));
        var (code, output) = user.Run("cp", source, path);
        Assert.That(code, Is.Zero, output);
        return path;
    }

    private static IOException? Attempt(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (IOException exception)
        {
            return exception;
        }
    }

    private static List<string> Prompts(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return [.. connection.Query<string>("SELECT prompt FROM prompts ORDER BY rowid")];
    }
}
