using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace PromptLogging.Tests.Support;

/// <summary>
/// Skips a test with a reason that a plain <c>dotnet test</c> shows. The NUnit adapter puts an
/// <see cref="Assert.Ignore(string)"/> reason in the .trx only (the console says just "Skipped NAME"), so the reason is
/// also written, once a run, to <see cref="TestContext.Error"/>, which the console shows at its default verbosity.
/// </summary>
internal static class Skip
{
    private static readonly ConcurrentDictionary<string, bool> Reported = new(StringComparer.Ordinal);

    [DoesNotReturn]
    public static void Because(string reason)
    {
        if (Reported.TryAdd(reason, true))
        {
            TestContext.Error.WriteLine($"Skipping: {reason} (said once; each test skipped for it shows as Skipped)");
        }

        Assert.Ignore(reason);
    }
}
