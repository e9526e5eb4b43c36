namespace PromptLogging.Interception;

/// <summary>What the response said answered the call.</summary>
/// <param name="Model">The model that actually answered (stored as <c>response_model</c>).</param>
/// <param name="Id">The provider's id of the response (<c>response_id</c>).</param>
/// <param name="SystemFingerprint">The backend configuration it answered with, where reported (<c>system_fingerprint</c>).</param>
internal sealed record WhatAnswered(string? Model, string? Id, string? SystemFingerprint)
{
    /// <summary>The facts, or null when there are none.</summary>
    public static WhatAnswered? Of(string? model, string? id, string? systemFingerprint) =>
        string.IsNullOrEmpty(model) && string.IsNullOrEmpty(id) && string.IsNullOrEmpty(systemFingerprint)
            ? null
            : new WhatAnswered(model, id, systemFingerprint);
}
