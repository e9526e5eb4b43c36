namespace PromptLogging.Export;

/// <summary>Column ordinals of <see cref="JsonlExporter"/>'s prompt query, read through <see cref="PromptRows"/>.</summary>
internal static class PromptRow
{
    public const int Id = 0;
    public const int Namespace = 1;
    public const int Model = 2;
    public const int Provider = 3;
    public const int Messages = 4;
    public const int Tools = 5;
    public const int GenerationKwargs = 6;
    public const int Completions = 7;
    public const int Prompt = 8;
    public const int Response = 9;
    public const int InputTokens = 10;
    public const int OutputTokens = 11;
    public const int Error = 12;
    public const int Stream = 13;
    public const int TimeToFirstTokenSeconds = 14;
    public const int InferenceOn = 15;
    public const int InferenceSeconds = 16;
    public const int Tags = 17;
    public const int ResponseModel = 18;
    public const int ResponseId = 19;
    public const int SystemFingerprint = 20;
    public const int StreamEnd = 21;
}
