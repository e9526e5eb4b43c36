using System.Text;
using System.Text.Json;

namespace PromptLogging.Export;

/// <summary>Counts the stored JSON values an export left out (<see cref="Json.JsonColumn"/>), and names the first.</summary>
internal sealed class RejectedJsonValues
{
    public int Count { get; private set; }

    public string? First { get; private set; }

    public void Add(JsonEncodedText field, ReadOnlySpan<byte> recordId)
    {
        if (Count++ == 0)
        {
            First = $"{field} of record {Encoding.UTF8.GetString(recordId)}";
        }
    }
}
