using System.Text.Json;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class PatchDiffCorpusTests
{
    private readonly ITestOutputHelper _output;

    public PatchDiffCorpusTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void B4History_FilesCountsAndPatchId_AgreeWithGit()
    {
        if (!TestPaths.TryCorpus(_output, out string mboxPath, "dev", "b4-history.mbox") || !TestPaths.TryCorpus(_output, out string oraclePath, "dev", "b4-history.oracle.jsonl"))
        {
            return;
        }

        byte[] mbox = File.ReadAllBytes(mboxPath);
        string[] oracle = File.ReadAllLines(oraclePath);
        var messages = DiffCorpus.SplitMbox(mbox);
        messages.Count.Should().Be(oracle.Length);

        int agree = 0;
        var failures = new List<string>();
        for (int i = 0; i < messages.Count; i++)
        {
            using var doc = JsonDocument.Parse(oracle[i]);
            JsonElement expected = doc.RootElement;
            var part = DiffCorpus.PatchPart(mbox, messages[i].Start, messages[i].End);
            var memory = new ReadOnlyMemory<byte>(mbox);
            PatchDiff diff = part is { } p
                ? PatchDiff.Parse(memory.Slice(p.Start, p.End - p.Start))
                : PatchDiff.Parse(ReadOnlyMemory<byte>.Empty);
            string? problem = Compare(diff, expected);
            if (problem is null)
            {
                agree++;
            }
            else if (failures.Count < 20)
            {
                failures.Add($"#{i} {expected.GetProperty("sha").GetString()}: {problem}");
            }
        }

        _output.WriteLine($"{agree}/{messages.Count} messages agree with git (files, status, binary, +/-, patch-id)");
        foreach (string f in failures)
        {
            _output.WriteLine(f);
        }

        failures.Should().BeEmpty();
        agree.Should().Be(1392);
    }

    private static string? Compare(PatchDiff diff, JsonElement expected)
    {
        JsonElement files = expected.GetProperty("files");
        if (files.GetArrayLength() != diff.Files.Length)
        {
            return $"expected {files.GetArrayLength()} files, found {diff.Files.Length}";
        }

        int i = 0;
        foreach (JsonElement f in files.EnumerateArray())
        {
            DiffFile file = diff.Files[i++];
            string? oldPath = f.GetProperty("oldPath").GetString();
            string? newPath = f.GetProperty("newPath").GetString();
            string status = f.GetProperty("status").GetString()!;
            bool binary = f.GetProperty("binary").GetBoolean();
            int added = f.GetProperty("added").ValueKind == JsonValueKind.Null ? 0 : f.GetProperty("added").GetInt32();
            int removed = f.GetProperty("removed").ValueKind == JsonValueKind.Null ? 0 : f.GetProperty("removed").GetInt32();
            if (file.OldPath != oldPath || file.NewPath != newPath || !string.Equals(file.Status.ToString(), status, StringComparison.OrdinalIgnoreCase)
                || file.IsBinary != binary || file.AddedCount != added || file.RemovedCount != removed)
            {
                return $"file {i - 1}: expected {oldPath} -> {newPath} {status} bin={binary} +{added} -{removed}, found {file.OldPath} -> {file.NewPath} {file.Status} bin={file.IsBinary} +{file.AddedCount} -{file.RemovedCount}";
            }
        }

        string? patchId = expected.GetProperty("patchId").GetString();
        if (patchId != diff.PatchId)
        {
            return $"expected patch-id {patchId}, found {diff.PatchId}";
        }

        if (diff.Diagnostics.Any(d => d.Severity == PatchDiagnosticSeverity.Error))
        {
            return "unexpected error: " + diff.Diagnostics.First(d => d.Severity == PatchDiagnosticSeverity.Error);
        }

        return null;
    }
}
