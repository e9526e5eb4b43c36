using PromptLogging.Pricing;

namespace PromptLogging.Stats;

/// <summary>
/// Prices calls with a <see cref="PriceTable"/>, remembering per model, answering model, provider and day whether the
/// table prices them at all: a million calls to a model the table does not know cost one lookup, not a million.
/// </summary>
internal sealed class CostCache(PriceTable prices)
{
    private readonly Dictionary<(string?, string?, long), bool> _known = [];

    public decimal? Estimate(string? model, string? responseModel, string? provider, long? input, long? cached, long? output, double inferenceOn)
    {
        var day = double.IsFinite(inferenceOn) ? (long)Math.Floor(inferenceOn / 86_400) : long.MaxValue;
        if (_known.TryGetValue((model, responseModel, day), out var known) && !known)
        {
            return null;
        }

        var cost = prices.EstimateCost(model, responseModel, provider, input, cached, output, inferenceOn);
        if (!_known.ContainsKey((model, responseModel, day)) && (input is not null || output is not null))
        {
            _known[(model, responseModel, day)] = cost is not null || (input < 0 || cached < 0 || output < 0);
        }

        return cost;
    }
}
