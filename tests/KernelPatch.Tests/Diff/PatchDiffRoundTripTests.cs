using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class PatchDiffRoundTripTests
{
    private readonly ITestOutputHelper _output;

    public PatchDiffRoundTripTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void EveryB4PatchPart_WritesBackExactlyAndFilesTileTheDiff()
    {
        if (!TestPaths.TryCorpus(_output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        byte[] mbox = File.ReadAllBytes(path);
        int checkedParts = 0;
        foreach (var (start, end) in DiffCorpus.SplitMbox(mbox))
        {
            if (DiffCorpus.PatchPart(mbox, start, end) is not { } part)
            {
                continue;
            }

            // parse the patch part in place (spans are offsets into the whole mbox)
            var diff = PatchDiff.Parse(new ReadOnlyMemory<byte>(mbox, part.Start, part.End - part.Start));
            var stream = new MemoryStream();
            diff.WriteTo(stream);
            stream.ToArray().AsSpan().SequenceEqual(mbox.AsSpan(part.Start, part.End - part.Start)).Should().BeTrue();
            diff.Validate().Should().BeEmpty();

            // files, headers, hunks and lines cover the patch part with no gap: write them piece by piece
            var pieces = new MemoryStream();
            foreach (DiffFile file in diff.Files)
            {
                pieces.Write(file.HeaderSpan.Slice(diff.Source.Span));
                int next = file.HeaderSpan.End;
                foreach (DiffHunk hunk in file.Hunks)
                {
                    hunk.HeaderSpan.Offset.Should().Be(next);
                    pieces.Write(hunk.HeaderSpan.Slice(diff.Source.Span));
                    next = hunk.HeaderSpan.End;
                    foreach (DiffLine line in hunk.EnumerateLines())
                    {
                        // a "\ No newline" line between lines is part of the hunk but not a DiffLine
                        pieces.Write(diff.Source.Span[next..line.End]);
                        next = line.End;
                    }

                    pieces.Write(diff.Source.Span[next..hunk.Span.End]);
                    next = hunk.Span.End;
                }

                pieces.Write(diff.Source.Span[next..file.Span.End]);
            }

            pieces.ToArray().AsSpan().SequenceEqual(diff.Source.Span[..diff.Files[^1].Span.End]).Should().BeTrue();
            checkedParts++;
        }

        _output.WriteLine($"{checkedParts} patch parts written back byte for byte");
        checkedParts.Should().BeGreaterThan(1300);
    }

    [Fact]
    public void EveryCorpusDiffAndFixture_WritesBackExactly()
    {
        var paths = new List<string>(Directory.GetFiles(TestPaths.Fixture("diff"), "*.diff"));
        if (TestPaths.CorpusFile("unidiff-samples") is { } dir && Directory.Exists(dir))
        {
            paths.AddRange(Directory.GetFiles(dir, "*.diff"));
        }

        foreach (string path in paths)
        {
            byte[] bytes = File.ReadAllBytes(path);
            var diff = PatchDiff.Parse(bytes);
            var stream = new MemoryStream();
            diff.WriteTo(stream);
            stream.ToArray().Should().Equal(bytes, Path.GetFileName(path));
            diff.ToString().Should().Be(System.Text.Encoding.UTF8.GetString(bytes));
            foreach (DiffFile file in diff.Files)
            {
                file.Span.End.Should().BeLessThanOrEqualTo(bytes.Length);
                file.HeaderSpan.Offset.Should().Be(file.Span.Offset);
            }
        }

        _output.WriteLine($"{paths.Count} diff files written back byte for byte");
        paths.Count.Should().BeGreaterThanOrEqualTo(6);
    }

    [Fact]
    public void ParseOfASpan_KeepsOffsetsIntoTheWholeSource()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.Fixture("diff", "hunks.diff"));
        byte[] padded = [.. "HEADER\n"u8.ToArray(), .. bytes, .. "TRAILER"u8.ToArray()];
        var bag = new KernelPatch.Text.DiagnosticBag();
        PatchDiff inner = PatchDiff.Parse(padded, new KernelPatch.Text.SourceSpan(7, bytes.Length), bag);
        PatchDiff whole = PatchDiff.Parse(bytes);
        inner.Span.Should().Be(new KernelPatch.Text.SourceSpan(7, bytes.Length));
        inner.Files.Select(f => f.Span.Offset - 7).Should().Equal(whole.Files.Select(f => f.Span.Offset));
        inner.Files.Select(f => f.Hunks[0].Lines[0].Offset - 7).Should().Equal(whole.Files.Select(f => f.Hunks[0].Lines[0].Offset));
        inner.PatchId.Should().Be(whole.PatchId);
        var stream = new MemoryStream();
        inner.WriteTo(stream);
        stream.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public void InternalParse_PutsDiagnosticsOnTheRecordAndLeavesTheCallersBagAlone()
    {
        // Every stage's convention: the record carries its diagnostics, so the caller never sees them twice.
        byte[] bytes = File.ReadAllBytes(TestPaths.Fixture("diff", "corrupt.diff"));
        var bag = new KernelPatch.Text.DiagnosticBag();
        PatchDiff diff = PatchDiff.Parse(bytes, new KernelPatch.Text.SourceSpan(0, bytes.Length), bag);
        bag.Count.Should().Be(0);
        diff.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("KP0501");
    }
}
