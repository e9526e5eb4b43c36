using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PromptLogging.Browsing;
using PromptLogging.Export;
using PromptLogging.Stats;
using PromptLogging.Storage;
using PromptLogging.Storage.Search;
using PromptLogging.Tool.Web.Compare;
using PromptLogging.Tool.Web.Overview;
using PromptLogging.Tool.Web.Server;

namespace PromptLogging.Tool.Web.Api;

/// <summary>
/// <c>/api/…</c>: the pages' data as JSON, with the pages' query parameters (<see cref="RecordSelection"/>). A record
/// is its export line (the seed's JSONL contract); a bad parameter is 400 and a missing record 404, each with
/// <c>{"error": "…"}</c>.
/// </summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRead("/api/records", Records);
        endpoints.MapRead("/api/records/{id}", Record);
        endpoints.MapRead("/api/record", ([Microsoft.AspNetCore.Mvc.FromQuery] string id, StoreAccess store, ServeSettings settings) => Record(id, store, settings));
        endpoints.MapRead("/api/conversations/{id}", Conversation);
        endpoints.MapRead("/api/conversation", ([Microsoft.AspNetCore.Mvc.FromQuery] string id, HttpContext context, StoreAccess store, ServeSettings settings) =>
            Conversation(id, context, store, settings));
        endpoints.MapRead("/api/namespaces", (StoreAccess store) =>
        {
            using var session = store.Open();
            return Json(StoreContents.Namespaces(session.Connection).Select(g => new { g.Namespace, g.Prompts, first_use = Time(g.FirstUse), last_use = Time(g.LastUse) }));
        });
        endpoints.MapRead("/api/models", (HttpContext context, StoreAccess store) =>
        {
            using var session = store.Open();
            var @namespace = context.Request.Query["namespace"].LastOrDefault() is { Length: > 0 } ns ? ns : null;
            return Json(StoreContents.Models(session.Connection, @namespace).Select(g => new { g.Namespace, g.Model, g.Prompts, first_use = Time(g.FirstUse), last_use = Time(g.LastUse) }));
        });
        endpoints.MapRead("/api/overview", Overview);
        endpoints.MapRead("/api/stats", Stats);
        endpoints.MapRead("/api/compare", Compare);
    }

    private static IResult Records(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var selection = RecordSelection.From(context.Request.Query);
        var filter = selection.ToFilter(DateTimeOffset.UtcNow, out var problem);
        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        using var session = store.Open();
        if (selection.Search.Length > 0)
        {
            try
            {
                var matches = SearchResults.Run(session, filter, selection.Search, selection.Limit);
                return Json(new
                {
                    matches = matches.Select(m => new { m.Id, m.Namespace, m.Model, m.Time, snippet = string.Concat(m.Snippet.Select(p => p.Match ? $"[{p.Text}]" : p.Text)) }),
                    not_indexed = SearchResults.NotIndexed(session),
                });
            }
            catch (SearchQuerySyntaxException exception)
            {
                return Error(StatusCodes.Status400BadRequest, exception.Message);
            }
        }

        var (records, next) = RecordsQuery.Page(session, filter, selection.Cursor, selection.Limit);
        return Json(new
        {
            records = records.Select(r => RecordRow.From(r, settings.Prices)),
            next = next?.ToString(),
            next_url = next is null ? null : "/api/records" + (selection with { Before = next.ToString() }).ToQuery(),
        });
    }

    private static IResult Record(string id, StoreAccess store, ServeSettings settings)
    {
        using var session = store.Open();
        var record = RecordsQuery.One(session, id);
        return record is null
            ? Error(StatusCodes.Status404NotFound, $"no record has the id '{id}'.")
            : Results.Text(RecordsQuery.JsonlLine(session, record, settings.Prices), "application/json; charset=utf-8");
    }

    private static IResult Conversation(string id, HttpContext context, StoreAccess store, ServeSettings settings)
    {
        using var session = store.Open();
        var @namespace = context.Request.Query["namespace"].LastOrDefault() is { Length: > 0 } ns ? ns : null;
        var kind = context.Request.Query["type"].LastOrDefault() == PromptRecord.TextKind ? PromptRecord.TextKind : PromptRecord.ChatKind;
        var records = RecordsQuery.Conversation(session, ExportFilter.Create(@namespace, null, conversationId: id) with { Kind = kind });
        if (records.Count == 0)
        {
            return Error(StatusCodes.Status404NotFound, $"no call of conversation '{id}' is stored.");
        }

        // The calls are export lines already: written as they are, not parsed and written again.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("conversation", id);
            writer.WriteBoolean("truncated", records.Count > RecordsQuery.MaxConversationCalls);
            writer.WriteStartArray("calls");
            foreach (var record in records.Take(RecordsQuery.MaxConversationCalls))
            {
                writer.WriteRawValue(RecordsQuery.JsonlLine(session, record, settings.Prices), skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=utf-8");
    }

    private static IResult Overview(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var filter = RecordSelection.From(context.Request.Query).ToFilter(DateTimeOffset.UtcNow, out var problem);
        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        using var session = store.Open();
        return Json(OverviewQuery.Load(session, filter, settings.Prices, context.RequestAborted));
    }

    private static IResult Stats(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var by = context.Request.Query["by"].LastOrDefault() is { Length: > 0 } name ? name : "model";
        if (!StatsGroupings.ByName.TryGetValue(by, out var grouping))
        {
            return Error(StatusCodes.Status400BadRequest, $"by must be one of {string.Join(", ", StatsGroupings.ByName.Keys)}, not '{by}'.");
        }

        var filter = RecordSelection.From(context.Request.Query).ToFilter(DateTimeOffset.UtcNow, out var problem);
        if (filter is null)
        {
            return Error(StatusCodes.Status400BadRequest, problem!);
        }

        using var session = store.Open();
        var groups = PromptStats.Run(session.Store.OpenForReading, session.Store.Url.Kind, filter, filter.Kind, grouping, settings.Prices, context.RequestAborted);
        return Json(new
        {
            by,
            groups = groups.Select(g => new
            {
                key = g.Key,
                g.Calls,
                g.Errors,
                g.ErrorRate,
                g.InputTokens,
                g.OutputTokens,
                g.EstimatedCostUsd,
                g.UnpricedCalls,
                latency_p50 = At(g.Latency, 0),
                latency_p95 = At(g.Latency, 1),
                latency_p99 = At(g.Latency, 2),
                ttft_p50 = At(g.TimeToFirstToken, 0),
                ttft_p95 = At(g.TimeToFirstToken, 1),
            }),
        });
    }

    private static double? At(IReadOnlyList<double>? values, int index) => values is not null && index < values.Count ? values[index] : null;

    private static DateTimeOffset? Time(double? seconds) =>
        seconds is { } s ? EpochSeconds.ToTime(s) : null;

    // Exactly what compare --json prints; a query that cannot be read is 400, two namespaces without pairs 404.
    private static IResult Compare(HttpContext context, StoreAccess store, ServeSettings settings)
    {
        var query = CompareQuery.From(context.Request.Query);
        using var session = store.Open();
        var comparison = query.Run(session, settings.Prices, out var problem);
        if (problem is not null)
        {
            return Error(comparison is null ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound, problem);
        }

        using var json = new MemoryStream();
        Rendering.CompareView.WriteJson(json, comparison!);
        return Results.Bytes(json.ToArray(), "application/json; charset=utf-8");
    }

    private static IResult Json(object value) => Results.Json(value, ApiJson.Options, "application/json; charset=utf-8");

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, ApiJson.Options, "application/json; charset=utf-8", status);
}
