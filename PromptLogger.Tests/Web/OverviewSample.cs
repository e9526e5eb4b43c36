using PromptLogging.Storage;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Web;

/// <summary>
/// Records over three UTC days (a gap of one day between the second and third), three models (one the price table
/// does not know), errors, timed and streamed calls: what the overview and report cases store.
/// </summary>
internal static class OverviewSample
{
    public static readonly DateTimeOffset FirstDay = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Stores the sample in <paramref name="url"/>; returns how many records.</summary>
    public static int Store(string url, string @namespace = "default")
    {
        var records = new List<PromptRecord>();
        // Day 1: 6 calls to gpt-4.1 (one failed); day 2: 3 to gpt-4o (streamed) and 2 to my-own-model; day 4: 4 to gpt-4.1.
        for (var i = 0; i < 6; i++)
        {
            records.Add(Chat(@namespace, "gpt-4.1", FirstDay.AddHours(1 + i), 0.5 + i, i == 5 ? "rate limited" : null));
        }

        for (var i = 0; i < 3; i++)
        {
            records.Add(Chat(@namespace, "gpt-4o", FirstDay.AddDays(1).AddHours(2 + i), 1 + i) with { Stream = true, TimeToFirstTokenSeconds = 0.1 * (i + 1) });
        }

        records.Add(Chat(@namespace, "my-own-model", FirstDay.AddDays(1).AddHours(8), 2));
        records.Add(Chat(@namespace, "my-own-model", FirstDay.AddDays(1).AddHours(9), 4));
        for (var i = 0; i < 4; i++)
        {
            records.Add(Chat(@namespace, "gpt-4.1", FirstDay.AddDays(3).AddHours(i), 3 + i));
        }

        StoredRecords.Store(url, [.. records]);
        return records.Count;
    }

    public static PromptRecord Chat(string @namespace, string model, DateTimeOffset at, double seconds, string? error = null, string question = "q", string answer = "a") =>
        StoredRecords.Chat(@namespace, question, answer, model) with
        {
            Id = Guid.NewGuid().ToString(),
            InferenceOn = at.ToUnixTimeMilliseconds() / 1000.0,
            InferenceSeconds = seconds,
            Error = error,
        };
}
