using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Storage;
using PromptLogging.Writing;

namespace PromptLogging.Tests.Support;

/// <summary>Spool files written by the real <see cref="Spool"/>, as a logger leaves them beside a database it could not write.</summary>
internal static class SampleSpool
{
    /// <summary>Text prompts <c>PREFIX0</c>, <c>PREFIX1</c>… under <paramref name="namespace"/>, as the logger records them.</summary>
    public static List<PromptRecord> TextRecords(string @namespace, int count, string prefix = "spooled ", string? model = "gpt-4.1")
    {
        using var factory = new PromptRecordFactory(@namespace, ContentPolicy.Default);
        return [.. Enumerable.Range(0, count).Select(i => factory.Create(new CapturedCall(new CallRequest { Kind = CallKind.Text, Model = model, Prompt = prefix + i })
        {
            Outcome = new CallOutcome { Response = "r" + i },
            StartedAt = DateTimeOffset.UtcNow,
        }))];
    }

    /// <summary>A chat prompt as interception captures it.</summary>
    public static PromptRecord ChatRecord(string @namespace, string model, string question, string answer)
    {
        using var factory = new PromptRecordFactory(@namespace, ContentPolicy.Default);
        return factory.Create(SampleDatabase.ChatCall(@namespace, model, question, answer));
    }

    /// <summary>Appends <paramref name="records"/> to a new spool file of <paramref name="databasePath"/>; returns its path.</summary>
    public static string Write(string databasePath, IReadOnlyList<PromptRecord> records)
    {
        var spool = new Spool(databasePath);
        spool.Append(records);
        return spool.OwnFile;
    }
}
