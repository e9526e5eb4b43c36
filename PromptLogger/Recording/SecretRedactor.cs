using System.Buffers;
using System.Text.RegularExpressions;

namespace PromptLogging.Recording;

/// <summary>
/// Replaces common secret shapes with <c>[REDACTED]</c> before anything is stored: OpenAI-style keys
/// (<c>sk-…</c>), bearer tokens, AWS access key ids (<c>AKIA…</c>), GitHub and Slack tokens, PEM private keys.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Replacement = "[REDACTED]";

    public static string Redact(string text) =>
        // Most text holds no secret: a cheap scan for the shapes' first letters keeps the regex off the common path.
        MightHoldSecret(text) ? Secrets().Replace(text, Replacement) : text;

    // What every match of Secrets() contains, found in one vectorized pass instead of one scan per shape.
    private static readonly SearchValues<string> Markers = SearchValues.Create(
        ["sk-", "Bearer", "bearer", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xox", "PRIVATE KEY"],
        StringComparison.Ordinal);

    private static bool MightHoldSecret(string text) => text.AsSpan().ContainsAny(Markers);

    [GeneratedRegex(
        @"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)" +
        @"|\bsk-[A-Za-z0-9_\-]{16,}" +
        @"|\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{8,}=*" +
        @"|\b(AKIA|ASIA)[0-9A-Z]{16}\b" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|\bxox[abprs]-[A-Za-z0-9\-]{10,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
