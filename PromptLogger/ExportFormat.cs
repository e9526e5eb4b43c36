namespace PromptLogging;

/// <summary>The shape <see cref="PromptLogger.ExportChatPrompts"/> writes the chat prompts in.</summary>
public enum ExportFormat
{
    /// <summary>
    /// The default (on the command line, <c>seed</c>): one JSON object a line in the shape the Python
    /// prompt-logger package exports (<c>messages</c>, <c>tools</c>, <c>generation_kwargs</c>, <c>completions</c>, …),
    /// PromptLogger's fields after the package's.
    /// </summary>
    Jsonl = 0,

    /// <summary>
    /// OpenAI chat fine-tuning examples, one a line: <c>messages</c> (the request's, system and developer ones kept)
    /// ending with the recorded assistant reply (its text or its <c>tool_calls</c>, arguments as a JSON string), and
    /// <c>tools</c> and <c>parallel_tool_calls</c> when the call had them. A record that failed or has no reply is left out.
    /// </summary>
    OpenAIFineTuning = 1,

    /// <summary>
    /// OpenAI Batch API input lines, one per record, failed ones included: <c>custom_id</c> (the record id),
    /// <c>method</c> <c>POST</c>, <c>url</c> <c>/v1/chat/completions</c>, and a <c>body</c> with the model, messages,
    /// tools and recorded generation parameters. A file output is split into files of at most 50,000 lines and
    /// 200 MB, the Batch API's limits: <c>out.jsonl</c>, <c>out.2.jsonl</c>, ….
    /// </summary>
    OpenAIBatch = 2,

    /// <summary>
    /// RFC 4180 CSV (comma-separated, CRLF line ends, fields quoted where needed): a header row, then one record a row
    /// with the fields of the JSONL lines (<see cref="Jsonl"/>), the record context fields included; lists and objects (messages, tools, completions,
    /// generation parameters, tags, metadata) as JSON text. Cells are the values as stored: one that starts with
    /// <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is not altered, so a spreadsheet may read it as a formula.
    /// </summary>
    Csv = 3,
}
