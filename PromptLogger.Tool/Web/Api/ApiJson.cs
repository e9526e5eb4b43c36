using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptLogging.Tool.Web.Api;

/// <summary>How <c>/api/…</c> writes JSON: snake_case names, as the export does; nulls kept (a field is always there).</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
