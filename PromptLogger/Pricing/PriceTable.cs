using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace PromptLogging.Pricing;

/// <summary>
/// Prices of models, in USD per 1M tokens, by model name and date: the built-in table (<c>prices.json</c>, shipped in
/// the package) and a user's own file on top of it. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// A model name is priced by the entry of that exact name, else by the longest entry name it starts with, where the
/// rest of the name begins with a separator (<c>-</c>, <c>@</c>, <c>:</c>, <c>_</c>, <c>/</c>): <c>gpt-4.1-2025-04-14</c>
/// prices as <c>gpt-4.1</c>, while <c>gpt-4.1-mini</c> has its own entry and <c>gpt-5.5</c> never prices as
/// <c>gpt-5</c>. A name with a routing prefix (<c>openai/gpt-4o</c>) is also tried without it. Among a name's
/// entries, the one in effect at the record's time applies (the latest <c>effective_from</c> not after it).
/// Names compare ignoring case.
/// </remarks>
internal sealed partial class PriceTable
{
    private const int MaxResolvedNames = 4096;
    private const int MaxFileBytes = 16 * 1024 * 1024;

    private static readonly Lazy<PriceTable> s_builtIn = new(LoadBuiltIn);

    // Entries of each name, oldest first.
    private readonly FrozenDictionary<string, ModelPrice[]> _byName;

    // Names in order of length, longest first, for the prefix rule.
    private readonly string[] _namesLongestFirst;

    // Which table name a model name resolves to (null: none); records repeat a handful of names, stats read millions.
    private readonly ConcurrentDictionary<string, string?> _resolved = new(StringComparer.OrdinalIgnoreCase);

    internal PriceTable(IEnumerable<ModelPrice> entries, DateOnly? takenOn, string source)
    {
        Entries = entries.ToArray();
        TakenOn = takenOn;
        Source = source;
        _byName = Entries
            .GroupBy(e => e.Model, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(e => e.Start).ToArray(), StringComparer.OrdinalIgnoreCase);
        _namesLongestFirst = _byName.Keys.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The built-in table, read once from the package's embedded <c>prices.json</c>.</summary>
    public static PriceTable BuiltIn => s_builtIn.Value;

    /// <summary>Every entry, in the order read (a user's entries after the built-in ones they leave in place).</summary>
    public IReadOnlyList<ModelPrice> Entries { get; }

    /// <summary>The day the prices were taken from the providers' pages (<c>taken_on</c>), if the file says.</summary>
    public DateOnly? TakenOn { get; }

    /// <summary>Where the table came from: <c>built-in</c>, a file path, or both.</summary>
    public string Source { get; }

    /// <summary>The table to price with: the built-in one, with the entries of <paramref name="userFile"/> on top when given.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid price table; the message names the file, the line and the entry.</exception>
    public static PriceTable WithUserFile(string? userFile) =>
        string.IsNullOrWhiteSpace(userFile) ? BuiltIn : BuiltIn.With(Load(userFile));

    /// <summary>Reads a price table file (the shape of the built-in <c>prices.json</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid price table; the message names the file, the line and the entry.</exception>
    public static PriceTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = ReadAtMost(path, MaxFileBytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"The price table {path} does not exist; give the path of a JSON file shaped like the built-in prices.json.", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The price table {path} cannot be read: {e.Message}", e);
        }

        return PriceFileReader.Read(bytes, path);
    }

    /// <summary>
    /// This table with <paramref name="overrides"/> on top: a model named in <paramref name="overrides"/> is priced by
    /// its entries only (all of this table's entries of that name are replaced, dated ones too); other names are added.
    /// </summary>
    public PriceTable With(PriceTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var replaced = overrides._byName;
        var kept = Entries.Where(e => !replaced.ContainsKey(e.Model));
        return new PriceTable(kept.Concat(overrides.Entries), TakenOn, Source + " + " + overrides.Source);
    }

    /// <summary>The entry that prices <paramref name="model"/> at <paramref name="at"/>, or <see langword="null"/> if none does.</summary>
    public ModelPrice? Find(string? model, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(model) || Resolve(model) is not { } name)
        {
            return null;
        }

        var entries = _byName[name];
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (entries[i].Start <= at)
            {
                return entries[i];
            }
        }

        // The model's known prices all start later: what it cost then is not known, which is not the same as free.
        return null;
    }

    private string? Resolve(string model)
    {
        model = model.Trim();
        if (_resolved.TryGetValue(model, out var name))
        {
            return name;
        }

        name = ResolveUncached(model);

        // Bounded: a store full of made-up model names must not grow the cache without end.
        if (_resolved.Count < MaxResolvedNames)
        {
            _resolved.TryAdd(model, name);
        }

        return name;
    }

    private string? ResolveUncached(string model)
    {
        if (LongestMatch(model) is { } name)
        {
            return name;
        }

        // Routers and gateways name models "openai/gpt-4o"; the provider's own name is after the last slash.
        var slash = model.LastIndexOf('/');
        return slash >= 0 && slash < model.Length - 1 ? LongestMatch(model[(slash + 1)..]) : null;
    }

    private string? LongestMatch(string model)
    {
        if (_byName.TryGetValue(model, out var exact))
        {
            return exact[0].Model;
        }

        foreach (var name in _namesLongestFirst)
        {
            if (name.Length < model.Length
                && model.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && IsSeparator(model[name.Length]))
            {
                return name;
            }
        }

        return null;
    }

    // A price table is a few kilobytes; a path to something endless (/dev/zero, a huge log) must not eat the memory.
    private static byte[] ReadAtMost(string path, int limit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = file.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new IOException($"it is larger than {limit / (1024 * 1024)} MB, far more than a price table");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // A version or date suffix follows a separator; a letter, digit or dot continues another model's name
    // (gpt-4o is not gpt-4, gpt-5.5 is not gpt-5).
    private static bool IsSeparator(char c) => c is '-' or '@' or ':' or '_' or '/';

    private static PriceTable LoadBuiltIn()
    {
        const string resource = "PromptLogging.Pricing.prices.json";
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The built-in price table ({resource}) is missing from the PromptLogger assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return PriceFileReader.Read(buffer.ToArray(), "built-in prices.json");
    }
}
