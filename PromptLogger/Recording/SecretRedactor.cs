using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace PromptLogging.Recording;

/// <summary>
/// Replaces common secret shapes with <c>[REDACTED]</c> before anything is stored: OpenAI-style keys
/// (<c>sk-…</c>), bearer tokens, AWS access key ids (<c>AKIA…</c>), GitHub and Slack tokens, PEM private keys; and
/// secrets of any shape found by their context: the password of a URL's <c>user:password@</c>, the value of a URL
/// or connection string parameter whose name says it is secret (<c>?api-key=</c>, <c>&amp;access_token=</c>,
/// <c>;Password=</c>, <c>?sig=</c>), <c>password=…</c>, and an API key a provider echoes
/// (<c>Incorrect API key provided: …</c>, <c>api_key: …</c>, <c>API Key = …</c>).
/// </summary>
/// <remarks>
/// Runs on the background writer for every stored text, so the common case (no secret) costs one vectorized scan for
/// the shapes' markers and one for a <c>':'</c> or <c>'='</c>. Only a text that has a marker runs a finder, and each
/// family has its own, anchored on its marker (<c>://</c>, each <c>'='</c>, …), so that a long text with one URL in
/// it is not searched for every shape at every position.
/// </remarks>
internal static partial class SecretRedactor
{
    public const string Replacement = "[REDACTED]";

    // What every match of Shapes() contains, found in one vectorized pass instead of one scan per shape.
    private static readonly SearchValues<string> ShapeMarkers = SearchValues.Create(
        ["sk-", "Bearer", "bearer", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xox", "PRIVATE KEY"],
        StringComparison.Ordinal);

    // What every secret found by its context contains, in the spellings that occur (ordinal compares are the fast
    // ones; a marker found in ordinary text, such as "score=" or "rapid", only runs the finders, which decide). Every
    // such secret also has a ':' or a '=', checked first: most texts have neither and are done after that.
    private static readonly SearchValues<string> ContextMarkers = SearchValues.Create(
        [
            "://", "API", "api", "Api", "assw", "ASSW", "pwd", "Pwd", "PWD",
            "ey=", "EY=", "en=", "EN=", "et=", "ET=", "ig=", "IG=", "re=", "RE=", "al=", "AL=",
        ],
        StringComparison.Ordinal);

    private static readonly SearchValues<string> ParameterMarkers = SearchValues.Create(
        ["key=", "token=", "secret=", "password=", "passwd=", "pwd=", "sig=", "signature=", "credential="],
        StringComparison.OrdinalIgnoreCase);

    // Ordinal, in the spellings that occur: an ignore-case search for these short values is several times slower.
    private static readonly SearchValues<string> NamedSecretMarkers = SearchValues.Create(
        ["API", "api", "Api", "assw", "ASSW", "pwd", "Pwd", "PWD"],
        StringComparison.Ordinal);

    public static string Redact(string text)
    {
        var span = text.AsSpan();
        var shapes = span.ContainsAny(ShapeMarkers);
        var context = span.ContainsAny(':', '=') && span.ContainsAny(ContextMarkers);
        if (shapes)
        {
            text = Shapes().Replace(text, Replacement);
        }

        if (!context)
        {
            return text;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            text = UrlPassword().Replace(text, "${keep}" + Replacement);
        }

        if (text.AsSpan().ContainsAny(ParameterMarkers))
        {
            text = RedactSecretParameters(text);
        }

        if (text.AsSpan().ContainsAny(NamedSecretMarkers))
        {
            text = NamedSecret().Replace(text, "${keep}" + Replacement);
        }

        return text;
    }

    [GeneratedRegex(
        @"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)" +
        @"|\bsk-[A-Za-z0-9_\-]{16,}" +
        @"|\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{8,}=*" +
        @"|\b(AKIA|ASIA)[0-9A-Z]{16}\b" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|\bxox[abprs]-[A-Za-z0-9\-]{10,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Shapes();

    // scheme://user:PASSWORD@host, up to the last '@' of the word, so an unencoded '@', ':' or '/' in it is kept in.
    [GeneratedRegex(@"(?<keep>://[^\s:/?#@""'<>]{0,256}:)[^\s""'<>]+(?=@)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex UrlPassword();

    // password=VALUE, "password": "VALUE", Incorrect API key provided: VALUE, api_key: VALUE, API Key = VALUE.
    [GeneratedRegex(
        @"(?<keep>(?i:\b(?:password|passwd|pwd)""?\s*[:=]|\bapi[ _\-]?key(?:\s+provided)?""?\s*[:=])\s*""?)[^\s""',;&]*[^\s""',;&.]",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex NamedSecret();

    private static readonly string[] SecretNameEndings =
        ["key", "token", "secret", "password", "passwd", "pwd", "sig", "signature", "credential"];

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    private static readonly SearchValues<char> ValueEnds = SearchValues.Create("&;# \t\r\n\"'<>");

    /// <summary>
    /// <c>?api-key=VALUE</c>, <c>&amp;access_token=VALUE</c>, <c>;Password=VALUE</c>, <c>?sig=VALUE</c>: the value of a
    /// URL or connection string parameter whose name ends in a secret's name. Found from each <c>'='</c> looking back
    /// (a regex would try the name at every position).
    /// </summary>
    private static string RedactSecretParameters(string text)
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var equals = text.IndexOf('=', StringComparison.Ordinal); equals >= 0; equals = text.IndexOf('=', equals + 1))
        {
            var nameStart = equals;
            while (nameStart > 0 && equals - nameStart < 40 && NameCharacters.Contains(text[nameStart - 1]))
            {
                nameStart--;
            }

            if (nameStart == 0 || text[nameStart - 1] is not ('?' or '&' or ';') || !EndsWithSecretName(text.AsSpan(nameStart, equals - nameStart)))
            {
                continue;
            }

            var valueLength = text.AsSpan(equals + 1).IndexOfAny(ValueEnds);
            var valueEnd = valueLength < 0 ? text.Length : equals + 1 + valueLength;
            if (valueEnd == equals + 1)
            {
                continue;
            }

            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, equals + 1 - copied).Append(Replacement);
            copied = valueEnd;
            equals = valueEnd - 1;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool EndsWithSecretName(ReadOnlySpan<char> name)
    {
        foreach (var ending in SecretNameEndings)
        {
            if (name.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
