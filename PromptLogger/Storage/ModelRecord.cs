namespace PromptLogging.Storage;

/// <summary>One row of the <c>models</c> table: a model as first used in a namespace.</summary>
internal sealed class ModelRecord
{
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string? Version { get; init; }
    public string? Provider { get; init; }
    public string? Description { get; init; }
    public double Created { get; init; }
}
