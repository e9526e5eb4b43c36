using System.Net;
using System.Text;

namespace PromptLogging.Benchmarks.Overhead;

/// <summary>An in-process HTTP transport for the OpenAI SDK: every chat completion request gets the same JSON reply.</summary>
internal sealed class CannedOpenAIHandler : HttpMessageHandler
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-1","object":"chat.completion","created":1745360143,"model":"gpt-4.1",
         "choices":[{"index":0,"message":{"role":"assistant","content":"It's sunny!"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":24,"completion_tokens":5,"total_tokens":29}}
        """);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Body), RequestMessage = request };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return response;
    }
}
