using System.Text.Json.Nodes;

namespace PromptLogging.Tests.Support;

/// <summary>
/// A copy of a built program (a sibling project's output) without some of its libraries, as if the application had
/// never referenced them: their files are deleted and the runtime's manifest (<c>.deps.json</c>) no longer lists them.
/// </summary>
public static class AppWithoutPackages
{
    /// <summary>Copies the folder of <paramref name="dll"/> into <paramref name="folder"/> without <paramref name="libraries"/>; returns the copied dll.</summary>
    public static string Copy(string dll, TempFolder folder, params string[] libraries)
    {
        var source = Path.GetDirectoryName(dll)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var copied = Path.Combine(folder.Path, Path.GetFileName(dll));
        var depsFile = Path.ChangeExtension(copied, ".deps.json");
        var deps = JsonNode.Parse(File.ReadAllText(depsFile))!;
        foreach (var library in libraries)
        {
            var file = Path.Combine(folder.Path, library + ".dll");
            Assert.That(File.Exists(file), Is.True, $"{library}.dll is beside {Path.GetFileName(dll)}");
            File.Delete(file);
            foreach (var (_, target) in deps["targets"]!.AsObject())
            {
                var entries = target!.AsObject();
                foreach (var key in entries.Select(static e => e.Key).Where(k => IsLibrary(k, library)).ToList())
                {
                    entries.Remove(key);
                }

                foreach (var (_, entry) in entries)
                {
                    (entry?["dependencies"] as JsonObject)?.Remove(library);
                }
            }

            var listed = deps["libraries"]!.AsObject();
            foreach (var key in listed.Select(static e => e.Key).Where(k => IsLibrary(k, library)).ToList())
            {
                listed.Remove(key);
            }
        }

        File.WriteAllText(depsFile, deps.ToJsonString());
        return copied;
    }

    private static bool IsLibrary(string key, string library) => key.StartsWith(library + "/", StringComparison.OrdinalIgnoreCase);
}
