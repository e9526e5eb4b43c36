namespace PromptLogging.Tool.Web.Overview;

/// <summary>PLACEHOLDER (the overview helper's version replaces it at merge): what the overview shows.</summary>
/// <param name="Calls">How many calls the selection holds.</param>
public sealed record OverviewData(long Calls);
