namespace PromptLogging.Interception;

/// <summary>A tool call made by the model.</summary>
/// <param name="Id">The id the model gave the call.</param>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments as the model wrote them (normally a JSON string).</param>
/// <param name="Type">The tool type; <c>function</c> unless the provider says otherwise.</param>
internal sealed record CapturedToolCall(string? Id, string Name, string? Arguments, string Type = "function");
