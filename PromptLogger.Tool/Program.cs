namespace PromptLogging.Tool;

internal static class Program
{
    private static int Main() => 0;
}
