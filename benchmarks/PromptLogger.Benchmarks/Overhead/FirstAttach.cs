using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using PromptLogging.Benchmarks.Support;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>
/// How long the first <see cref="PromptLogger.AttachToClient{T}"/> of a type takes in a fresh process (proxy type
/// generation, method analysis, JIT): measured in child processes, median of several.
/// </summary>
internal static class FirstAttach
{
    public const string ChildVerb = "first-attach-child";

    public static void Run(Results results, bool quick)
    {
        var runs = Enumerable.Range(0, quick ? 3 : 7).Select(_ => RunChild()).ToList();
        results.Add("first_attach_openai_chatclient_ms", Measure.Median(runs.Select(r => r.Castle)), "ms", "Castle class proxy, fresh process; target <= 50");
        results.Add("first_attach_ichatclient_ms", Measure.Median(runs.Select(r => r.Chat)), "ms", "PromptLoggingChatClient, fresh process; target <= 50");
        results.Add("first_logger_construction_ms", Measure.Median(runs.Select(r => r.Logger)), "ms", "new PromptLogger in a fresh process, new SQLite file (Castle warms up beside it)");
    }

    /// <summary>The child: attaches once to each kind of client and prints the milliseconds each took.</summary>
    public static int Child()
    {
        var path = Measure.TempDatabase("attach.db");
        try
        {
            var constructing = Stopwatch.GetTimestamp();
            using var logger = new PromptLogger("bench", "sqlite:///" + path);
            var constructed = Stopwatch.GetElapsedTime(constructing).TotalMilliseconds;
            var chatClient = new ChatClient("gpt-4.1", new ApiKeyCredential("bench"));
            if (Environment.GetEnvironmentVariable("FIRST_ATTACH_DELAY_MS") is { } delay)
            {
                Thread.Sleep(int.Parse(delay, CultureInfo.InvariantCulture));
            }

            var start = Stopwatch.GetTimestamp();
            logger.AttachToClient(chatClient);
            var castle = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

            IChatClient direct = new CannedChatClient();
            start = Stopwatch.GetTimestamp();
            logger.AttachToClient(direct);
            var chat = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.WriteLine(FormattableString.Invariant($"{castle} {chat} {constructed}"));
            return 0;
        }
        finally
        {
            Measure.DeleteDatabase(path);
        }
    }

    private static (double Castle, double Chat, double Logger) RunChild()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(FirstAttach).Assembly.Location);
        start.ArgumentList.Add(ChildVerb);
        using var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1].Split(' ');
        process.WaitForExit();
        return (double.Parse(line[0], CultureInfo.InvariantCulture), double.Parse(line[1], CultureInfo.InvariantCulture), double.Parse(line[2], CultureInfo.InvariantCulture));
    }
}
