namespace PromptLogging.Storage;

/// <summary>The store's times: Unix epoch seconds (<c>inference_on</c>, as the Python prompt-logger package stores them).</summary>
internal static class EpochSeconds
{
    /// <summary>The time <paramref name="seconds"/> after the epoch, to the millisecond, as every reader shows it.</summary>
    public static DateTimeOffset ToTime(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}
