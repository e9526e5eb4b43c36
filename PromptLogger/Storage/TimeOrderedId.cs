using System.Buffers.Binary;

namespace PromptLogging.Storage;

/// <summary>
/// Version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits, so that ids sort by time and
/// inserts append to the primary key's B-tree instead of scattering across it.
/// </summary>
/// <remarks>
/// The random bits come from <see cref="Random.Shared"/>: ids must be unique, not unguessable, and
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> asks the operating system for secure random bytes on every call,
/// which cost the writer about 600 ns a record here.
/// </remarks>
internal static class TimeOrderedId
{
    /// <summary>A new id for something that happened at <paramref name="time"/> (times before 1970 count as 1970).</summary>
    public static Guid New(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var milliseconds = Math.Max(0, time.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)milliseconds << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A new id for something that happens now.</summary>
    public static Guid New() => New(DateTimeOffset.UtcNow);
}
