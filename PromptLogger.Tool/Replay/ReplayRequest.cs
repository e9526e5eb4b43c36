using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool.Replay;

/// <summary>A checked <c>replay</c> command line, beyond its filter.</summary>
/// <param name="Model">The model to send the prompts to.</param>
/// <param name="Endpoint">An OpenAI-compatible base URL; null for OpenAI's.</param>
/// <param name="ApiKey">The key, read from the environment (never from the command line).</param>
/// <param name="Into">The namespace answers are recorded in.</param>
/// <param name="Concurrency">Prompts in flight at once.</param>
/// <param name="Limit">At most this many prompts; null for all.</param>
internal sealed record ReplayRequest(string Model, Uri? Endpoint, string ApiKey, string Into, int Concurrency, int? Limit)
{
    /// <summary>Checks a <c>replay</c> command line; <paramref name="problem"/> is the usage error when it returns false.</summary>
    /// <param name="args">The whole command line.</param>
    /// <param name="options">What the parser read.</param>
    /// <param name="environment">Reads an environment variable (the API key's).</param>
    /// <param name="request">The request, when it returns true.</param>
    /// <param name="filter">What to replay, when it returns true.</param>
    /// <param name="problem">The usage problem, when it returns false.</param>
    public static bool TryCreate(
        string[] args, ReplayVerbOptions options, Func<string, string?> environment, out ReplayRequest request, out ExportFilter filter, out string problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        request = null!;
        ExportFilter? selected = null;
        Uri? endpoint = null;
        var found = MissingOptionValue.Find(args, typeof(ReplayVerbOptions))
            ?? Program.Unexpected(options.Unexpected, ReplayVerbOptions.Name)
            ?? (string.IsNullOrWhiteSpace(options.Model) ? "replay needs the model to send the prompts to: --model M." : null)
            ?? (options.Concurrency is < 1 or > PromptLogger.MaxReplayConcurrency ? $"--concurrency must be 1 to {PromptLogger.MaxReplayConcurrency}, not {options.Concurrency}." : null)
            ?? (options.Limit < 1 ? $"--limit must be 1 or more, not {options.Limit}." : null)
            ?? (options.Endpoint is { } url && !TryEndpoint(url, out endpoint) ? $"--endpoint '{url}' is not an http or https URL; give the API's base URL, such as http://127.0.0.1:8000/v1." : null)
            ?? (string.IsNullOrWhiteSpace(options.ApiKeyEnv) ? "--api-key-env is empty; name the environment variable that holds the API key." : null)
            ?? (options.Into is { } into && string.IsNullOrWhiteSpace(into) ? "--into is empty; give the namespace to record the answers in." : null)
            ?? Program.Selection(args, options, out selected)
            ?? (selected!.Kind != PromptRecord.ChatKind ? "replay re-sends chat prompts only; --type text cannot be replayed." : null)
            ?? (selected.Namespace is null && options.Into is null ? "with --all-namespaces, name the namespace to record the answers in: --into NS." : null)
            ?? (selected.Namespace is not null && selected.Namespace == options.Into ? $"--into must differ from the namespace replayed ('{options.Into}'), or a rerun would replay the replays." : null)
            // The key only from the environment: a command line is visible to every user of the machine (ps) and kept
            // in shell histories.
            ?? (environment(options.ApiKeyEnv) is { Length: > 0 } ? null : $"the environment variable {options.ApiKeyEnv} is not set; put the API key in it, or name another variable with --api-key-env.");
        filter = selected!;
        problem = found ?? string.Empty;
        if (found is not null)
        {
            return false;
        }

        request = new ReplayRequest(
            options.Model!, endpoint, environment(options.ApiKeyEnv)!, options.Into ?? PromptLogger.DefaultReplayNamespace(selected!.Namespace!, options.Model!), options.Concurrency, options.Limit);
        return true;
    }

    private static bool TryEndpoint(string text, out Uri? endpoint) =>
        Uri.TryCreate(text, UriKind.Absolute, out endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps);

    // The key stays out of anything that prints this record.
    public override string ToString() => $"ReplayRequest {{ Model = {Model}, Endpoint = {Endpoint}, Into = {Into}, Concurrency = {Concurrency}, Limit = {Limit} }}";
}
