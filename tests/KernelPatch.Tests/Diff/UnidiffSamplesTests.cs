using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class UnidiffSamplesTests
{
    private readonly ITestOutputHelper _output;

    public UnidiffSamplesTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private PatchDiff? Load(string name)
    {
        string? path = TestPaths.CorpusFile("unidiff-samples", name);
        if (path is null || !File.Exists(path))
        {
            _output.WriteLine("corpus absent, skipped");
            return null;
        }

        return PatchDiff.Parse(File.ReadAllBytes(path));
    }

    [Fact]
    public void Summary()
    {
        string? dir = TestPaths.CorpusFile("unidiff-samples");
        if (dir is null)
        {
            _output.WriteLine("corpus absent, skipped");
            return;
        }

        foreach (string path in Directory.GetFiles(dir, "*.diff").Order())
        {
            PatchDiff diff = PatchDiff.Parse(File.ReadAllBytes(path));
            _output.WriteLine($"{Path.GetFileName(path)}: {diff.Files.Length} files, diags {diff.Diagnostics.Length}");
            foreach (var d in diff.Diagnostics)
            {
                _output.WriteLine("   " + d);
            }

            foreach (DiffFile f in diff.Files)
            {
                _output.WriteLine($"   {f.Dialect} {f.Status} '{f.OldPath}' -> '{f.NewPath}' bin={f.IsBinary} +{f.AddedCount} -{f.RemovedCount} hunks={f.Hunks.Length} modes={f.OldMode}/{f.NewMode}");
            }
        }
    }
}
