using System.Globalization;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using PromptLogging.Browsing;
using PromptLogging.Tool.Web.Api;
using PromptLogging.Tool.Web.Pages;

namespace PromptLogging.Tool.Web.Server;

/// <summary>
/// <c>/api/live?FILTERS&amp;after=POSITION</c>: server-sent events, one <c>record</c> event per record stored after
/// POSITION in insertion order (rowid, seq; the records page gives the store's last) that the filters select, as
/// <c>list --follow</c> finds them (<see cref="RecordFollower"/>). Each event's id is the position read up to, so a
/// browser that reconnects (Last-Event-ID) resumes where it was. Ends when the server stops.
/// </summary>
internal static class LiveEvents
{
    private const int Batch = 200;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapRead("/api/live", Live);

    private static async Task Live(HttpContext context, StoreAccess store, ServeSettings settings, IHostApplicationLifetime lifetime, FailureLog failures)
    {
        var selection = RecordSelection.From(context.Request.Query);
        var filter = selection.ToFilter(DateTimeOffset.UtcNow, out var problem);
        var response = context.Response;
        if (filter is null)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            await response.WriteAsync(problem + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            // The headers of the feed, at once: HEAD has no body to stream, so no feed to keep open.
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            return;
        }

        var given = context.Request.Headers["Last-Event-ID"].LastOrDefault() ?? context.Request.Query["after"].LastOrDefault();
        long? after = null;
        if (!string.IsNullOrEmpty(given))
        {
            if (!long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                response.StatusCode = StatusCodes.Status400BadRequest;
                await response.WriteAsync(
                    "after (or Last-Event-ID) must be a record position, a whole number as the records page's live URL has it; leave it out to start at the newest record.\n",
                    context.RequestAborted).ConfigureAwait(false);
                return;
            }

            after = position;
        }

        RecordFollower follower;
        try
        {
            using var session = store.Open();
            follower = RecordFollower.Start(session.Connection, session.Store, filter, after ?? RecordFollower.LastPosition(session.Connection, session.Store));
        }
        catch (Exception exception) when (exception is DbException or IOException)
        {
            failures.Report($"/api/live: {FailureMessage.Describe(exception)}");
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        try
        {
            await Write(response, "retry: 2000\n: live\n\n", token).ConfigureAwait(false);
            var quietSince = DateTime.UtcNow;
            while (true)
            {
                await Task.Delay(settings.PollInterval, token).ConfigureAwait(false);
                IReadOnlyList<(StoredRecord Record, long Position)> records;
                try
                {
                    using var session = store.Open();
                    records = follower.Next(session.Connection, Batch);
                }
                catch (Exception exception) when (exception is DbException or IOException)
                {
                    failures.Report($"/api/live: {FailureMessage.Describe(exception)}");
                    return;
                }

                if (records.Count > 0)
                {
                    var events = new StringBuilder();
                    foreach (var (record, position) in records)
                    {
                        Append(events, record, position, settings);
                    }

                    await Write(response, events.ToString(), token).ConfigureAwait(false);
                    quietSince = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - quietSince > KeepAlive)
                {
                    await Write(response, ": still here\n\n", token).ConfigureAwait(false);
                    quietSince = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page went away, or the server is stopping.
        }
    }

    private static void Append(StringBuilder events, StoredRecord record, long position, ServeSettings settings)
    {
        var row = RecordRow.From(record, settings.Prices);
        var data = JsonSerializer.Serialize(new
        {
            id = row.Id,
            href = RecordLinks.Record(row.Id),
            time = row.TimeText,
            @namespace = row.Namespace,
            model = row.Model ?? string.Empty,
            duration = row.DurationText,
            tokens = row.TokensText,
            cost = row.CostText,
            question = row.QuestionShort,
            reply = row.ReplyShort,
            failed = row.Error is not null,
        });
        // The event id is a number, never stored text: nothing in a record can forge a field. JSON text has no raw line break: one data line.
        events.Append("id: ").Append(position.ToString(CultureInfo.InvariantCulture)).Append('\n');
        events.Append("event: record\ndata: ").Append(data).Append("\n\n");
    }

    private static async Task Write(HttpResponse response, string text, CancellationToken token)
    {
        await response.WriteAsync(text, token).ConfigureAwait(false);
        await response.Body.FlushAsync(token).ConfigureAwait(false);
    }
}
