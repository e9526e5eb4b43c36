using PromptLogging.Interception;
using PromptLogging.Interception.Calls;
using PromptLogging.Recording;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Recording;

public sealed class ContentPolicyTests
{
    [TestCase("my key is sk-proj-abcdefghijklmnopqrstuvwx1234 ok", "my key is [REDACTED] ok")]
    [TestCase("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "Authorization: [REDACTED]")]
    [TestCase("aws AKIAIOSFODNN7EXAMPLE here", "aws [REDACTED] here")]
    [TestCase("token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "token [REDACTED]")]
    [TestCase("oauth gho_abcdefghijklmnopqrstuvwxyz0123456789.", "oauth [REDACTED].")]
    [TestCase("u ghu_abcdefghijklmnopqrstuvwxyz0123456789 s ghs_abcdefghijklmnopqrstuvwxyz0123456789 r ghr_abcdefghijklmnopqrstuvwxyz0123456789", "u [REDACTED] s [REDACTED] r [REDACTED]")]
    [TestCase("aws session ASIAIOSFODNN7EXAMPLE", "aws session [REDACTED]")]
    [TestCase("slack xoxb-1234567890-abcdef and xoxp-0987654321-xyz", "slack [REDACTED] and [REDACTED]")]
    [TestCase("lower-case bearer abcdefgh12345678 too", "lower-case [REDACTED] too")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nMIIEvQ", "[REDACTED]")]
    [TestCase("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nafter", "[REDACTED]\nafter")]
    [TestCase("nothing secret: skeleton keys, bearer of news, sk-short", "nothing secret: skeleton keys, bearer of news, sk-short")]
    public void Filter_RedactsCommonSecretShapesAndLeavesOrdinaryText(string text, string expected)
    {
        Assert.That(ContentPolicy.Default.Filter(text), Is.EqualTo(expected));
    }

    [TestCase("HTTP 401 (invalid_request_error: invalid_api_key) Incorrect API key provided: acme-7f3c9e1b. You can find your API key at https://platform.openai.com/account/api-keys.",
        "HTTP 401 (invalid_request_error: invalid_api_key) Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.")]
    [TestCase("Incorrect API key provided: sk-abc***xyz.", "Incorrect API key provided: [REDACTED].")]
    [TestCase("Received API Key = acme-123, Key Hash (Token) =x", "Received API Key = [REDACTED], Key Hash (Token) =x")]
    [TestCase("""{"api_key": "acme-123", "n": 1}""", """{"api_key": "[REDACTED]", "n": 1}""")]
    [TestCase("POST https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=acme-123 failed",
        "POST https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&api-key=[REDACTED] failed")]
    [TestCase("GET https://h/x?access_token=abc.def&page=2 and ?sig=Zm9v%2Bbar", "GET https://h/x?access_token=[REDACTED]&page=2 and ?sig=[REDACTED]")]
    [TestCase("Host=db;Username=app;Password=hunter2;SSL Password=pem-pass", "Host=db;Username=app;Password=[REDACTED];SSL Password=[REDACTED]")]
    [TestCase("connect to postgresql://app:hun@ter:2@db:5432/prompts failed", "connect to postgresql://app:[REDACTED]@db:5432/prompts failed")]
    [TestCase("see https://alice:s3cret@example.com/x", "see https://alice:[REDACTED]@example.com/x")]
    [TestCase("wss://h/socket?Token=abc", "wss://h/socket?Token=[REDACTED]")]
    [TestCase("PASSWORD=hunter2 and pwd: hunter3", "PASSWORD=[REDACTED] and pwd: [REDACTED]")]
    public void Filter_RedactsSecretsOfAnyShapeByTheirContext(string text, string expected)
    {
        Assert.That(ContentPolicy.Default.Filter(text), Is.EqualTo(expected));
    }

    [TestCase("Set max_tokens=50 and top_k=3; see https://example.com:8080/docs?page=2#keys.")]
    [TestCase("The primary key=id column, a token of thanks, the API key docs, passwords: none here.")]
    [TestCase("Trip to Asia: a risk-free task-list at http://localhost:3000/path.")]
    [TestCase("mail bob@example.com about key rotation")]
    public void Filter_LeavesOrdinaryTextThatMentionsTheContextWordsAlone(string text)
    {
        Assert.That(ContentPolicy.Default.Filter(text), Is.EqualTo(text));
    }

    [Test]
    public void Error_IsRedactedEvenWithRedactionOff()
    {
        var policy = new ContentPolicy(storeContent: true, redactSecrets: false, redact: null);

        Assert.That(policy.Error("Incorrect API key provided: acme-123."), Is.EqualTo("Incorrect API key provided: [REDACTED]."));
        Assert.That(policy.Content("Incorrect API key provided: acme-123."), Is.EqualTo("Incorrect API key provided: acme-123."), "content stays as the option says");
    }

    [Test]
    public void Filter_AppliesTheUserHookAfterTheBuiltInRedaction()
    {
        var policy = new ContentPolicy(storeContent: true, redactSecrets: true, redact: text => text.Replace("alice@example.com", "<email>", StringComparison.Ordinal));

        Assert.That(policy.Filter("mail alice@example.com with sk-abcdefghijklmnopqrstuvwxyz"), Is.EqualTo("mail <email> with [REDACTED]"));
    }

    [Test]
    public void Filter_WithRedactionOff_KeepsTheTextAsIs()
    {
        var policy = new ContentPolicy(storeContent: true, redactSecrets: false, redact: null);

        Assert.That(policy.Filter("sk-abcdefghijklmnopqrstuvwxyz"), Is.EqualTo("sk-abcdefghijklmnopqrstuvwxyz"));
    }

    [Test]
    public void PromptLogger_ByDefault_StoresNoSecretThatAppearsInAPromptOrAnError()
    {
        using var temp = new TempFolder();
        const string key = "sk-live-0123456789abcdefghijklmnop";
        using (var logger = new PromptLogger("ns", temp.DatabaseUrl()))
        {
            logger.SaveInteraction($"use {key} please", "ok");
            logger.Record(new CapturedCall(new CallRequest
                {
                    Kind = CallKind.Chat,
                    Messages = [new CapturedMessage("user", "Bearer abcdefghijklmnopqrstuvwxyz")],
                })
            {
                Outcome = new CallOutcome
                {
                    Completions = [new CapturedCompletion("assistant", null, "tool_calls", [new CapturedToolCall("c1", "login", $$"""{"key":"{{key}}"}""")])],
                },
                Error = $"HTTP 401: invalid key {key}",
                StartedAt = DateTimeOffset.UtcNow,
            });
        }

        var bytes = File.ReadAllBytes(temp.File("prompts.db"));
        var stored = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.That(stored, Does.Contain("use [REDACTED] please"), "the records are in the file that is searched");
        Assert.That(stored, Does.Not.Contain(key).And.Not.Contain("abcdefghijklmnopqrstuvwxyz"));
    }

    [Test]
    public void PromptLogger_WithMetadataOnly_StoresRolesModelsAndUsageButNoText()
    {
        using var temp = new TempFolder();
        using var logger = new PromptLogger(new PromptLoggerOptions { Namespace = "ns", Database = temp.DatabaseUrl(), MetadataOnly = true });
        logger.Record(new CapturedCall(new CallRequest
            {
                Kind = CallKind.Chat,
                Model = "gpt-4.1",
                Messages = [new CapturedMessage("user", "confidential question")],
            })
        {
            Outcome = new CallOutcome
            {
                Completions = [new CapturedCompletion("assistant", "confidential answer", "stop", [new CapturedToolCall("c1", "lookup", "{\"q\":\"confidential\"}")])],
                Usage = new CapturedUsage(3, 4),
            },
            StartedAt = DateTimeOffset.UtcNow,
        });
        logger.SaveInteraction("confidential prompt", "confidential response");

        logger.ExportChatPrompts(temp.File("chat.jsonl"));
        logger.ExportTextPrompts(temp.File("text.jsonl"));

        var chat = Jsonl.Read(temp.File("chat.jsonl")).Single();
        Assert.That(chat.GetProperty("messages").GetRawText(), Is.EqualTo("""[{"role":"user"}]"""));
        Assert.That(chat.GetProperty("completions").GetRawText(), Is.EqualTo(
            """[{"role":"assistant","finish_reason":"stop","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup"}}]}]"""));
        Assert.That(chat.GetProperty("usage").GetProperty("output_tokens").GetInt32(), Is.EqualTo(4));
        Assert.That(File.ReadAllText(temp.File("text.jsonl")), Does.Not.Contain("confidential"));
        logger.Dispose();
        Assert.That(System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(temp.File("prompts.db"))), Does.Not.Contain("confidential"));
    }
}
