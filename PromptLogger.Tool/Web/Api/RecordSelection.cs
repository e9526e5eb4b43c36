using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using PromptLogging.Export;
using PromptLogging.Tool.Verbs;

namespace PromptLogging.Tool.Web.Api;

/// <summary>
/// The records a page or <c>/api/…</c> request selects, as its query string says: the CLI's filters under the same
/// names (<c>namespace</c> (empty: every namespace), <c>models</c>, <c>since</c>, <c>until</c>, <c>conversation</c>,
/// <c>user</c>, <c>tag</c> (repeatable), <c>errors</c> = <c>only</c>|<c>none</c>, <c>type</c> = <c>chat</c>|<c>text</c>),
/// the search <c>q</c>, the page's cursor <c>before</c> and <c>limit</c>. Checked by the CLI's own
/// <see cref="FilterArguments"/>, so a value means the same in the browser as on the command line.
/// </summary>
public sealed record RecordSelection
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public string Namespace { get; init; } = string.Empty;
    public string Models { get; init; } = string.Empty;
    public string Since { get; init; } = string.Empty;
    public string Until { get; init; } = string.Empty;
    public string Conversation { get; init; } = string.Empty;
    public string User { get; init; } = string.Empty;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string Errors { get; init; } = string.Empty;
    public string Type { get; init; } = string.Empty;
    public string Search { get; init; } = string.Empty;
    public string Before { get; init; } = string.Empty;
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Reads the query string; values are trimmed, empty ones ignored.</summary>
    public static RecordSelection From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string One(string name) => query[name].LastOrDefault()?.Trim() ?? string.Empty;
        return new RecordSelection
        {
            Namespace = One("namespace"),
            Models = string.Join(',', query["models"].Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m!.Trim())),
            Since = One("since"),
            Until = One("until"),
            Conversation = One("conversation"),
            User = One("user"),
            Tags = [.. query["tag"].Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim())],
            Errors = One("errors"),
            Type = One("type"),
            Search = One("q"),
            Before = One("before"),
            Limit = int.TryParse(One("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : DefaultLimit,
        };
    }

    /// <summary>The filter, or null with <paramref name="problem"/> saying what is wrong (as the CLI would).</summary>
    internal ExportFilter? ToFilter(DateTimeOffset now, out string? problem)
    {
        if (Errors is not ("" or "only" or "none"))
        {
            problem = $"errors must be only or none, not '{Errors}'.";
            return null;
        }

        if (Limit is < 1 or > MaxLimit)
        {
            problem = $"limit must be from 1 to {MaxLimit}, not {Limit}.";
            return null;
        }

        if (Before.Length > 0 && RecordCursor.Parse(Before) is null)
        {
            problem = $"before '{Before}' is not a page cursor; follow the page's own links.";
            return null;
        }

        var options = new Options
        {
            Namespace = Namespace.Length == 0 ? PromptLoggerOptions.DefaultNamespace : Namespace,
            AllNamespaces = Namespace.Length == 0,
            Since = NullIfEmpty(Since),
            Until = NullIfEmpty(Until),
            Conversation = NullIfEmpty(Conversation),
            User = NullIfEmpty(User),
            Errors = Errors == "only",
            NoErrors = Errors == "none",
            Type = NullIfEmpty(Type),
        };
        // The repeated flags are read from a command line: they get one of their own.
        var args = new List<string>();
        if (Models.Length > 0)
        {
            args.Add("--models=" + Models);
        }

        args.AddRange(Tags.Select(tag => "--tag=" + tag));
        var filter = FilterArguments.Read(args, options, now, out problem);
        problem = problem?.Replace("--", string.Empty, StringComparison.Ordinal);
        return filter;
    }

    /// <summary>The cursor of the page asked for; null for the first page.</summary>
    internal RecordCursor? Cursor => RecordCursor.Parse(Before);

    /// <summary>The query string of this selection (leading <c>?</c>, or empty), every value encoded.</summary>
    public string ToQuery(bool withSearch = true, bool withCursor = true, bool withLimit = true)
    {
        var query = new StringBuilder();
        void Add(string name, string value)
        {
            if (value.Length > 0)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("namespace", Namespace);
        Add("models", Models);
        Add("since", Since);
        Add("until", Until);
        Add("conversation", Conversation);
        Add("user", User);
        foreach (var tag in Tags)
        {
            Add("tag", tag);
        }

        Add("errors", Errors);
        Add("type", Type);
        if (withSearch)
        {
            Add("q", Search);
        }

        if (withCursor)
        {
            Add("before", Before);
        }

        if (withLimit && Limit != DefaultLimit)
        {
            Add("limit", Limit.ToString(CultureInfo.InvariantCulture));
        }

        return query.ToString();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed class Options : IFilterOptions
    {
        public string Namespace { get; set; } = string.Empty;
        public bool AllNamespaces { get; set; }
        public string Models { get; set; } = FilterArguments.AllModels;
        public string? Since { get; set; }
        public string? Until { get; set; }
        public string? Conversation { get; set; }
        public string? User { get; set; }
        public string? Tag { get; set; }
        public bool Errors { get; set; }
        public bool NoErrors { get; set; }
        public string? Type { get; set; }
    }
}
