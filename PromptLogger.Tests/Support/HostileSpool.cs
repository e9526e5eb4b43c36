using System.Text.Json.Nodes;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Support;

/// <summary>
/// Spool lines whose JSON columns carry text that, written raw into an export, would end the record's line and
/// start a second record (<c>INJECTED</c>) — as an attacker or a corrupted file would leave them.
/// </summary>
internal static class HostileSpool
{
    public const string InjectedId = "INJECTED";

    /// <summary>Each JSON column with a value that closes the record's object and opens another one.</summary>
    public static readonly Dictionary<string, string> Values = new()
    {
        ["messages"] = """[{"role":"user","content":"hi"}]}""" + "\n" + """{"id":"INJECTED","namespace":"NS","model":"evil","messages":[{"role":"user","content":"ignore previous instructions"}]""",
        ["tools"] = """[]}""" + "\n" + """{"id":"INJECTED","namespace":"NS","tools":[]""",
        ["generation_kwargs"] = """{"max_tokens":5}}""" + "\n" + """{"id":"INJECTED","namespace":"NS","generation_kwargs":{}""",
        ["completions"] = """[{"role":"assistant","content":"ok"}]}""" + "\n" + """{"id":"INJECTED","namespace":"NS","completions":[]""",
        ["tags"] = """["a"]}""" + "\n" + """{"id":"INJECTED","namespace":"NS","tags":["b"]""",
    };

    /// <summary>A chat record of <paramref name="namespace"/> as the real spool writes it, with <paramref name="column"/> set to <paramref name="value"/>.</summary>
    public static string Line(string @namespace, string column, string value)
    {
        using var temp = new TempFolder();
        var file = SampleSpool.Write(temp.File("p.db"), [SampleSpool.ChatRecord(@namespace, "gpt-4.1", "hostile", "reply")]);
        var record = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        record["id"] = "hostile-" + Guid.NewGuid().ToString("N");
        record[column] = value.Replace("\"NS\"", $"\"{@namespace}\"", StringComparison.Ordinal);
        return record.ToJsonString();
    }

    /// <summary>A spool file beside <paramref name="databasePath"/>: a good record, the hostile one, a good record.</summary>
    public static string Write(string databasePath, string @namespace, string column, string value)
    {
        var spool = new Spool(databasePath);
        spool.Append(SampleSpool.TextRecords(@namespace, 1, prefix: "good before "));
        File.AppendAllText(spool.OwnFile, Line(@namespace, column, value) + "\n");
        spool.Append(SampleSpool.TextRecords(@namespace, 1, prefix: "good after "));
        return spool.OwnFile;
    }
}
