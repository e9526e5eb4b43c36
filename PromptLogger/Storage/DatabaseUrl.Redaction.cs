using System.Text;

namespace PromptLogging.Storage;

internal sealed partial record DatabaseUrl
{
    private const string Mask = "***";

    /// <summary>
    /// Masks every secret a database URL (or something meant to be one) may hold, parsed or not, whatever its scheme
    /// and however malformed: the password of a <c>user:password@</c> user info (<c>postgresql://</c>,
    /// <c>postgresql:/</c>, <c>postgresql//</c>, <c>postgres:</c>, no scheme at all), and the value of every
    /// parameter whose name says it is secret (<see cref="IsSecretName"/>), in a URL query (<c>?sslpassword=</c>) or a
    /// connection string pasted where a URL belongs (<c>Password=…;</c>).
    /// </summary>
    /// <remarks>
    /// The user info ends at the last <c>'@'</c> and its password starts at its first <c>':'</c>, so a password pasted
    /// unencoded (<c>'/'</c>, <c>'?'</c>, <c>':'</c>, <c>'@'</c> in it) is masked whole. Masking too much only
    /// shortens what a message shows.
    /// </remarks>
    internal static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var afterUserInfo = 0;
        if (at > 0)
        {
            var start = UserInfoStart(url);
            var colon = start < at ? url.IndexOf(':', start, at - start) : -1;
            if (colon >= 0)
            {
                url = string.Concat(url.AsSpan(0, colon + 1), Mask, url.AsSpan(at));
                afterUserInfo = colon + 1 + Mask.Length;
            }
        }

        return RedactSecretParameters(url, afterUserInfo);
    }

    /// <summary>
    /// <see cref="Redact"/> applied to each word of a message that may hold a URL or a connection string (a word that
    /// has an <c>'@'</c> or an <c>'='</c>), so that a message built from a raw URL shows no password either.
    /// </summary>
    internal static string RedactText(string text)
    {
        if (text.AsSpan().IndexOfAny('@', '=') < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var start = 0;
        while (start < text.Length)
        {
            var end = start;
            while (end < text.Length && !IsWordBreak(text[end]))
            {
                end++;
            }

            var word = text[start..end];
            // The accepted forms name the placeholder "user:password@": it is no secret.
            result.Append(word.Contains(":password@", StringComparison.Ordinal) ? word : Redact(word));
            if (end < text.Length)
            {
                result.Append(text[end]);
            }

            start = end + 1;
        }

        return result.ToString();
    }

    /// <summary>
    /// True for a parameter or connection string keyword that carries a secret: its name, without spaces, dashes and
    /// underscores, contains <c>password</c>, <c>passwd</c>, <c>pwd</c>, <c>psw</c>, <c>secret</c>, <c>token</c>,
    /// <c>credential</c> or <c>key</c> (Npgsql's <c>Password</c>, <c>SSL Password</c>, <c>SSL Key</c>; libpq's
    /// <c>sslpassword</c>; <c>api-key</c>, <c>access_token</c>, …). A rule, not a list: a keyword a driver adds later is
    /// masked too. Masking a non-secret (the path of <c>SSL Key</c>) costs nothing.
    /// </summary>
    internal static bool IsSecretName(ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[64];
        var length = 0;
        foreach (var c in name)
        {
            if (c is ' ' or '-' or '_' or '.')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                // A name this long is no keyword a driver knows: mask it rather than guess.
                return true;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        var normalized = buffer[..length];
        return normalized.Contains("password", StringComparison.Ordinal) || normalized.Contains("passwd", StringComparison.Ordinal) ||
               normalized.Contains("pwd", StringComparison.Ordinal) || normalized.Contains("psw", StringComparison.Ordinal) ||
               normalized.Contains("secret", StringComparison.Ordinal) || normalized.Contains("token", StringComparison.Ordinal) ||
               normalized.Contains("credential", StringComparison.Ordinal) || normalized.Contains("key", StringComparison.Ordinal);
    }

    private static bool IsWordBreak(char c) => char.IsWhiteSpace(c) || c is '\'' or '"' or '`' or '<' or '>';

    /// <summary>
    /// Where the user info may start: after <c>scheme:</c> and its slashes when a slash follows the colon
    /// (<c>postgresql://</c>, <c>postgresql:/</c>); otherwise at the start, so that in <c>app:PW@host</c> or
    /// <c>postgres:app:PW@host</c> the first colon is taken as the one before the password.
    /// </summary>
    private static int UserInfoStart(string url)
    {
        var i = 0;
        while (i < url.Length && (char.IsAsciiLetterOrDigit(url[i]) || url[i] is '+' or '.' or '-'))
        {
            i++;
        }

        if (i == 0 || i + 1 >= url.Length || url[i] != ':' || url[i + 1] != '/')
        {
            return 0;
        }

        i++;
        while (i < url.Length && url[i] == '/')
        {
            i++;
        }

        return i;
    }

    /// <summary>Masks the value of each secret <c>name=value</c> pair after <paramref name="from"/>; pairs end at '&amp;' or ';'.</summary>
    private static string RedactSecretParameters(string url, int from)
    {
        var equals = url.IndexOf('=', from);
        if (equals < 0)
        {
            return url;
        }

        var result = new StringBuilder(url.Length);
        var copied = 0;
        while (equals >= 0)
        {
            // The name runs back from '=' to the previous separator ('?', '&', ';', '/', the masked user info).
            var nameStart = equals;
            while (nameStart > from && url[nameStart - 1] is not ('?' or '&' or ';' or '/' or '@' or '#'))
            {
                nameStart--;
            }

            var valueEnd = url.IndexOfAny(['&', ';'], equals + 1);
            valueEnd = valueEnd < 0 ? url.Length : valueEnd;
            if (valueEnd > equals + 1 && IsSecretName(Decode(url[nameStart..equals])))
            {
                result.Append(url, copied, equals + 1 - copied).Append(Mask);
                copied = valueEnd;
            }

            equals = valueEnd < url.Length ? url.IndexOf('=', valueEnd) : -1;
        }

        return copied == 0 ? url : result.Append(url, copied, url.Length - copied).ToString();
    }
}
