using PromptLogging.Storage.Search;

namespace PromptLogging.Tests.Storage.Search;

/// <summary>The FTS5 query syntax read for PostgreSQL: what each construct becomes, and what is refused.</summary>
public sealed class TsQueryTests
{
    [TestCase("fox", "'fox'")]
    [TestCase("Fox jumps", "('fox' & 'jumps')")]
    [TestCase("fox AND jumps", "('fox' & 'jumps')")]
    [TestCase("red OR blue", "('red' | 'blue')")]
    [TestCase("fox NOT red", "('fox' & !'red')")]
    [TestCase("a b OR c", "(('a' & 'b') | 'c')")]
    [TestCase("a NOT b c", "(('a' & !'b') & 'c')")]
    [TestCase("\"red fox\"", "('red' <-> 'fox')")]
    [TestCase("pre*", "'pre':*")]
    [TestCase("\"red fo\"*", "('red' <-> 'fo':*)")]
    [TestCase("foo_bar", "('foo' <-> 'bar')")]
    [TestCase("(a OR b) c", "(('a' | 'b') & 'c')")]
    [TestCase("ORANGE NOTE", "('orange' & 'note')")]
    [TestCase("\"it's\"", "('it' <-> 's')")]
    [TestCase("\"a ' & | ! : <-> b\"", "('a' <-> 'b')")]
    public void Translate_ReadsTheFts5Syntax(string query, string expected) =>
        Assert.That(TsQuery.Translate(query), Is.EqualTo(expected));

    [TestCase("\"unbalanced", "unterminated string")]
    [TestCase("(a", "'(' is not closed")]
    [TestCase("a)", "syntax error near \")\"")]
    [TestCase("a AND", "ends where a word was expected")]
    [TestCase("OR a", "syntax error near \"OR a\"")]
    [TestCase("it's", "syntax error near \"'s\"")]
    [TestCase("\"\"", "holds no word")]
    [TestCase("a & b", "syntax error near \"& b\"")]
    public void Translate_RefusesWhatFts5Refuses_SayingWhy(string query, string reason)
    {
        var exception = Assert.Throws<SearchQuerySyntaxException>(() => TsQuery.Translate(query));
        Assert.That(exception!.Message, Does.StartWith("malformed query: ").And.Contain(reason));
    }
}
