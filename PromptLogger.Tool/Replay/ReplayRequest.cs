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
    // The key stays out of anything that prints this record.
    public override string ToString() => $"ReplayRequest {{ Model = {Model}, Endpoint = {Endpoint}, Into = {Into}, Concurrency = {Concurrency}, Limit = {Limit} }}";
}
