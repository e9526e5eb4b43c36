using System.Net.Sockets;
using System.Security.Cryptography;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Tool;

/// <summary>
/// <c>export … OUTPUT</c> where OUTPUT is not a plain new file: the database reached by another path, devices, FIFOs,
/// sockets, symlinks and a full disk, all real (mknod, mkfifo, ln, a tmpfs), run through the command in-process.
/// </summary>
[TestFixture]
public sealed class ExportDestinationCommandTests
{
    private const int Records = 3;

    private TempFolder _temp = null!;
    private string _database = null!;
    private string _url = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _database = _temp.File("prompts.db");
        _url = _temp.DatabaseUrl();
        SampleDatabase.Create(_url, logger =>
        {
            for (var i = 0; i < Records; i++)
            {
                logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "question " + i, "answer " + i));
            }
        });
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void OutputReachingTheDatabaseThroughASymlinkedFolder_IsRefusedAndTheDatabaseIsUnchanged()
    {
        var link = _temp.File("elsewhere");
        Directory.CreateSymbolicLink(link, _temp.Path);
        var before = Hash(_database);

        var result = PromptLoggerCommand.Run("export", "prompts", Path.Combine(link, "prompts.db"), "-d", _url);

        AssertRefused(result, before);
    }

    [Test]
    public void OutputThatIsAHardLinkToTheDatabase_IsRefusedAndTheDatabaseIsUnchanged()
    {
        var hardLink = _temp.File("export.jsonl");
        Link(_database, hardLink, symbolic: false);
        var before = Hash(_database);

        var result = PromptLoggerCommand.Run("export", "prompts", hardLink, "-d", _url);

        AssertRefused(result, before);
        Assert.That(Hash(hardLink), Is.EqualTo(before));
    }

    [Test]
    public void OutputThatIsTheWalFileOfAnOpenDatabase_ThroughASymlinkedFolder_IsRefused()
    {
        using var logger = new PromptLogger("default", _url);
        logger.Record(SampleDatabase.ChatCall(null, "gpt-4.1", "while open", "yes"));
        logger.Flush();
        Assert.That(File.Exists(_database + "-wal"), Is.True, "the open logger keeps a -wal file");
        var link = _temp.File("elsewhere");
        Directory.CreateSymbolicLink(link, _temp.Path);
        var walBefore = Hash(_database + "-wal");

        var result = PromptLoggerCommand.Run("export", "prompts", Path.Combine(link, "prompts.db-wal"), "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("database file itself"));
        Assert.That(Hash(_database + "-wal"), Is.EqualTo(walBefore));
        Assert.That(logger.ExportChatPrompts(_temp.File("check.jsonl")), Is.EqualTo(Records + 1), "nothing stored was lost");
    }

    [TestCase("prompts.db-wal")]
    [TestCase("prompts.db-journal")]
    [TestCase("prompts.db.spool-1234-abcd.jsonl")]
    public void OutputNamedAsADatabaseCompanionThatDoesNotExistYet_IsRefusedAndNotCreated(string name)
    {
        var link = _temp.File("elsewhere");
        Directory.CreateSymbolicLink(link, _temp.Path);

        var result = PromptLoggerCommand.Run("export", "prompts", Path.Combine(link, name), "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("database file itself"));
        Assert.That(File.Exists(_temp.File(name)), Is.False);
    }

    [Test]
    public void OutputThatIsAHardLinkToASpoolFile_IsRefusedAndTheSpoolIsUnchanged()
    {
        var spool = _temp.File("prompts.db.spool-99999-0123456789abcdef.jsonl");
        File.WriteAllText(spool, "{\"kind\":\"text\"}\n");
        var hardLink = _temp.File("out.jsonl");
        Link(spool, hardLink, symbolic: false);

        var result = PromptLoggerCommand.Run("export", "prompts", hardLink, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("database file itself"));
        Assert.That(File.ReadAllText(spool), Is.EqualTo("{\"kind\":\"text\"}\n"));
    }

    [Test]
    public void OutputThatIsACharacterDevice_IsWrittenInPlaceAndStaysADevice()
    {
        var nullDevice = MakeNode("null", "c", "1", "3");

        var result = PromptLoggerCommand.Run("export", "prompts", nullDevice, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Error, Is.EqualTo($"Exported {Records} prompts to {nullDevice}\n"));
        Assert.That(FileType(nullDevice), Is.EqualTo("character special file"));
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public void OutputThatIsAFullDevice_ExitsOneWithNoSpaceLeftAndStaysADevice()
    {
        var fullDevice = MakeNode("full", "c", "1", "7");

        var result = PromptLoggerCommand.Run("export", "prompts", fullDevice, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines.Single(), Does.StartWith("prompt-logger: error: ").And.Contain("no space left"));
        Assert.That(FileType(fullDevice), Is.EqualTo("character special file"));
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public void OutputThatIsAFifo_IsStreamedToItsReaderAndStaysAFifo()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("FIFOs are a Unix thing.");
        }

        var fifo = _temp.File("pipe");
        var (code, output) = SmallDisk.Run("mkfifo", fifo);
        Assert.That(code, Is.Zero, output);
        var read = Task.Run(() => File.ReadAllBytes(fifo));

        var result = PromptLoggerCommand.Run("export", "prompts", fifo, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(read.Wait(TimeSpan.FromSeconds(30)), Is.True, "the reader got the end of the stream");
        var lines = Jsonl.Parse(read.Result);
        Assert.That(lines.Select(l => l.GetProperty("messages")[1].GetProperty("content").GetString()),
            Is.EqualTo(Enumerable.Range(0, Records).Select(i => "question " + i)));
        Assert.That(FileType(fifo), Is.EqualTo("fifo"));
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public void OutputThatIsAListeningSocket_IsStreamedToItsPeerAndStaysASocket()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix domain socket files are checked on Unix.");
        }

        var path = _temp.File("socket");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var read = Task.Run(() =>
        {
            using var peer = listener.Accept();
            using var stream = new NetworkStream(peer);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        });

        var result = PromptLoggerCommand.Run("export", "prompts", path, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(read.Wait(TimeSpan.FromSeconds(30)), Is.True, "the peer got the end of the stream");
        Assert.That(Jsonl.Parse(read.Result), Has.Count.EqualTo(Records));
        Assert.That(FileType(path), Is.EqualTo("socket"));
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public void OutputThatIsASocketNobodyListensOn_ExitsOneAndStaysASocket()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix domain socket files are checked on Unix.");
        }

        var path = _temp.File("socket");
        // Bound but not listening: connecting is refused (.NET removes the file when a bound socket is disposed).
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var result = PromptLoggerCommand.Run("export", "prompts", path, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines.Single(), Does.StartWith($"prompt-logger: error: cannot write '{path}': cannot connect to the socket"));
        Assert.That(FileType(path), Is.EqualTo("socket"));
    }

    [Test]
    public void OutputThatIsASymlinkToARegularFile_ReplacesTheTargetAndKeepsTheLink()
    {
        var elsewhere = Directory.CreateDirectory(_temp.File("elsewhere")).FullName;
        var target = Path.Combine(elsewhere, "real.jsonl");
        File.WriteAllText(target, "old content\n");
        var link = _temp.File("link.jsonl");
        File.CreateSymbolicLink(link, target);

        var result = PromptLoggerCommand.Run("export", "prompts", link, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target), "the link is still a link to the same target");
        Assert.That(Jsonl.Read(target), Has.Count.EqualTo(Records));
        Assert.That(TemporaryFiles().Concat(Directory.GetFiles(elsewhere, "*.tmp")), Is.Empty);
    }

    [Test]
    public void OutputThatIsADanglingSymlink_CreatesItsTargetAndKeepsTheLink()
    {
        var target = _temp.File("created.jsonl");
        var link = _temp.File("link.jsonl");
        File.CreateSymbolicLink(link, target);

        var result = PromptLoggerCommand.Run("export", "prompts", link, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(Jsonl.Read(target), Has.Count.EqualTo(Records));
    }

    [Test]
    public void OutputOnAFullDisk_ExitsOneWithNoSpaceLeftLeavesNoTemporaryFileAndKeepsTheOldFile()
    {
        using var disk = SmallDisk.Mount(512);
        var output = disk.File("out.jsonl");
        File.WriteAllText(output, "old content\n");
        disk.Fill();

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines.Single(), Does.StartWith($"prompt-logger: error: cannot write '{output}': no space left"));
        Assert.That(File.ReadAllText(output), Is.EqualTo("old content\n"));
        Assert.That(Directory.GetFiles(disk.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { ".filler", "out.jsonl" }));
    }

    private void AssertRefused(ToolResult result, byte[] databaseBefore)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines.Single(), Does.StartWith("prompt-logger: error: The output '").And.Contain("is the database file itself"));
        Assert.That(Hash(_database), Is.EqualTo(databaseBefore), "the database is byte-for-byte unchanged");
        Assert.That(TemporaryFiles(), Is.Empty);
        using var logger = new PromptLogger("default", _url);
        Assert.That(logger.ExportChatPrompts(_temp.File("check.jsonl")), Is.EqualTo(Records), "every record is still there");
    }

    private string MakeNode(string name, string type, string major, string minor)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("needs root on Linux to mknod a device (CI runs as root)");
        }

        var path = _temp.File(name);
        var (code, output) = SmallDisk.Run("mknod", path, type, major, minor);
        if (code != 0)
        {
            Assert.Ignore($"cannot mknod here: {output}");
        }

        return path;
    }

    [Test]
    public void ATemporaryFileStillBeingWritten_IsNotRemovedEvenIfItsProcessIdIsNotRunningHere()
    {
        // An export in another container writing into the same mounted folder: its process id means nothing here.
        var output = _temp.File("out.jsonl");
        var foreign = Path.Combine(_temp.Path, ".out.jsonl.promptlogger-export-" + int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-0123abcd.tmp");
        using (var writing = new FileStream(foreign, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            writing.Write("{\"partial\":"u8);

            var result = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(File.Exists(foreign), Is.True, "a file another export holds open is left to it");
        }

        var next = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

        Assert.That(next.ExitCode, Is.Zero, next.ToString());
        Assert.That(File.Exists(foreign), Is.False, "once nobody holds it, the next export removes it");
    }

    [Test]
    public void AnExistingFileInDevShm_IsReplacedNotAppendedTo()
    {
        if (!Directory.Exists("/dev/shm"))
        {
            Assert.Ignore("No /dev/shm here.");
        }

        var output = Path.Combine("/dev/shm", "promptlogger-test-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            File.WriteAllText(output, "old content\n");

            var first = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);
            var second = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(Jsonl.Read(output), Has.Count.EqualTo(Records), "one copy of each record, as for a file anywhere else");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // LocalUser and mkfifo skip elsewhere.
    public void ASymlinkAnotherUserPlantedInASharedStickyFolder_IsNotFollowed()
    {
        using var other = LocalUser.Create();
        var shared = _temp.File("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 1777, as /tmp
        var victim = _temp.File("victim");
        File.WriteAllText(victim, "precious");
        var link = Path.Combine(shared, "report.jsonl");
        Link(victim, link, symbolic: true);
        var (code, output) = SmallDisk.Run("chown", "-h", other.Name, link);
        Assert.That(code, Is.Zero, output);

        var result = PromptLoggerCommand.Run("export", "prompts", link, "-d", _url);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("another user").And.Contain("refusing to follow it"));
        Assert.That(File.ReadAllText(victim), Is.EqualTo("precious"), "the link's target was not replaced");
        Assert.That(File.ResolveLinkTarget(link, returnFinalTarget: false), Is.Not.Null, "the link is left as it was");
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // LocalUser and mkfifo skip elsewhere.
    public void ASymlinkOfThisUserInASharedStickyFolder_IsStillWrittenThrough()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Sticky folders and link owners are checked on Linux.");
        }

        var shared = _temp.File("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF);
        var target = _temp.File("target.jsonl");
        var link = Path.Combine(shared, "report.jsonl");
        Link(target, link, symbolic: true);

        var result = PromptLoggerCommand.Run("export", "prompts", link, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Jsonl.Read(target), Has.Count.EqualTo(Records));
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // LocalUser and mkfifo skip elsewhere.
    public void AnExistingSetUserIdFile_IsReplacedWithoutItsSetUserIdBit()
    {
        using var other = LocalUser.Create();
        var output = _temp.File("tool");
        File.WriteAllText(output, "#!/bin/sh\n");
        other.Own(output);
        File.SetUnixFileMode(output, (UnixFileMode)0x9ED); // 4755

        var result = PromptLoggerCommand.Run("export", "prompts", output, "-d", _url);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(File.GetUnixFileMode(output) & (UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit), Is.EqualTo((UnixFileMode)0),
            "a file of this user (root) holding exported text is never set-user-ID");
        Assert.That(File.GetUnixFileMode(output) & (UnixFileMode)0x1FF, Is.EqualTo((UnixFileMode)0x1ED), "the permission bits are kept");
    }

    [Test]
    public void ADatabasePathThatIsAFifo_IsRefusedAtOnce()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("FIFOs are a Unix thing.");
        }

        var fifo = _temp.File("pipe.db");
        var (code, output) = SmallDisk.Run("mkfifo", fifo);
        Assert.That(code, Is.Zero, output);
        var link = _temp.File("link.db");
        Link(fifo, link, symbolic: true);

        // Opening a FIFO for reading waits for a writer: run the command aside, and open the FIFO ourselves if it hangs.
        var run = Task.Run(() => PromptLoggerCommand.Run("export", "prompts", _temp.File("out.jsonl"), "-d", "sqlite:///" + link));
        var finished = run.Wait(TimeSpan.FromSeconds(20));
        if (!finished)
        {
            using var unblock = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "the export did not wait on the FIFO");
        Assert.That(run.Result.ExitCode, Is.EqualTo(1), run.Result.ToString());
        Assert.That(run.Result.Error, Does.Contain("FIFO").And.Contain("not a regular file"));
        Assert.That(FileType(fifo), Is.EqualTo("fifo"));
    }

    private static void Link(string existing, string link, bool symbolic)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Hard links are made with ln on Unix.");
        }

        var (code, output) = symbolic ? SmallDisk.Run("ln", "-s", existing, link) : SmallDisk.Run("ln", existing, link);
        Assert.That(code, Is.Zero, output);
    }

    private static string FileType(string path)
    {
        var (code, output) = SmallDisk.Run("stat", "-c", "%F", path);
        Assert.That(code, Is.Zero, output);
        return output;
    }

    private static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));

    private string[] TemporaryFiles() => Directory.GetFiles(_temp.Path, "*.tmp");
}
