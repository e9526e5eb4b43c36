using Microsoft.AspNetCore.Http;
using PromptLogging.Export;
using PromptLogging.Pricing;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Compare;
using PromptLogging.Tool.Web.Api;

namespace PromptLogging.Tool.Web.Compare;

/// <summary>
/// What <c>/compare</c> and <c>/api/compare</c> are asked: the two namespaces <c>a</c> and <c>b</c> and the records
/// page's filters (<see cref="RecordSelection"/>, its namespace, search and cursor ignored), which select the records
/// of <c>a</c> as <c>compare NS_A NS_B [filters]</c> does.
/// </summary>
public sealed record CompareQuery(string A, string B, RecordSelection Selection)
{
    internal static CompareQuery From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var selection = RecordSelection.From(query) with { Namespace = string.Empty, Search = string.Empty, Before = string.Empty };
        return new CompareQuery(query["a"].LastOrDefault()?.Trim() ?? string.Empty, query["b"].LastOrDefault()?.Trim() ?? string.Empty, selection);
    }

    /// <summary>Whether both namespaces are given (else the page shows only its form).</summary>
    public bool Asked => A.Length > 0 && B.Length > 0;

    /// <summary>The comparison, or null with what is wrong, said as the CLI would (no pairs included).</summary>
    internal Comparison? Run(ReadSession session, PriceTable prices, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!Asked)
        {
            problem = "give two namespaces: a (the originals) and b (their replay, or another run of the same prompts).";
            return null;
        }

        if (A == B)
        {
            problem = $"compare needs two different namespaces, not '{A}' twice.";
            return null;
        }

        var filter = (Selection with { Namespace = A }).ToFilter(DateTimeOffset.UtcNow, out problem);
        if (filter is null)
        {
            return null;
        }

        if (filter.Kind != Storage.PromptRecord.ChatKind)
        {
            problem = "compare compares chat prompts only; drop type=text.";
            return null;
        }

        var comparison = Comparison.Run(session.Connection, filter, B, prices);
        problem = comparison.Pairs.Count == 0 ? CompareRunner.WhyNoPairs(comparison) : null;
        return comparison;
    }

    /// <summary>This query string (leading <c>?</c>), every value encoded.</summary>
    public string ToQuery()
    {
        var filters = Selection.ToQuery(withSearch: false, withCursor: false, withLimit: false);
        return "?a=" + Uri.EscapeDataString(A) + "&b=" + Uri.EscapeDataString(B) + (filters.Length == 0 ? string.Empty : "&" + filters[1..]);
    }
}
