using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using PromptLogging.Json;
using PromptLogging.Storage;

namespace PromptLogging.Writing;

/// <summary>
/// Infers conversations: a chat record with no conversation id whose messages start with an earlier call's messages
/// followed by that call's reply (its first completion, as an assistant message) continues that call's conversation;
/// otherwise it starts a new one. Run by the batch inserters as they store a batch, so that it holds across batches,
/// spool replays and process restarts, and within one batch (two turns stored together).
/// </summary>
/// <remarks>
/// <para>
/// What the lookup needs is kept in the store: each chat record's <see cref="PromptRecord.ThreadKey"/>, a hash of its
/// messages and its reply, indexed with its namespace. A new call looks up the hashes of its candidate prefixes —
/// each prefix of its messages that ends in an assistant message, longest first — among the keys of its own batch,
/// then the store's.
/// </para>
/// <para>
/// A message is matched on its role, its content, the tool call it answers, and its tool calls (id, function name, and
/// arguments compared as JSON, so that an SDK that re-serializes them still matches), as stored — redacted as stored.
/// A record with a message that has neither content nor tool calls (content not stored) is not threaded: with the
/// text gone, every conversation would look alike.
/// </para>
/// </remarks>
internal static class ConversationThreads
{
    /// <summary>Looks up stored conversations by (namespace, thread key); keys not found are left out.</summary>
    public delegate Dictionary<(string Namespace, long Key), string> StoredLookup(IReadOnlyCollection<(string Namespace, long Key)> keys);

    private const byte RoleTag = 1;
    private const byte ContentTag = 2;
    private const byte ToolCallIdTag = 3;
    private const byte ToolCallTag = 4;
    private const byte EndOfMessage = 5;

    /// <summary>
    /// Sets <see cref="PromptRecord.ThreadKey"/> on every chat record that has a reply, and
    /// <see cref="PromptRecord.ConversationId"/> on every chat record without one: continued, or new.
    /// </summary>
    public static void Resolve(IReadOnlyList<PromptRecord> records, StoredLookup lookUp)
    {
        List<long>?[]? candidates = null;
        HashSet<(string, long)>? wanted = null;
        var hash = new ArrayBufferWriter<byte>(1024);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Kind != PromptRecord.ChatKind || record.Messages is null)
            {
                continue;
            }

            var needsThread = record.ConversationId is null;
            if (record.ThreadKey is not null && !needsThread)
            {
                continue; // resolved by an earlier attempt at this batch
            }

            var prefixes = needsThread ? new List<long>() : null;
            if (!TryHash(record, hash, prefixes, out var own))
            {
                prefixes = null;
            }

            record.ThreadKey ??= own;
            if (prefixes is { Count: > 0 })
            {
                candidates ??= new List<long>?[records.Count];
                candidates[i] = prefixes;
                wanted ??= [];
                foreach (var key in prefixes)
                {
                    wanted.Add((record.Namespace, key));
                }
            }
        }

        var stored = wanted is null ? null : lookUp(wanted);
        var inBatch = new Dictionary<(string, long), string>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Kind != PromptRecord.ChatKind)
            {
                continue;
            }

            if (record.ConversationId is null && candidates?[i] is { } prefixes)
            {
                record.ConversationId = Continued(record.Namespace, prefixes, inBatch, stored);
            }

            if (record.Messages is not null)
            {
                record.ConversationId ??= TimeOrderedId.New().ToString();
            }

            if (record.ThreadKey is { } key && record.ConversationId is { } conversation)
            {
                inBatch.TryAdd((record.Namespace, key), conversation);
            }
        }
    }

    private static string? Continued(
        string @namespace,
        List<long> prefixes,
        Dictionary<(string, long), string> inBatch,
        Dictionary<(string Namespace, long Key), string>? stored)
    {
        // Longest first: the latest turn the call continues.
        for (var p = prefixes.Count - 1; p >= 0; p--)
        {
            var key = (@namespace, prefixes[p]);
            if (inBatch.TryGetValue(key, out var conversation) || (stored is not null && stored.TryGetValue(key, out conversation)))
            {
                return conversation;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the canonical form of the record's messages into <paramref name="hash"/> (a buffer reused across a batch),
    /// adding to <paramref name="prefixes"/> the key of each prefix that ends in an assistant message, shortest first;
    /// <paramref name="own"/> is the key of the messages followed by the reply (null when there is no reply).
    /// </summary>
    /// <returns>False when the record cannot be threaded (content not stored, or not the JSON the logger writes).</returns>
    internal static bool TryHash(PromptRecord record, ArrayBufferWriter<byte> hash, List<long>? prefixes, out long? own)
    {
        own = null;
        hash.ResetWrittenCount();
        try
        {
            var reader = new Utf8JsonReader(record.Messages, new JsonReaderOptions { MaxDepth = JsonColumn.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (!HashMessage(ref reader, record.Messages!, hash, out var isAssistant))
                {
                    return false;
                }

                if (isAssistant)
                {
                    prefixes?.Add(Key(hash.WrittenSpan));
                }
            }

            if (record.Completions is not { Length: > 0 } completions)
            {
                return true;
            }

            var replies = new Utf8JsonReader(completions, new JsonReaderOptions { MaxDepth = JsonColumn.MaxDepth });
            if (replies.Read() && replies.TokenType == JsonTokenType.StartArray &&
                replies.Read() && replies.TokenType == JsonTokenType.StartObject &&
                HashMessage(ref replies, completions, hash, out _))
            {
                own = Key(hash.WrittenSpan);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Hashes one message (or completion) object; the reader is on its start and ends on its end.</summary>
    private static bool HashMessage(ref Utf8JsonReader reader, byte[] source, ArrayBufferWriter<byte> hash, out bool isAssistant)
    {
        isAssistant = false;
        var hasText = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                isAssistant = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8);
                Append(hash, RoleTag, Raw(ref reader, source));
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                hasText = true;
                Append(hash, ContentTag, Raw(ref reader, source));
            }
            else if (reader.ValueTextEquals("tool_call_id"u8))
            {
                reader.Read();
                Append(hash, ToolCallIdTag, Raw(ref reader, source));
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                hasText |= HashToolCalls(ref reader, source, hash);
            }
            else
            {
                // finish_reason, and anything else that is not what the message says.
                reader.Read();
                reader.Skip();
            }
        }

        hash.Write([EndOfMessage]);
        return hasText;
    }

    private static bool HashToolCalls(ref Utf8JsonReader reader, byte[] source, ArrayBufferWriter<byte> hash)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Append(hash, ToolCallTag, Raw(ref reader, source));
            return true;
        }

        var any = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            any = true;
            var depth = reader.CurrentDepth;
            while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    Append(hash, ToolCallTag, Raw(ref reader, source));
                }
                else if (reader.ValueTextEquals("arguments"u8))
                {
                    reader.Read();
                    Append(hash, ToolCallTag, Arguments(ref reader, source));
                }
                else if (!reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return any;
    }

    /// <summary>Tool call arguments, compacted when they are JSON: an SDK that re-serializes them still matches.</summary>
    private static ReadOnlySpan<byte> Arguments(ref Utf8JsonReader reader, byte[] source)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return Raw(ref reader, source);
        }

        var text = reader.GetString()!;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = JsonColumn.MaxDepth });
            var buffer = new ArrayBufferWriter<byte>(text.Length);
            using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.Writer with { MaxDepth = JsonColumn.MaxDepth }))
            {
                document.RootElement.WriteTo(writer);
            }

            return buffer.WrittenSpan;
        }
        catch (JsonException)
        {
            return reader.ValueSpan;
        }
    }

    /// <summary>The current value as it is written in the JSON text: a string's escaped bytes, or a whole array or object.</summary>
    private static ReadOnlySpan<byte> Raw(ref Utf8JsonReader reader, byte[] source)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return reader.ValueSpan;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return source.AsSpan(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Appends a value to the canonical form, tagged and length-prefixed so that no two forms run together.</summary>
    private static void Append(ArrayBufferWriter<byte> canonical, byte tag, ReadOnlySpan<byte> value)
    {
        var span = canonical.GetSpan(5 + value.Length);
        span[0] = tag;
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], value.Length);
        value.CopyTo(span[5..]);
        canonical.Advance(5 + value.Length);
    }

    // 64 bits of SHA-256, stored as an integer: a thread key index entry is a dozen bytes, not fifty (the index takes
    // one random insert a chat record, so its size is the store's write volume); a false match needs two of a
    // namespace's records among billions to collide.
    // The canonical form of a prefix is built once and hashed in one call: per-value incremental hashing crossed into
    // the native library a dozen times a record.
    private static long Key(ReadOnlySpan<byte> canonical)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonical, hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }
}
