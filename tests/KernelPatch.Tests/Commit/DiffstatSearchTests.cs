using System.Text;
using KernelPatch.Commit;
using KernelPatch.Text;

namespace KernelPatch.Tests.Commit;

/// <summary>
/// The diffstat search (a search for the totals line, then the file lines above it) finds what a walk over every line
/// finds: the first totals line, with the unbroken run of file lines just before it.
/// </summary>
public class DiffstatSearchTests
{
    private static readonly string[] Lines =
    [
        " drivers/net/foo.c | 12 ++++++------", " a/{b => c}/d.c | 2 +-", " bin.dat | Bin 0 -> 120 bytes", " x | 0",
        " 2 files changed, 7 insertions(+), 1 deletion(-)", " 1 file changed, 1 insertion(+)", " 3 files changed",
        " create mode 100644 new.c", " rename a.c => b.c (90%)", " mode change 100644 => 100755 run.sh",
        "nothing changed here", " it changed", " 2 files  changed", "2 files changed", " 12 files changed, 0 deletions(-)",
        "", "Thanks for the review.", "> 1 file changed, 1 insertion(+)", " path | ", " | 3 +", " \r",
    ];

    [Fact]
    public void Random_regions_give_the_line_walks_diffstat()
    {
        var random = new Random(11);
        int found = 0;
        for (int round = 0; round < 3000; round++)
        {
            var sb = new StringBuilder();
            int count = random.Next(0, 24);
            for (int k = 0; k < count; k++)
            {
                sb.Append(Lines[random.Next(Lines.Length)]);
                sb.Append(random.Next(8) == 0 ? "\r\n" : "\n");
            }

            if (sb.Length > 0 && random.Next(4) == 0)
            {
                sb.Length -= random.Next(1, Math.Min(6, sb.Length) + 1); // a region that ends inside a line
            }

            byte[] b = Encoding.UTF8.GetBytes(sb.ToString());
            // mostly the region starts a line; sometimes inside one, which the walk reads as a line of its own
            int start = b.Length == 0 || random.Next(3) != 0 ? 0 : random.Next(2) == 0 ? LineStartAtOrAfter(b, random.Next(b.Length)) : random.Next(b.Length);
            int end = random.Next(4) == 0 ? random.Next(start, b.Length + 1) : b.Length;
            var expected = Walk(b, start, end, 100, out int expectedStart);
            var bag = new DiagnosticBag(PatchParseOptions.Default);
            var actual = DiffstatParser.Find(b, start, end, 100, bag, out int actualStart);
            string because = $"round {round}, region {start}..{end} of:\n{sb}";
            actualStart.Should().Be(expectedStart, because);
            if (expected is null)
            {
                actual.Should().BeNull(because);
                bag.ToImmutableAndClear().Should().BeEmpty(because);
                continue;
            }

            found++;
            actual.Should().NotBeNull(because);
            actual!.Span.Should().Be(expected.Value.Span, because);
            actual.SummarySpan.Should().Be(expected.Value.Summary, because);
            actual.Files.Select(f => (f.RawPath, f.Span)).Should().Equal(expected.Value.Files, because);
            actual.Changes.Length.Should().Be(expected.Value.Changes, because);
        }

        found.Should().BeGreaterThan(500, "the mix must make diffstats often");
    }

    [Fact]
    public void A_reply_without_a_totals_line_has_no_diffstat_and_a_cover_letter_diffstat_is_found_below_its_text()
    {
        byte[] reply = Encoding.UTF8.GetBytes("On Monday you wrote:\n>  foo.c | 2 +-\n\n foo.c | 2 +- looks wrong\n\nThanks\n");
        DiffstatParser.Find(reply, 0, reply.Length, 0, new DiagnosticBag(PatchParseOptions.Default), out int none).Should().BeNull();
        none.Should().Be(-1);

        byte[] cover = Encoding.UTF8.GetBytes("This series changed things.\n\nA (2):\n  x: y\n\n a.c | 2 +-\n b.c | 1 +\n 2 files changed, 2 insertions(+), 1 deletion(-)\n\n-- \n2.43.0\n");
        var stat = DiffstatParser.Find(cover, 0, cover.Length, 0, new DiagnosticBag(PatchParseOptions.Default), out int statStart);
        stat.Should().NotBeNull();
        stat!.Files.Select(f => f.Path).Should().Equal("a.c", "b.c");
        (stat.Insertions, stat.Deletions, stat.FilesChanged).Should().Be((2, 1, 2));
        statStart.Should().Be(Encoding.UTF8.GetString(cover).IndexOf(" a.c", StringComparison.Ordinal));
    }

    private static int LineStartAtOrAfter(byte[] b, int pos)
    {
        if (pos == 0)
        {
            return 0;
        }

        int nl = Array.IndexOf(b, (byte)'\n', pos - 1);
        return nl < 0 ? b.Length : nl + 1;
    }

    // The search as one forward walk over every line of the region.
    private static (SourceSpan Span, SourceSpan Summary, (string, SourceSpan)[] Files, int Changes)? Walk(byte[] b, int start, int end, int baseOffset, out int statStart)
    {
        statStart = -1;
        var files = new List<(string, SourceSpan)>();
        int runStart = -1;
        int pos = start;
        while (pos < end)
        {
            int le = Math.Min(ByteLines.LineEnd(b, pos, out int next), end);
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            if (DiffstatParser.TryTotals(line, out _, out _, out _))
            {
                int first = runStart >= 0 ? runStart : pos;
                int last = pos + line.Length;
                int changes = 0;
                for (int p = next; p < end;)
                {
                    int cle = Math.Min(ByteLines.LineEnd(b, p, out int cnext), end);
                    ReadOnlySpan<byte> cl = ByteLines.Content(b, p, cle);
                    if (DiffstatParser.TryChange(cl, baseOffset + p) is null)
                    {
                        break;
                    }

                    changes++;
                    last = p + cl.Length;
                    p = cnext;
                }

                statStart = first;
                return (SourceSpan.FromBounds(baseOffset + first, baseOffset + last), new SourceSpan(baseOffset + pos, line.Length), files.ToArray(), changes);
            }

            if (DiffstatParser.TryEntry(line, baseOffset + pos) is { } entry)
            {
                runStart = runStart < 0 ? pos : runStart;
                files.Add((entry.RawPath, entry.Span));
            }
            else
            {
                runStart = -1;
                files.Clear();
            }

            pos = next;
        }

        return null;
    }
}
