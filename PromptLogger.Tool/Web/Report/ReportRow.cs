namespace PromptLogging.Tool.Web.Report;

/// <summary>
/// One record as the report lists it, every field already text (stored text with its control and bidirectional
/// characters made visible; Razor encodes it for HTML).
/// </summary>
/// <param name="Time">When the call was made, UTC (<c>yyyy-MM-dd HH:mm:ss</c>).</param>
/// <param name="Id">The record's id.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Model">The model asked for, or <c>-</c>.</param>
/// <param name="Duration">Seconds from request to reply, or <c>-</c>.</param>
/// <param name="Tokens">Input → output tokens, or <c>-</c>.</param>
/// <param name="Cost">The estimated cost, or <c>—</c> when the model's price is not known.</param>
/// <param name="UserText">The last user message (or a text prompt), cut.</param>
/// <param name="ReplyText">The reply (or the error), cut.</param>
/// <param name="Failed">Whether the call failed.</param>
public sealed record ReportRow(
    string Time,
    string Id,
    string Namespace,
    string Model,
    string Duration,
    string Tokens,
    string Cost,
    string UserText,
    string ReplyText,
    bool Failed);
