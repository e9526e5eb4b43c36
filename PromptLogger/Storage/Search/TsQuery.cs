using System.Globalization;
using System.Text;

namespace PromptLogging.Storage.Search;

/// <summary>
/// Translates a query in SQLite FTS5's syntax into a PostgreSQL <c>tsquery</c>, so that one query means the same on
/// both stores: words, <c>"phrases"</c>, <c>prefix*</c>, <c>AND</c>, <c>OR</c>, <c>NOT</c>, parentheses; words side by
/// side must all match. Precedence as in FTS5: NOT binds tighter than AND, AND tighter than OR.
/// </summary>
/// <remarks>
/// Words are cut at what is not a letter, a digit or a mark (FTS5's unicode61 tokenizer does the same), so
/// <c>foo_bar</c> is the phrase <c>"foo bar"</c>; lexemes are always quoted, so nothing in the query is read as
/// tsquery syntax of its own.
/// </remarks>
internal sealed class TsQuery
{
    private readonly string _query;
    private int _position;

    private TsQuery(string query) => _query = query;

    /// <exception cref="SearchQuerySyntaxException">The query is not valid FTS5 syntax, or names no word.</exception>
    public static string Translate(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parser = new TsQuery(query);
        var result = parser.ParseOr();
        parser.SkipSpace();
        if (parser._position < query.Length)
        {
            throw parser.SyntaxError();
        }

        return result;
    }

    private string ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("OR"))
        {
            left = $"({left} | {ParseAnd()})";
        }

        return left;
    }

    private string ParseAnd()
    {
        var left = ParseNot();
        while (true)
        {
            SkipSpace();
            if (TryKeyword("AND"))
            {
                left = $"({left} & {ParseNot()})";
            }
            else if (_position < _query.Length && _query[_position] != ')' && !AtKeyword("OR") && !AtKeyword("NOT"))
            {
                left = $"({left} & {ParseNot()})";
            }
            else
            {
                return left;
            }
        }
    }

    private string ParseNot()
    {
        var left = ParsePrimary();
        while (TryKeyword("NOT"))
        {
            left = $"({left} & !{ParsePrimary()})";
        }

        return left;
    }

    private string ParsePrimary()
    {
        SkipSpace();
        if (_position >= _query.Length)
        {
            throw new SearchQuerySyntaxException("malformed query: it ends where a word was expected.");
        }

        var c = _query[_position];
        if (c == '(')
        {
            _position++;
            var inner = ParseOr();
            SkipSpace();
            if (_position >= _query.Length || _query[_position] != ')')
            {
                throw new SearchQuerySyntaxException("malformed query: a '(' is not closed.");
            }

            _position++;
            return inner;
        }

        if (c == '"')
        {
            var end = _query.IndexOf('"', _position + 1);
            if (end < 0)
            {
                throw new SearchQuerySyntaxException("malformed query: unterminated string (a \" is not closed).");
            }

            var phrase = _query[(_position + 1)..end];
            _position = end + 1;
            return Phrase(Words(phrase), TryPrefix());
        }

        if (AtKeyword("AND") || AtKeyword("OR") || AtKeyword("NOT") || !IsBareword(c))
        {
            throw SyntaxError();
        }

        var start = _position;
        while (_position < _query.Length && IsBareword(_query[_position]))
        {
            _position++;
        }

        return Phrase(Words(_query[start.._position]), TryPrefix());
    }

    private bool TryPrefix()
    {
        if (_position < _query.Length && _query[_position] == '*')
        {
            _position++;
            return true;
        }

        return false;
    }

    private static string Phrase(List<string> words, bool prefix)
    {
        if (words.Count == 0)
        {
            throw new SearchQuerySyntaxException("malformed query: a phrase holds no word to search for.");
        }

        var lexemes = words.Select((word, i) => Lexeme(word) + (prefix && i == words.Count - 1 ? ":*" : string.Empty));
        var joined = string.Join(" <-> ", lexemes);
        return words.Count == 1 ? joined : "(" + joined + ")";
    }

    private static string Lexeme(string word) =>
        "'" + word.ToLower(CultureInfo.InvariantCulture).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    // FTS5 barewords: ASCII letters, digits and '_', any non-ASCII character, and 0x1A.
    private static bool IsBareword(char c) => c > 0x7F || char.IsAsciiLetterOrDigit(c) || c is '_' or '\x1A';

    private bool AtKeyword(string keyword) =>
        string.CompareOrdinal(_query, _position, keyword, 0, keyword.Length) == 0 &&
        (_position + keyword.Length == _query.Length || !IsBareword(_query[_position + keyword.Length]));

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (!AtKeyword(keyword))
        {
            return false;
        }

        _position += keyword.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (_position < _query.Length && char.IsWhiteSpace(_query[_position]))
        {
            _position++;
        }
    }

    private SearchQuerySyntaxException SyntaxError()
    {
        var near = _query[_position..];
        return new SearchQuerySyntaxException($"malformed query: syntax error near \"{(near.Length > 20 ? near[..20] + "…" : near)}\".");
    }
}
