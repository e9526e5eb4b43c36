// Records text prompts as a separate process, for tests of what survives process exit.
// Usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate]
// Prints "recorded N" once every call has returned, then exits (disposing the logger only with --dispose).
using PromptLogging;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: PromptLogger.TestHost <database-url> <namespace> <count> [--dispose] [--immediate]");
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
