namespace PromptLogging.TestHost;

/// <summary>
/// Creates a logger on a database URL and reports what the constructor threw: run from a copy of this program
/// without PromptLogger.PostgreSql, a postgresql:// URL must fail there, naming the package.
/// </summary>
internal static class OpenDatabase
{
    public static int Run(string database)
    {
        try
        {
            using var logger = new PromptLogger("open-database", database);
            Console.WriteLine("opened " + logger.Database);
            return 1;
        }
        catch (ArgumentException exception)
        {
            Console.WriteLine(exception.Message);
            return 0;
        }
    }
}
