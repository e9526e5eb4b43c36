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

    private static bool MightHoldSecret(string text) =>
        text.Contains("sk-", StringComparison.Ordinal) ||
        text.Contains("earer", StringComparison.OrdinalIgnoreCase) ||
        text.Contains("AKIA", StringComparison.Ordinal) ||
        text.Contains("ASIA", StringComparison.Ordinal) ||
        text.Contains("gh", StringComparison.Ordinal) ||
        text.Contains("xox", StringComparison.Ordinal) ||
        text.Contains("PRIVATE KEY", StringComparison.Ordinal);

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
