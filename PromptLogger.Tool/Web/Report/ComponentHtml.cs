using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace PromptLogging.Tool.Web.Report;

/// <summary>
/// Renders a Razor component to an HTML string outside any server (<see cref="HtmlRenderer"/>): the report is the
/// web UI's components written to a file, every value encoded by Razor as on the pages.
/// </summary>
internal static class ComponentHtml
{
    /// <summary>The HTML of <typeparamref name="TComponent"/> given <paramref name="parameters"/>.</summary>
    public static async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        var services = new ServiceCollection().BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
            await using (renderer.ConfigureAwait(false))
            {
                // The render and the reading of its output stay on the renderer's dispatcher: no ConfigureAwait(false) inside.
                return await renderer.Dispatcher.InvokeAsync(async () =>
                {
#pragma warning disable CA2007
                    var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
#pragma warning restore CA2007
                    return output.ToHtmlString();
                }).ConfigureAwait(false);
            }
        }
    }
}
