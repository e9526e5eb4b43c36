using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PromptLogging.Benchmarks.Support;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Stats;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Rendering;

namespace PromptLogging.Benchmarks.Querying;

/// <summary>
/// <c>search</c> and <c>stats</c> in-process (the query and its formatting, not the process start) over a SQLite store
/// of 1,000,000 chat prompts of about 600 bytes of text each (words drawn from a 20,000-word vocabulary, frequency
/// falling as 1/rank), with five models: the lazy index build, a word's best 20 with snippets, and stats by model.
/// </summary>
internal static class SearchAndStats
{
    private const int Vocabulary = 20_000;
    private const int WordsPerPrompt = 80;

    // Frequency ~ 1/rank: the word of rank 800 is in about 1 % of the prompts.
    private const int SearchedRank = 800;

    private static readonly string[] Models = ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "claude-sonnet-4-5", "my-own-model"];

    public static void Run(Results results, bool quick)
    {
        var count = quick ? 200_000 : 1_000_000;
        // PROMPTLOGGER_BENCH_QUERY_DB: a database of an earlier run to measure again (kept, not refilled).
        var kept = Environment.GetEnvironmentVariable("PROMPTLOGGER_BENCH_QUERY_DB");
        var path = string.IsNullOrEmpty(kept) ? Measure.TempDatabase("query.db") : kept;
        var reuse = !string.IsNullOrEmpty(kept) && File.Exists(kept);
        try
        {
            var words = MakeWords();
            if (!reuse)
            {
                Fill(path, count, words);
            }

            var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
            using var connection = store.OpenExistingForWriting();

            var build = Measure.Time(() => SearchIndex.CatchUp(connection, DatabaseKind.Sqlite));
            results.Add("search_index_build_s", build.TotalSeconds, "s", $"lazy, at the first search: {count:N0} prompts, batches of {SearchIndex.BatchSize:N0}");

            var filter = ExportFilter.Create("bench", null);
            var word = words[SearchedRank];
            var matches = 0;
            var search = Enumerable.Range(0, quick ? 5 : 15).Select(_ => Measure.Time(() =>
            {
                SearchIndex.CatchUp(connection, DatabaseKind.Sqlite);
                var hits = PromptSearch.Run(connection, DatabaseKind.Sqlite, filter, PromptRecord.ChatKind, word, 20);
                using var output = new StringWriter();
                SearchView.Write(output, OutputStyle.Plain, hits);
                matches = hits.Count;
            }).TotalMilliseconds).ToList();
            results.Add("search_word_top20_ms", Measure.Median(search), "ms", $"'{word}' (in ~1 % of {count:N0} prompts), best {matches} with snippets, index up to date; target <= 50");

            var stats = Enumerable.Range(0, quick ? 1 : 3).Select(_ => Measure.Time(() =>
            {
                var groups = PromptStats.Run(store.OpenForReading, DatabaseKind.Sqlite, filter, PromptRecord.ChatKind, StatsGrouping.Model, PriceTable.BuiltIn);
                using var output = new StringWriter();
                StatsView.Write(output, OutputStyle.Plain, StatsGrouping.Model, groups);
            }).TotalSeconds).ToList();
            results.Add("stats_by_model_s", Measure.Median(stats), "s", $"{count:N0} prompts, 5 models, exact percentiles; target <= 2");
            OverviewAndReport.Run(results, path, count, quick);

            Fill(path, 1_000, words, offset: count + (int)(DateTime.UtcNow.Ticks % 1_000_000_000));
            var catchUp = Measure.Time(() => SearchIndex.CatchUp(connection, DatabaseKind.Sqlite));
            results.Add("search_catch_up_1000_ms", catchUp.TotalMilliseconds, "ms", "indexing 1,000 prompts stored since the last search, before the next");
        }
        finally
        {
            if (string.IsNullOrEmpty(kept))
            {
                Measure.DeleteDatabase(path);
            }
        }
    }

    private static string[] MakeWords()
    {
        string[] syllables = ["ka", "lo", "mi", "ter", "sun", "da", "rel", "po", "vin", "za", "ba", "nor", "qui", "fe", "go", "ash", "tu", "el", "ron", "si"];
        var words = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(7);
        while (words.Count < Vocabulary)
        {
            var word = new StringBuilder();
            for (var i = random.Next(2, 5); i > 0; i--)
            {
                word.Append(syllables[random.Next(syllables.Length)]);
            }

            words.Add(word.ToString());
        }

        return [.. words];
    }

    private static void Fill(string path, int count, string[] words, int offset = 0)
    {
        var random = new Random(42 + offset);
        var store = new SqliteStore(DatabaseUrl.Parse("sqlite:///" + path));
        using var connection = store.OpenForWriting();
        store.Migrate(connection);
        using var inserter = new PromptBatchInserter(connection);
        var start = Stopwatch.GetTimestamp();
        for (var first = 0; first < count; first += 1_000)
        {
            var batch = new PromptRecord[Math.Min(1_000, count - first)];
            for (var i = 0; i < batch.Length; i++)
            {
                var question = Sentence(random, words, WordsPerPrompt / 2);
                var answer = Sentence(random, words, WordsPerPrompt / 2);
                batch[i] = SampleCalls.Record(offset + first + i) with
                {
                    Model = Models[random.Next(Models.Length)],
                    InferenceSeconds = 0.2 + (random.NextDouble() * 3),
                    Messages = JsonSerializer.SerializeToUtf8Bytes(new[] { new { role = "system", content = "You are a helpful assistant." }, new { role = "user", content = question } }),
                    Completions = JsonSerializer.SerializeToUtf8Bytes(new[] { new { role = "assistant", content = answer, finish_reason = "stop" } }),
                };
            }

            inserter.Insert(batch);
        }

        Console.WriteLine($"  (filled {count:N0} prompts in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s)");
    }

    private static string Sentence(Random random, string[] words, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var rank = Math.Min(words.Length, (int)Math.Pow(words.Length, random.NextDouble())) - 1;
            text.Append(i == 0 ? string.Empty : " ").Append(words[Math.Max(0, rank)]);
        }

        return text.Append('.').ToString();
    }
}
