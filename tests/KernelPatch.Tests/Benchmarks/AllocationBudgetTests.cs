using System.Globalization;
using System.Runtime.CompilerServices;
using KernelPatch.Benchmarks;
using KernelPatch.Commit;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Benchmarks;

/// <summary>
/// The allocation budget of the end-to-end parse (deterministic: allocated bytes on this thread,
/// never time). Fails when the hot path starts allocating per line or per header.
/// </summary>
public sealed class AllocationBudgetTests
{
    /// <summary>240 generated messages (seed 42): 2,102,255 bytes, 35,033 diff lines; 2,831,460 bytes and 62,208 lines with doubled diff lines.</summary>
    private const int MessageCount = 240;

    /// <summary>
    /// Allocated bytes per input byte allowed for parse + full visit: DESIGN's target, below 1.0. The parser
    /// measured 1.881 on 2026-11-23 (commit 779df18), 1.408 after the first allocation work (a924985) and 0.954
    /// after the second (string pool, scratch builders, lazy series reasons). See docs/performance.md.
    /// </summary>
    private const double BytesPerInputByteBudget = 1.0;

    /// <summary>
    /// Where this input stands (0.752 when last measured) plus about 6%: a guard, so that a change that brings back garbage
    /// (on 64 MB, 0.81 B/B meant three gen0 and two gen1 collections where 0.76 needs two and one, 30% of the time)
    /// fails here long before DESIGN's 1.0 would.
    /// </summary>
    private const double BytesPerInputByteGuard = 0.80;

    /// <summary>What doubling the diff lines may add per extra diff line, beyond the legitimate growth of body strings.</summary>
    private const double BytesPerExtraDiffLineBudget = 1.0;

    private readonly ITestOutputHelper _output;

    public AllocationBudgetTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void EndToEnd_AllocatesWithinTheBudgetPerInputByte()
    {
        byte[] input = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out GeneratedMailboxStats stats);
        stats.Messages.Should().Be(MessageCount);
        input.Length.Should().Be(2_102_255);

        ParseAndVisit(input, out _); // warm-up: JIT, static caches, pools
        long allocated = MinOfThree(input, out long checksum);
        double perByte = (double)allocated / input.Length;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Length} input bytes, {allocated} allocated: {perByte:F3} bytes per input byte (budget {BytesPerInputByteBudget}, target < 1.0); checksum {checksum}"));

        checksum.Should().BeGreaterThan(input.Length, "the visit read every message's bytes and more");
        perByte.Should().BeLessThan(BytesPerInputByteBudget);
        perByte.Should().BeLessThan(BytesPerInputByteGuard, "the last measured figure was 0.752");
    }

    [Fact]
    public void EndToEnd_DoesNotAllocatePerDiffLine()
    {
        byte[] single = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out GeneratedMailboxStats singleStats);
        byte[] doubled = MailboxGenerator.GenerateMessages(MessageCount, 42, 2, out GeneratedMailboxStats doubledStats);
        doubledStats.Messages.Should().Be(singleStats.Messages);
        doubledStats.DiffFiles.Should().Be(singleStats.DiffFiles);
        doubledStats.Hunks.Should().Be(singleStats.Hunks);
        long extraLines = doubledStats.DiffLines - singleStats.DiffLines;
        extraLines.Should().BeGreaterThan(20_000);

        ParseAndVisit(single, out _);
        ParseAndVisit(doubled, out _);
        long singleBytes = MinOfThree(single, out _);
        long doubledBytes = MinOfThree(doubled, out _);

        // What legitimately grows: the replies quote patch lines, and the series stage decodes a
        // reply's body (UTF-16, 2 bytes per char) when it may hold follow-up trailers. Nothing else may grow.
        long stringGrowth = 2 * Math.Max(0, BodyChars(doubled) - BodyChars(single));
        long growth = doubledBytes - singleBytes;
        double perExtraLine = (double)(growth - stringGrowth) / extraLines;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{singleStats.DiffLines} lines: {singleBytes} B; {doubledStats.DiffLines} lines: {doubledBytes} B; growth {growth} B, body strings {stringGrowth} B, {perExtraLine:F4} B per extra diff line"));

        perExtraLine.Should().BeLessThan(BytesPerExtraDiffLineBudget);
    }

    /// <summary>Bytes of the reply bodies the series stage decodes (a close upper bound of their chars).</summary>
    private static long BodyChars(byte[] input)
    {
        long chars = 0;
        foreach (PatchMessage m in PatchMailbox.Parse(input).Messages)
        {
            if (m.Kind is not (MessageKind.Patch or MessageKind.Cover) && m.Mail is { } mail
                && KernelPatch.Series.FollowUpTrailerReader.MayContainTrailers(mail.Body.Span))
            {
                chars += mail.Body.Length;
            }
        }

        return chars;
    }

    // The least of three runs: one-time runtime work (tiering, lazy statics) landing inside a run is not the parser's.
    private static long MinOfThree(byte[] input, out long checksum)
    {
        long least = long.MaxValue;
        checksum = 0;
        for (int run = 0; run < 3; run++)
        {
            least = Math.Min(least, ParseAndVisit(input, out checksum));
        }

        return least;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ParseAndVisit(byte[] input, out long checksum)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        checksum = KernelPatch.Benchmarks.EndToEnd.Visit(PatchMailbox.Parse(input)); // the benchmarks' own visit (linked into both projects)
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
