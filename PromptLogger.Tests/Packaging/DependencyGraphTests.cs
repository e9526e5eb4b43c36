using System.Text.Json.Nodes;
using PromptLogging.Tests.Support;

namespace PromptLogging.Tests.Packaging;

/// <summary>
/// Users pay only for what they use: an application that logs only Microsoft.Extensions.AI calls into SQLite restores
/// no client SDK, nor the PostgreSQL driver. Restores a small project the way an application would, and reads its dependency graph
/// (<c>obj/project.assets.json</c>).
/// </summary>
[TestFixture]
public sealed class DependencyGraphTests
{
    // The client SDKs of the adapter packages, the PostgreSQL driver of PromptLogger.PostgreSql, and what only they bring.
    private static readonly string[] ClientSdks =
    [
        "OpenAI", "System.ClientModel", "Azure.", "Anthropic", "Microsoft.SemanticKernel", "Microsoft.Extensions.AI.OpenAI", "Npgsql",
    ];

    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public void AnApplicationLoggingOnlyIChatClientCallsIntoSqlite_RestoresNoClientSdkNorNpgsql()
    {
        using var folder = new TempFolder();
        var packages = Restore(folder, "PromptLogger");

        Assert.Multiple(() =>
        {
            // The graph was read: the core's own dependencies are in it.
            Assert.That(packages, Does.Contain("Microsoft.Data.Sqlite.Core").And.Contain("Microsoft.Extensions.AI.Abstractions"));
            Assert.That(packages.Where(static p => ClientSdks.Any(sdk => IsPackage(p, sdk))), Is.Empty);
        });
    }

    [TestCase("PromptLogger.OpenAI", "OpenAI")]
    [TestCase("PromptLogger.Anthropic", "Anthropic")]
    [TestCase("PromptLogger.SemanticKernel", "Microsoft.SemanticKernel.Abstractions")]
    [TestCase("PromptLogger.PostgreSql", "Npgsql")]
    public void AnApplicationUsingAnAdapterPackage_RestoresItsSdk(string project, string sdk)
    {
        using var folder = new TempFolder();
        var packages = Restore(folder, project);

        Assert.That(packages, Does.Contain(sdk));
    }

    // A console application referencing the project as it would reference the package (a project reference brings
    // the same dependencies the packed package declares); restored, not built: the graph is all that is asked.
    private static List<string> Restore(TempFolder folder, string project)
    {
        var reference = Path.Combine(ChildProcess.RepositoryRoot(), project, project + ".csproj");
        File.WriteAllText(folder.File("App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{reference}" />
              </ItemGroup>
            </Project>
            """);

        var (exitCode, stdout, stderr) = ChildProcess.Dotnet(folder.Path, RestoreTimeout, "restore", folder.File("App.csproj"));
        Assert.That(exitCode, Is.Zero, stdout + stderr);

        var assets = JsonNode.Parse(File.ReadAllText(folder.File(Path.Combine("obj", "project.assets.json"))))!;
        return assets["libraries"]!.AsObject()
            .Where(static library => (string?)library.Value!["type"] == "package")
            .Select(static library => library.Key[..library.Key.IndexOf('/', StringComparison.Ordinal)])
            .ToList();
    }

    // "Azure." is a prefix; the others are a package and its sub-packages ("Microsoft.SemanticKernel.Core").
    private static bool IsPackage(string package, string sdk) =>
        sdk.EndsWith('.')
            ? package.StartsWith(sdk, StringComparison.OrdinalIgnoreCase)
            : package.Equals(sdk, StringComparison.OrdinalIgnoreCase) || package.StartsWith(sdk + ".", StringComparison.OrdinalIgnoreCase);
}
