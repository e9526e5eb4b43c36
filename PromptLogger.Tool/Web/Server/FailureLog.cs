namespace PromptLogging.Tool.Web.Server;

/// <summary>Where a failed request is reported, one line each (standard error for <c>serve</c>; a test's list in tests).</summary>
internal sealed class FailureLog(Action<string> report)
{
    public void Report(string message) => report(Storage.DatabaseUrl.RedactText(message));
}
