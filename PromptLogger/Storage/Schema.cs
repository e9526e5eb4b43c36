namespace PromptLogging.Storage;

/// <summary>
/// The SQLite database schema, as the list of steps that build it (<see cref="SchemaSteps"/>, columns from
/// <see cref="PromptColumns"/>). Step N takes a database from version N-1 to N; the version is kept in
/// <c>PRAGMA user_version</c>. Never edit a released step: add one.
/// </summary>
internal static class Schema
{
    /// <summary>The version this build writes.</summary>
    public static int CurrentVersion => SchemaSteps.Count;

    public static readonly string[] Steps = SchemaSteps.For(DatabaseKind.Sqlite);
}
