// Records text prompts as a separate process, for tests of what survives process exit and kill -9.
// Usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate] [--forever]
// Prints "recorded N" once every call has returned, then exits (disposing the logger only with --dispose).
// With --forever it never stops by itself: it records a few thousand calls a second and prints "ack N" after
// every 100th call has returned, until killed.
using PromptLogging;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate] [--forever]");
    return 2;
}

var count = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var options = new PromptLoggerOptions
{
    Database = args[0],
    Namespace = args[1],
    Durability = args.Contains("--immediate") ? Durability.Immediate : Durability.Buffered,
};
var logger = new PromptLogger(options);
if (args.Contains("--forever"))
{
    for (var i = 1; ; i++)
    {
        logger.SaveInteraction($"prompt {i}", "response");
        if (i % 10 == 0)
        {
            Thread.Sleep(1); // a steady rate of a few thousand calls a second, like a busy application
        }

        if (i % 100 == 0)
        {
            Console.Out.WriteLine($"ack {i}");
            Console.Out.Flush();
        }
    }
}

for (var i = 0; i < count; i++)
{
    logger.SaveInteraction($"prompt {i} from {Environment.ProcessId}", "response " + i);
}

Console.WriteLine($"recorded {count}");
if (args.Contains("--dispose"))
{
    logger.Dispose();
}

return 0;
