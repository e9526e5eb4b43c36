using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Browsing;
using PromptLogging.Tool.Web.Api;
using PromptLogging.Tool.Web.Compare;
using PromptLogging.Tool.Web.Overview;
using PromptLogging.Tool.Web.Pages;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// The pages: <c>/</c> (overview), <c>/records</c>, <c>/records/ID</c>, <c>/conversations/ID</c>, <c>/compare</c>; each reads the
/// store read-only for the request and renders a Razor component (which encodes every value).
/// </summary>
internal static class PageEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRead("/", Overview);
        endpoints.MapRead("/records", Records);
        endpoints.MapRead("/records/{id}", Record);
        endpoints.MapRead("/record", ([Microsoft.AspNetCore.Mvc.FromQuery] string id, StoreAccess store, ServeSettings settings) => Record(id, store, settings));
        endpoints.MapRead("/conversations/{id}", Conversation);
        endpoints.MapRead("/compare", Compare);
        endpoints.MapRead("/conversation", ([Microsoft.AspNetCore.Mvc.FromQuery] string id, HttpContext context, StoreAccess store, ServeSettings settings) =>
            Conversation(id, context, store, settings));
        endpoints.MapFallback((StoreAccess store) =>
        {
            using var session = store.Open();
            return Problem(session, StatusCodes.Status404NotFound, "Not found", "This server has no such page.");
        });
    }

    private static RazorComponentResult<OverviewPage> Overview(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var selection = RecordSelection.From(context.Request.Query);
        using var session = store.Open();
        var filter = selection.ToFilter(DateTimeOffset.UtcNow, out var problem);
        var data = filter is null ? null : OverviewQuery.Load(session, filter, settings.Prices, context.RequestAborted);
        return Page<OverviewPage>(
            new Dictionary<string, object?>
            {
                [nameof(OverviewPage.Database)] = session.Store.DisplayName,
                [nameof(OverviewPage.Selection)] = selection,
                [nameof(OverviewPage.Namespaces)] = StoreNames.Namespaces(session),
                [nameof(OverviewPage.Data)] = data,
                [nameof(OverviewPage.Problem)] = problem,
            },
            problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static RazorComponentResult<RecordsPage> Records(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var selection = RecordSelection.From(context.Request.Query);
        using var session = store.Open();
        var model = RecordsPageModel(session, selection, settings);
        return Page<RecordsPage>(new Dictionary<string, object?> { [nameof(RecordsPage.Model)] = model },
            model.Problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static RecordsModel RecordsPageModel(ReadSession session, RecordSelection selection, ServeSettings settings)
    {
        var model = new RecordsModel
        {
            Database = session.Store.DisplayName,
            Selection = selection,
            Namespaces = StoreNames.Namespaces(session),
            Models = StoreNames.Models(session),
        };
        var filter = selection.ToFilter(DateTimeOffset.UtcNow, out var problem);
        if (filter is null)
        {
            return new RecordsModel { Database = model.Database, Selection = selection, Namespaces = model.Namespaces, Models = model.Models, Problem = problem };
        }

        if (selection.Search.Length > 0)
        {
            try
            {
                var matches = SearchResults.Run(session, filter, selection.Search, selection.Limit);
                return new RecordsModel
                {
                    Database = model.Database, Selection = selection, Namespaces = model.Namespaces, Models = model.Models,
                    Matches = matches, NotIndexed = SearchResults.NotIndexed(session),
                };
            }
            catch (SearchQuerySyntaxException exception)
            {
                return new RecordsModel
                {
                    Database = model.Database, Selection = selection, Namespaces = model.Namespaces, Models = model.Models,
                    Problem = $"{exception.Message.TrimEnd('.')}. Search takes words, \"phrases\", prefix*, OR, NOT, AND and parentheses.",
                };
            }
        }

        var (records, next) = RecordsQuery.Page(session, filter, selection.Cursor, selection.Limit);
        string? live = null;
        if (selection.Before.Length == 0)
        {
            var after = RecordFollower.LastPosition(session.Connection, session.Store).ToString(CultureInfo.InvariantCulture);
            var query = selection.ToQuery(withSearch: false, withCursor: false, withLimit: false);
            live = "/api/live" + query + (query.Length == 0 ? "?" : "&") + "after=" + after;
        }

        return new RecordsModel
        {
            Database = model.Database, Selection = selection, Namespaces = model.Namespaces, Models = model.Models,
            Rows = [.. records.Select(r => RecordRow.From(r, settings.Prices))],
            OlderUrl = next is null ? null : "/records" + (selection with { Before = next.ToString() }).ToQuery(),
            LiveUrl = live,
        };
    }

    private static IResult Record(string id, StoreAccess store, ServeSettings settings)
    {
        using var session = store.Open();
        var record = RecordsQuery.One(session, id);
        if (record is null)
        {
            return Problem(session, StatusCodes.Status404NotFound, "No such record", $"No record has the id '{id}' in this database.");
        }

        var view = RecordView.From(record, settings.Prices, RecordsQuery.JsonlLine(session, record, settings.Prices));
        return Page<RecordPage>(new Dictionary<string, object?>
        {
            [nameof(RecordPage.Record)] = view,
            [nameof(RecordPage.Database)] = session.Store.DisplayName,
        });
    }

    private static IResult Conversation(string id, HttpContext context, StoreAccess store, ServeSettings settings)
    {
        using var session = store.Open();
        var @namespace = context.Request.Query["namespace"].LastOrDefault() is { Length: > 0 } ns ? ns : null;
        var kind = context.Request.Query["type"].LastOrDefault() == PromptRecord.TextKind ? PromptRecord.TextKind : PromptRecord.ChatKind;
        var filter = ExportFilter.Create(@namespace, null, conversationId: id) with { Kind = kind };
        var records = RecordsQuery.Conversation(session, filter);
        if (records.Count == 0)
        {
            return Problem(session, StatusCodes.Status404NotFound, "No such conversation",
                $"No call of conversation '{id}'{(@namespace is null ? string.Empty : $" in namespace '{@namespace}'")} is stored in this database.");
        }

        var calls = ConversationCall.Thread(records.Take(RecordsQuery.MaxConversationCalls), settings.Prices);
        return Page<ConversationPage>(new Dictionary<string, object?>
        {
            [nameof(ConversationPage.Conversation)] = new ConversationView(id, @namespace ?? string.Empty, calls, records.Count > RecordsQuery.MaxConversationCalls),
            [nameof(ConversationPage.Database)] = session.Store.DisplayName,
        });
    }

    private static RazorComponentResult<ComparePage> Compare(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var query = CompareQuery.From(context.Request.Query);
        using var session = store.Open();
        string? problem = null;
        var comparison = query.Asked ? query.Run(session, settings.Prices, out problem) : null;
        // No pairs is an answer (the page says why); a query that cannot be read is not.
        var unreadable = problem is not null && (comparison is null);
        return Page<ComparePage>(
            new Dictionary<string, object?>
            {
                [nameof(ComparePage.Database)] = session.Store.DisplayName,
                [nameof(ComparePage.Query)] = query,
                [nameof(ComparePage.Namespaces)] = StoreNames.Namespaces(session),
                [nameof(ComparePage.Comparison)] = problem is null ? comparison : null,
                [nameof(ComparePage.Problem)] = problem,
            },
            unreadable ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static RazorComponentResult<ProblemPage> Problem(ReadSession session, int status, string heading, string message) =>
        Page<ProblemPage>(new Dictionary<string, object?>
        {
            [nameof(ProblemPage.Heading)] = heading,
            [nameof(ProblemPage.Message)] = message,
            [nameof(ProblemPage.Database)] = session.Store.DisplayName,
        }, status);

    private static RazorComponentResult<T> Page<T>(IReadOnlyDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where T : IComponent =>
        new(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
}
