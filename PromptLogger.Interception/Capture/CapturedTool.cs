using System.Text.Json.Nodes;

namespace PromptLogging.Interception;

/// <summary>A tool definition offered to the model.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Description">What the tool does, when given.</param>
/// <param name="Parameters">The JSON schema of its parameters, when given.</param>
/// <param name="Type">The tool type; <c>function</c> unless the provider says otherwise.</param>
internal sealed record CapturedTool(string Name, string? Description = null, JsonNode? Parameters = null, string Type = "function");
