using System.Buffers;
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
internal static partial class SecretRedactor
{
    public const string Replacement = "[REDACTED]";

    // The context a match keeps (a parameter's name, a URL's scheme and user) is the group "keep"; in the other
    // shapes it does not take part, and an unmatched group substitutes as empty.
    private const string ReplacementPattern = "${keep}" + Replacement;

    public static string Redact(string text) =>
        // Most text holds no secret: a cheap scan for the shapes' markers keeps the regex off the common path.
        MightHoldSecret(text) ? Secrets().Replace(text, ReplacementPattern) : text;

    // What every match of Secrets() contains, found in one vectorized pass instead of one scan per shape. Compared
    // ignoring case: a marker found in other text ("Asia", "task-") only runs the regex, which decides.
    private static readonly SearchValues<string> Markers = SearchValues.Create(
        [
            "sk-", "bearer", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xox", "private key",
            "://", "api key", "api-key", "api_key", "apikey", "key=", "token=", "secret=", "sig=", "signature=",
            "credential=", "password", "passwd", "pwd",
        ],
        StringComparison.OrdinalIgnoreCase);

    private static bool MightHoldSecret(string text) => text.AsSpan().ContainsAny(Markers);

    [GeneratedRegex(
        @"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)" +
        @"|\bsk-[A-Za-z0-9_\-]{16,}" +
        @"|\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{8,}=*" +
        @"|\b(AKIA|ASIA)[0-9A-Z]{16}\b" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|\bxox[abprs]-[A-Za-z0-9\-]{10,}" +
        // scheme://user:PASSWORD@host, up to the last '@' of the word, so an unencoded '@', ':' or '/' in it is kept in.
        // (Bounded repeats before the secret keep the cost of a failed try small.)
        @"|(?<keep>\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^\s:/?#@""'<>]{0,256}:)[^\s""'<>]+(?=@)" +
        // ?api-key=VALUE, &access_token=VALUE, ;Password=VALUE, ?sig=VALUE: a parameter whose name ends in a secret's name.
        @"|(?<keep>[?&;][A-Za-z0-9_.\-]{0,40}?(?i:key|token|secret|password|passwd|pwd|sig|signature|credential)=)[^&;#\s""'<>]+" +
        // password=VALUE, "password": "VALUE", Incorrect API key provided: VALUE, api_key: VALUE, API Key = VALUE.
        @"|(?<keep>(?i:\b(?:password|passwd|pwd)""?\s*[:=]|\bapi[ _\-]?key(?:\s+provided)?""?\s*[:=])\s*""?)[^\s""',;&]*[^\s""',;&.]",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Secrets();
}
