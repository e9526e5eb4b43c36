using System.Text.Json;

namespace PromptLogging.Storage;

/// <summary>
/// The columns of the <c>prompts</c> table, described once: everything that lists them — the schema steps of both
/// stores (<see cref="Schema"/>, <see cref="PostgresSchema"/>), the SQLite insert, the PostgreSQL COPY and its staging
/// table, the export query and the export lines — is derived from <see cref="All"/>.
/// </summary>
/// <remarks>
/// <para>
/// Adding a column: one entry here, with <c>since</c> the next schema version, and a <see cref="SchemaSteps"/> entry of
/// that version (empty, or with the column's indexes). Never change an entry of a released version: migrations from it
/// would no longer match the tables it created.
/// </para>
/// <para>
/// Order: a chat export line writes its fields in this order (the seed's fields first, PromptLogger's after); a text
/// export line writes the seed's text fields first (<see cref="TextSeedOrder"/>), then the rest in this order. A column
/// added later goes at the end, so its field follows every older one. The usage columns are written together, in this
/// order, in one <c>usage</c> object where the first of them stands.
/// </para>
/// </remarks>
internal static class PromptColumns
{
    public static readonly PromptColumn Id = PromptColumn.Text("id", 1, r => r.Id, primaryKey: true);
    public static readonly PromptColumn Namespace = PromptColumn.Text("namespace", 1, r => r.Namespace, notNull: true);
    public static readonly PromptColumn Kind = PromptColumn.Text("kind", 1, r => r.Kind, ExportStyle.None, notNull: true);
    public static readonly PromptColumn Model = PromptColumn.Text("model", 1, r => r.Model);
    public static readonly PromptColumn Messages = PromptColumn.Json("messages", 1, JsonValueKind.Array, r => r.Messages, (r, v) => r.Messages = v, ExportKinds.Chat);
    public static readonly PromptColumn Tools = PromptColumn.Json("tools", 2, JsonValueKind.Array, r => r.Tools, (r, v) => r.Tools = v, ExportKinds.Chat);
    public static readonly PromptColumn GenerationKwargs = PromptColumn.Json("generation_kwargs", 1, JsonValueKind.Object, r => r.GenerationKwargs, (r, v) => r.GenerationKwargs = v, ExportKinds.Chat);
    public static readonly PromptColumn Completions = PromptColumn.Json("completions", 1, JsonValueKind.Array, r => r.Completions, (r, v) => r.Completions = v, ExportKinds.Chat);
    public static readonly PromptColumn Prompt = PromptColumn.Text("prompt", 1, r => r.Prompt, exportIn: ExportKinds.Text);
    public static readonly PromptColumn Response = PromptColumn.Text("response", 1, r => r.Response, exportIn: ExportKinds.Text);
    public static readonly PromptColumn InferenceOn = PromptColumn.Real("inference_on", 1, r => r.InferenceOn, notNull: true);
    public static readonly PromptColumn InferenceSeconds = PromptColumn.Real("inference_seconds", 1, r => r.InferenceSeconds);
    public static readonly PromptColumn InputTokens = PromptColumn.Integer("input_tokens", 2, r => r.InputTokens, ExportStyle.Usage, ExportKinds.Chat);
    public static readonly PromptColumn OutputTokens = PromptColumn.Integer("output_tokens", 2, r => r.OutputTokens, ExportStyle.Usage, ExportKinds.Chat);
    public static readonly PromptColumn Error = PromptColumn.Text("error", 2, r => r.Error);
    public static readonly PromptColumn Stream = PromptColumn.Flag("stream", 2, r => r.Stream, ExportKinds.Chat);
    public static readonly PromptColumn TimeToFirstTokenSeconds = PromptColumn.Real("time_to_first_token_seconds", 2, r => r.TimeToFirstTokenSeconds, ExportKinds.Chat);
    public static readonly PromptColumn Provider = PromptColumn.Text("provider", 2, r => r.Provider);
    public static readonly PromptColumn Tags = PromptColumn.Json("tags", 2, JsonValueKind.Array, r => r.Tags, (r, v) => r.Tags = v);
    public static readonly PromptColumn ResponseModel = PromptColumn.Text("response_model", 3, r => r.ResponseModel);
    public static readonly PromptColumn ResponseId = PromptColumn.Text("response_id", 3, r => r.ResponseId);
    public static readonly PromptColumn SystemFingerprint = PromptColumn.Text("system_fingerprint", 3, r => r.SystemFingerprint);
    public static readonly PromptColumn StreamEnd = PromptColumn.Text("stream_end", 3, r => r.StreamEnd);
    public static readonly PromptColumn ConversationId = PromptColumn.Text("conversation_id", 4, r => r.ConversationId);
    public static readonly PromptColumn UserId = PromptColumn.Text("user_id", 4, r => r.UserId);
    public static readonly PromptColumn Metadata = PromptColumn.Json("metadata", 4, JsonValueKind.Object, r => r.Metadata, (r, v) => r.Metadata = v);
    public static readonly PromptColumn ReplayOf = PromptColumn.Text("replay_of", 4, r => r.ReplayOf);
    public static readonly PromptColumn CachedInputTokens = PromptColumn.Integer("cached_input_tokens", 4, r => r.CachedInputTokens, ExportStyle.Usage, ExportKinds.Chat);
    public static readonly PromptColumn ReasoningTokens = PromptColumn.Integer("reasoning_tokens", 4, r => r.ReasoningTokens, ExportStyle.Usage, ExportKinds.Chat);
    public static readonly PromptColumn ThreadKey = PromptColumn.Integer("thread_key", 4, r => r.ThreadKey, ExportStyle.None);

    /// <summary>Every column, in export order; a column's <see cref="PromptColumn.Ordinal"/> is its index here.</summary>
    public static readonly IReadOnlyList<PromptColumn> All = Number(
    [
        Id, Namespace, Kind, Model, Messages, Tools, GenerationKwargs, Completions, Prompt, Response, InferenceOn,
        InferenceSeconds, InputTokens, OutputTokens, Error, Stream, TimeToFirstTokenSeconds, Provider, Tags,
        ResponseModel, ResponseId, SystemFingerprint, StreamEnd, ConversationId, UserId, Metadata, ReplayOf,
        CachedInputTokens, ReasoningTokens, ThreadKey,
    ]);

    /// <summary>The seed's text prompt fields, in the seed's order: a text export line starts with them.</summary>
    public static readonly IReadOnlyList<PromptColumn> TextSeedOrder = [Id, Namespace, Prompt, Response, InferenceOn, Model, InferenceSeconds];

    /// <summary>The columns' names, comma-separated in <see cref="All"/>'s order.</summary>
    public static readonly string Names = string.Join(", ", All.Select(c => c.Name));

    /// <summary>The columns a chat export line writes, in its order.</summary>
    public static readonly IReadOnlyList<PromptColumn> ChatExport = [.. All.Where(c => c.ExportIn.HasFlag(ExportKinds.Chat) && c.Export != ExportStyle.None)];

    /// <summary>The columns a text export line writes, in its order.</summary>
    public static readonly IReadOnlyList<PromptColumn> TextExport =
    [
        .. TextSeedOrder,
        .. All.Where(c => c.ExportIn.HasFlag(ExportKinds.Text) && c.Export != ExportStyle.None && !TextSeedOrder.Contains(c)),
    ];

    /// <summary>The columns a schema step adds, in <see cref="All"/>'s order.</summary>
    public static IEnumerable<PromptColumn> AddedIn(int version) => All.Where(c => c.Since == version);

    private static PromptColumn[] Number(PromptColumn[] columns)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i].Ordinal = i;
        }

        return columns;
    }
}
