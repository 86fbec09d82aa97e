using System.Runtime.CompilerServices;
using System.Text;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class PatchDiffAllocationTests
{
    private readonly ITestOutputHelper _output;

    public PatchDiffAllocationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static byte[] MakeDiff(int linesPerHunk)
    {
        var text = new StringBuilder();
        for (int file = 0; file < 3; file++)
        {
            text.Append("diff --git a/src/file").Append(file).Append(".c b/src/file").Append(file).Append(".c\n");
            text.Append("index 1111111..2222222 100644\n--- a/src/file").Append(file).Append(".c\n+++ b/src/file").Append(file).Append(".c\n");
            for (int hunk = 0; hunk < 2; hunk++)
            {
                int start = 1 + (hunk * 10 * linesPerHunk);
                text.Append("@@ -").Append(start).Append(',').Append(2 * linesPerHunk).Append(" +").Append(start).Append(',').Append(2 * linesPerHunk)
                    .Append(" @@ int f(void)\n");
                for (int i = 0; i < linesPerHunk; i++)
                {
                    text.Append(" context line ").Append(i).Append('\n');
                    text.Append(i % 2 == 0 ? "-removed line " : "+added line ").Append(i).Append('\n');
                    text.Append(i % 2 == 0 ? "+added line " : "-removed line ").Append(i).Append('\n');
                }
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ParseAndVisit(byte[] bytes, out int lines, out string? patchId)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        PatchDiff diff = PatchDiff.Parse(bytes);
        lines = 0;
        foreach (DiffFile file in diff.Files)
        {
            foreach (DiffHunk hunk in file.Hunks)
            {
                foreach (DiffLine line in hunk.EnumerateLines())
                {
                    lines += hunk.GetBytes(line).Length > 0 ? 1 : 0;
                }
            }
        }

        patchId = diff.PatchId;
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ParseAndEnumerate_DoesNotAllocatePerLine()
    {
        byte[] small = MakeDiff(1000);
        byte[] large = MakeDiff(2000);
        ParseAndVisit(small, out _, out _);
        ParseAndVisit(large, out _, out _);

        // The least of three runs each: one-time runtime work (tiering, lazy statics) that happens to
        // land inside a measured run is not the parser's allocation.
        long smallBytes = long.MaxValue, largeBytes = long.MaxValue;
        int smallLines = 0, largeLines = 0;
        string? smallId = null, largeId = null;
        for (int run = 0; run < 3; run++)
        {
            smallBytes = Math.Min(smallBytes, ParseAndVisit(small, out smallLines, out smallId));
            largeBytes = Math.Min(largeBytes, ParseAndVisit(large, out largeLines, out largeId));
        }

        _output.WriteLine($"{smallLines} lines: {smallBytes} bytes; {largeLines} lines: {largeBytes} bytes");
        smallLines.Should().Be(3 * 2 * 3 * 1000);
        largeLines.Should().Be(2 * smallLines);
        smallId.Should().NotBe(largeId);

        // Same files and hunks, twice the lines: the same allocation within a small constant
        // (a few bytes of differently sized decimal numbers in diagnostics-free records: none expected).
        long perExtraLine = (largeBytes - smallBytes) / (largeLines - smallLines);
        Math.Abs(largeBytes - smallBytes).Should().BeLessThan(256);
        perExtraLine.Should().Be(0);
    }

    [Fact]
    public void LinesTable_CostsOneStructPerLine()
    {
        byte[] bytes = MakeDiff(1000);
        PatchDiff diff = PatchDiff.Parse(bytes);
        DiffHunk hunk = diff.Files[0].Hunks[0];
        _ = diff.Files[1].Hunks[0].Lines;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var lines = hunk.Lines;
        long cost = GC.GetAllocatedBytesForCurrentThread() - before;
        lines.Length.Should().Be(3000);
        int size = Unsafe.SizeOf<DiffLine>();
        _output.WriteLine($"table of {lines.Length} lines: {cost} bytes ({size} bytes per DiffLine)");
        cost.Should().BeInRange((long)lines.Length * size, ((long)lines.Length * size) + 64);
        hunk.Lines.Should().Equal(lines, "the table is built once and cached");
        lines[1].Should().Be(new DiffLine(DiffLineKind.Removed, lines[1].Offset, "-removed line 0\n".Length, 2, 0, false));
    }
}
