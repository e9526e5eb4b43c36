using System.ClientModel;
using System.ClientModel.Primitives;
using PromptLogging.Interception.Calls;
using PromptLogging.Interception.Streams;

namespace PromptLogging.Interception.Readers;

/// <summary>
/// What every OpenAI SDK protocol method (<c>(BinaryContent, RequestOptions)</c> → <see cref="ClientResult"/>) shares,
/// whichever API it calls: the request is the wire body, the reply the raw HTTP response, buffered or streamed.
/// </summary>
internal static class OpenAIProtocol
{
    /// <summary>
    /// Reads a reply body (the API's own reader: chat completions or responses) into an outcome, on the writer.
    /// Returns the offset just past the first event that carried content, or null; <paramref name="whole"/> tells
    /// whether the reply was complete (its closing event, or a whole JSON object).
    /// </summary>
    public delegate int? ReplyReader(ReadOnlyMemory<byte> bytes, CallOutcome outcome, out bool whole);

    /// <summary>Whether <paramref name="parameters"/> and the result are those of a protocol method.</summary>
    public static bool IsProtocolMethod(System.Reflection.ParameterInfo[] parameters, ReturnShape shape, Type itemType) =>
        parameters.Length == 2
        && parameters[0].ParameterType == typeof(BinaryContent)
        && parameters[1].ParameterType == typeof(RequestOptions)
        && itemType == typeof(ClientResult)
        && shape is ReturnShape.Value or ReturnShape.Task;

    /// <summary>
    /// Copies the request body on the caller's thread (the caller may dispose the content after the call); it is
    /// parsed later, on the writer.
    /// </summary>
    public static ReadOnlyMemory<byte> CopyBody(object? content)
    {
        if (content is not BinaryContent binary)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var buffer = new MemoryStream();
        binary.WriteTo(buffer);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>Whether the request options asked for an unbuffered (streamed) reply.</summary>
    public static bool AsksForStream(object? requestOptions) => requestOptions is RequestOptions { BufferResponse: false };

    /// <summary>
    /// For a streamed call, replaces the reply's content stream by one that passes every byte through as it is read
    /// and records the call when it ends, is disposed early, or fails; <paramref name="readReply"/> reads the copied
    /// bytes on the writer. <paramref name="cancellation"/> is the caller's token (from the request options), which
    /// the SDK stops a stream with by disposing the response. Returns whether it did (then the call is not recorded now).
    /// </summary>
    public static bool ObserveStream(object? result, CapturedCall call, ReplyReader readReply, CancellationToken cancellation)
    {
        if (!call.Request.Stream || result is not ClientResult clientResult || clientResult.GetRawResponse() is not { } response
            || response.ContentStream is not { } stream)
        {
            return false;
        }

        response.ContentStream = new ObservedResponseStream(stream, call.Enumeration(), readReply, cancellation);
        return true;
    }

    /// <summary>The caller's token in a protocol call's request options.</summary>
    public static CancellationToken CancellationOf(object? requestOptions) =>
        (requestOptions as RequestOptions)?.CancellationToken ?? default;

    /// <summary>The buffered reply body, kept as it is (the response already holds it) to be parsed on the writer.</summary>
    public static BinaryData? RetainBody(object? result)
    {
        var response = (result as ClientResult)?.GetRawResponse();
        if (response is null)
        {
            return null;
        }

        try
        {
            return response.Content;
        }
        catch (InvalidOperationException)
        {
            // Not buffered (RequestOptions.BufferResponse false but the request did not ask for a stream): the caller
            // reads the body itself; reading it here would take it away.
            return null;
        }
    }

    /// <summary>The first byte that is not JSON white space, or 0: tells a JSON reply (<c>{</c>) from server-sent events.</summary>
    public static byte FirstNonWhiteSpace(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
    }
}
