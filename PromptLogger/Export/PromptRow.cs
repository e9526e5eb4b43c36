using System.Data.Common;

namespace PromptLogging.Export;

/// <summary>Column ordinals of <see cref="JsonlExporter"/>'s prompt query, and typed reads that map NULL to null.</summary>
internal static class PromptRow
{
    public const int Id = 0;
    public const int Namespace = 1;
    public const int Model = 2;
    public const int Provider = 3;
    public const int Messages = 4;
    public const int Tools = 5;
    public const int GenerationKwargs = 6;
    public const int Completions = 7;
    public const int Prompt = 8;
    public const int Response = 9;
    public const int InputTokens = 10;
    public const int OutputTokens = 11;
    public const int Error = 12;
    public const int Stream = 13;
    public const int TimeToFirstTokenSeconds = 14;
    public const int InferenceOn = 15;
    public const int InferenceSeconds = 16;
    public const int Tags = 17;

    public static string? String(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    /// <summary>A stored JSON column as its UTF-8 bytes (SQLite keeps text as UTF-8, PostgreSQL sends it so: no transcoding).</summary>
    public static byte[]? Utf8(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetFieldValue<byte[]>(ordinal);

    public static double? Double(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);

    public static long? Long(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt64(ordinal);
}
