using Microsoft.Playwright;

namespace PromptLogging.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package, never a browser Playwright downloads) driven by Playwright for
/// .NET, for the web UI and report cases. Skips with a stated reason when no Chromium is installed; <c>.ci/run</c>
/// installs it and fails if these cases were skipped. <c>PROMPTLOGGER_TEST_CHROMIUM</c> names another executable.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string SkipReason =
        "browser cases need Chromium: apt-get install chromium (or set PROMPTLOGGER_TEST_CHROMIUM to its executable)";

    // As the machine's own probe starts it: no sandbox as root, and no background connections to Google's hosts,
    // which this closed network refuses (each refusal would be a console error on the page).
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser instance)
    {
        _playwright = playwright;
        Instance = instance;
    }

    public IBrowser Instance { get; }

    /// <summary>The Chromium executable these cases use, or null when the machine has none.</summary>
    public static string? Executable
    {
        get
        {
            var named = Environment.GetEnvironmentVariable("PROMPTLOGGER_TEST_CHROMIUM");
            if (!string.IsNullOrEmpty(named))
            {
                return named;
            }

            return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        }
    }

    /// <summary>Starts headless Chromium, or skips the test (with <see cref="SkipReason"/>) when there is none.</summary>
    public static async Task<Browser> LaunchAsync()
    {
        var executable = Executable;
        if (executable is null)
        {
            Skip.Because(SkipReason);
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var instance = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
            });
            return new Browser(playwright, instance);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new page in its own context, watched: every console error, page error, failed request and dialog it meets is
    /// in the returned <see cref="PageProblems"/>, which a test asserts empty.
    /// </summary>
    public async Task<(IPage Page, PageProblems Problems)> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Instance.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        return (page, PageProblems.Watch(page));
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright.Dispose();
    }
}
