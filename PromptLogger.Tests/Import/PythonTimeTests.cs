using PromptLogging.Import;

namespace PromptLogging.Tests.Import;

/// <summary>
/// The Python package's local times turned into epoch seconds as its export does. Expected values are what CPython's
/// <c>datetime.strptime(text, fmt).timestamp()</c> printed with <c>TZ=Europe/Paris</c> (and <c>TZ=UTC</c>).
/// </summary>
[TestFixture]
public sealed class PythonTimeTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [TestCase("2025-04-22 22:15:43.533253", 1745352943.533253)]
    [TestCase("2025-04-22 22:15:43", 1745352943.0)]
    [TestCase("2025-01-01 00:00:00.000000", 1735686000.0)]
    [TestCase("2025-10-26 02:30:00.000000", 1761438600.0, TestName = "A time repeated when the clocks go back is the first")]
    [TestCase("2025-03-30 02:30:00.000000", 1743298200.0, TestName = "A time skipped when the clocks go forward takes the offset before")]
    public void LocalTimes_AreTheSecondsPythonGives(string text, double expected)
    {
        Assert.That(PythonTime.TryToEpochSeconds(text, Paris, out var seconds), Is.True);
        Assert.That(seconds, Is.EqualTo(expected), "exactly: whole seconds plus microseconds / 1e6, as Python adds them");
    }

    [TestCase("2025-04-22 22:15:43.533253", 1745360143.533253)]
    [TestCase("2025-04-22 22:16:00.000001", 1745360160.000001)]
    public void InUtc_TheSameDigitsAsThePackagesExport(string text, double expected)
    {
        Assert.That(PythonTime.TryToEpochSeconds(text, TimeZoneInfo.Utc, out var seconds), Is.True);
        Assert.That(seconds, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("yesterday")]
    [TestCase("2025-13-01 00:00:00")]
    public void WhatIsNotATime_IsRefused(string? text) =>
        Assert.That(PythonTime.TryToEpochSeconds(text, Paris, out _), Is.False);
}
