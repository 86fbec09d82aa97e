using System.Text.Json;

namespace KernelPatch.Tests;

/// <summary>
/// Every package the library references is one its code uses: the compiler records a reference to an assembly only
/// when the code names something in it, so a package reference with no assembly reference behind it is a dependency
/// every consumer downloads for nothing (DiffPlex was one until it was dropped).
/// </summary>
public class PackageDependencyTests
{
    [Fact]
    public void Every_package_the_library_references_is_used_by_its_code()
    {
        // The test project's deps.json lists the library project's own package references.
        string depsPath = Path.Combine(AppContext.BaseDirectory, "KernelPatch.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsPath));
        var packages = new List<string>();
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                if (library.Name.StartsWith("KernelPatch/", StringComparison.Ordinal) && library.Value.TryGetProperty("dependencies", out var dependencies))
                {
                    packages.AddRange(dependencies.EnumerateObject().Select(d => d.Name));
                }
            }
        }

        var referenced = typeof(PatchMailbox).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

        packages.Should().OnlyContain(p => referenced.Contains(p), "KernelPatch.dll references {0}", string.Join(", ", referenced));
        packages.Should().BeEquivalentTo(["MimeKit", "Microsoft.Extensions.Logging.Abstractions"], "a new dependency is a decision (README, CHANGELOG)");
    }
}
