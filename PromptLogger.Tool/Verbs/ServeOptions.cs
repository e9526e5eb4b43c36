using CommandLine;

namespace PromptLogging.Tool.Verbs;

/// <summary><c>prompt-logger serve [-d URL] [--port 5290] [--host 127.0.0.1] [--open] [--prices FILE]</c>.</summary>
[Verb(Name, HelpText = "Browse the database in a web browser (read-only): overview, records with filters and search, each record, conversations, new records live.")]
internal sealed class ServeOptions : IStoreOptions
{
    public const string Name = "serve";

    public const int DefaultPort = 5290;

    public const string DefaultHost = "127.0.0.1";

    // Declared so that a stray argument is reported rather than silently ignored.
    [Value(0, Hidden = true)]
    public IEnumerable<string> Unexpected { get; set; } = [];

    [Option("port", Default = DefaultPort, MetaValue = "N", HelpText = "The TCP port to listen on; 0 takes any free port.")]
    public int Port { get; set; } = DefaultPort;

    [Option("host", Default = DefaultHost, MetaValue = "ADDRESS",
        HelpText = "The IP address to listen on. Anything but loopback lets other machines read every prompt (there is no login): a warning says so.")]
    public string Host { get; set; } = DefaultHost;

    [Option("open", HelpText = "Open the UI in the default web browser once it is serving.")]
    public bool Open { get; set; }

    [Option("prices", MetaValue = "FILE", HelpText = "A JSON price file adding to or overriding the built-in prices.")]
    public string? Prices { get; set; }

    public string Database { get; set; } = PromptLoggerOptions.DefaultDatabase;

    /// <summary>Shown by <c>serve --help</c>, one command a line, never wrapped.</summary>
    public static IReadOnlyList<(string What, string Command)> Examples =>
    [
        ("Browse prompts.db at http://127.0.0.1:5290 and open it in the browser", "prompt-logger serve --open"),
        ("A PostgreSQL database, on another port", "prompt-logger serve --port 8080 --database=postgresql://me@localhost/prompts"),
    ];
}
