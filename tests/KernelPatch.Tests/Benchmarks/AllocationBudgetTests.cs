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
    /// Where this input stands (0.624 when last measured, since the series stage wraps its position tables and makes
    /// rarely filled tables on first use; 0.633 before that, since diffstat lines and diff files got smaller; 0.660
    /// before, 0.739 before the string pool took non-ASCII text, two-way sets and a better hash, follow-up trailer
    /// decisions wrote their reasons on demand, the mailbox parse stopped making an array of every entry and the
    /// assembly its reply lists) plus about 6%: a guard, so that a change that brings back garbage (on 64 MB, 0.81 B/B meant three
    /// gen0 and two gen1 collections where 0.76 needs two and one, 30% of the time) fails here long before DESIGN's 1.0 would.
    /// </summary>
    private const double BytesPerInputByteGuard = 0.66;

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
        perByte.Should().BeLessThan(BytesPerInputByteGuard, "the last measured figure was 0.624");
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

    [Fact]
    public void GitLog_CostsWhatTheSameCommitsAsMailCost_AndNothingPerDiffLine()
    {
        // git log -p output (PatchInputFormat.GitLog): each message is unindented into a copy; the diff is not copied.
        const int commits = 200;
        byte[] log = Commits(commits, 60, asMail: false);
        byte[] mail = Commits(commits, 60, asMail: true);
        byte[] longer = Commits(commits, 120, asMail: false);
        ParseAndVisit(log, out _);
        ParseAndVisit(mail, out _);
        ParseAndVisit(longer, out _);
        long logBytes = MinOfThree(log, out long checksum);
        long mailBytes = MinOfThree(mail, out _);
        long longerBytes = MinOfThree(longer, out _);
        double perByte = (double)logBytes / log.Length;
        double perCommitMore = (double)(logBytes - mailBytes) / commits;
        double perExtraLine = (double)(longerBytes - logBytes) / (commits * 2 * 2 * 60 * 2); // commits x files x hunks x (removed + added) extra lines
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"git log {log.Length} B: {logBytes} allocated, {perByte:F3} B/B; as mail {mailBytes}; {perCommitMore:F0} B more per commit; {perExtraLine:F4} B per extra diff line"));

        PatchMailbox.Parse(log).Messages.Should().HaveCount(commits).And.OnlyContain(m => m.Files.Length == 2 && m.Trailers.Length == 2 && m.Diagnostics.IsEmpty);
        checksum.Should().BeGreaterThan(log.Length);
        perByte.Should().BeLessThan(BytesPerInputByteBudget);
        perCommitMore.Should().BeLessThan(1_000, "only the message and diffstat are copied (295 B more per commit when last measured; 10,478 B, 1.51 B/B and 21 B per extra diff line while the diff was copied too)");
        perExtraLine.Should().BeLessThan(BytesPerExtraDiffLineBudget);
    }

    [Fact]
    public void Load_of_a_file_stream_holds_the_input_once()
    {
        // PatchMailbox.Load(Stream) copies the stream into memory first. A MemoryStream grown by doubling allocated
        // twice the file and more (gen-64MB: 309.6 MB for a 67 MB file, 108.4 MB sized from the file's length).
        byte[] input = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out _);
        string path = Path.Combine(Path.GetTempPath(), "kernelpatch-load-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".mbox");
        File.WriteAllBytes(path, input);
        try
        {
            ParseAndVisit(input, out _);
            long parsed = MinOfThree(input, out _);
            long loaded = long.MaxValue;
            for (int run = 0; run < 4; run++) // the first run warms up the file and copy paths
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                long before = GC.GetAllocatedBytesForCurrentThread();
                PatchMailbox box = PatchMailbox.Load(stream);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                loaded = run == 0 ? loaded : Math.Min(loaded, allocated);
                box.Messages.Should().HaveCount(MessageCount);
            }

            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Length} B file: Load(FileStream) {loaded} B, Parse {parsed} B, {loaded - parsed} B more"));
            (loaded - parsed).Should().BeLessThan(input.Length + (64 * 1024), "the file is read into one buffer of its size");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_of_a_stream_that_cannot_seek_holds_the_input_once()
    {
        // A pipe or a network stream says no length. Grown by doubling, its buffer allocated four and a half times the
        // input and was kept, up to twice the input, by the records (gen-64MB: 309.7 MB allocated, a 134 MB array kept).
        // It is now read into pooled chunks, then copied once into an array of its length.
        byte[] input = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out _);
        ParseAndVisit(input, out _);
        long parsed = MinOfThree(input, out _);
        long loaded = long.MaxValue;
        for (int run = 0; run < 4; run++) // the first run warms up the copy path and the pool
        {
            var stream = new KernelPatch.Tests.Mailbox.StreamInputTests.ShortReads(input, 16 * 1024, seekable: false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            PatchMailbox box = PatchMailbox.Load(stream);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            loaded = run == 0 ? loaded : Math.Min(loaded, allocated);
            box.Messages.Should().HaveCount(MessageCount);
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(box.Messages[0].Source, out var kept).Should().BeTrue();
            kept.Array!.Length.Should().Be(input.Length, "the records keep an array of the input's length");
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Length} B stream that cannot seek: Load {loaded} B, Parse {parsed} B, {loaded - parsed} B more"));
        (loaded - parsed).Should().BeLessThan(input.Length + (64 * 1024), "the stream is copied once, into an array of its length");
    }

    [Fact]
    public void Parse_of_gzip_input_holds_the_decompressed_input_once()
    {
        // lore's t.mbox.gz: the gzip trailer gives the decompressed length, so the buffer is made once. It was made at
        // that length exactly, then doubled for the last whole read step: a second, larger copy of the input.
        byte[] input = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out _);
        byte[] gz = KernelPatch.Tests.Mailbox.CompressedInputTests.Gzip(input);
        ParseAndVisit(input, out _);
        long parsed = MinOfThree(input, out long plainChecksum);
        PatchMailbox.Parse(gz).Messages.Should().HaveCount(MessageCount);
        long unpacked = long.MaxValue;
        long gzChecksum = 0;
        for (int run = 0; run < 3; run++)
        {
            unpacked = Math.Min(unpacked, ParseAndVisit(gz, out gzChecksum));
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{input.Length} B in {gz.Length} B of gzip: Parse {unpacked} B, {unpacked - parsed} B more than the plain input's"));
        gzChecksum.Should().Be(plainChecksum, "the same messages, read from the decompressed bytes");
        (unpacked - parsed).Should().BeLessThan(input.Length + (64 * 1024), "the input is decompressed into one buffer of its size");
    }

    [Fact]
    public void OneMail_CostsAFixedFewKilobytes_AndALoneNumberedPatchNoMoreThanItsPositions()
    {
        // A bot that parses each mail as it arrives pays the parse's fixed cost every time. One patch of one commit
        // (1,296 bytes, two files): 8,472 B allocated when last measured, 10,056 before the identity table was cleared
        // slot by slot and the series stage made its seldom-filled tables on first use. The same mail numbered 109 of
        // 1,392, its series alone, tracks 1,000 positions (the bound for one message): a slot each in the series'
        // table (8 B) and in its missing list (4 B) for the 999 missing, and their runs in a diagnostic. It measured
        // 13,424 B more than the plain mail (29,736 more while the table and the list were copied as they grew).
        byte[] single = Commits(1, 3, asMail: true);
        byte[] numbered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(single).Replace("[PATCH]", "[PATCH 109/1392]", StringComparison.Ordinal));
        PatchMailbox.Parse(numbered).Series.Should().ContainSingle().Which.Missing.Should().HaveCount(999);
        ParseAndVisit(single, out _);
        ParseAndVisit(numbered, out _);
        long singleBytes = MinOfThree(single, out _);
        long numberedBytes = MinOfThree(numbered, out _);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one mail {single.Length} B: {singleBytes} B allocated; numbered 109/1392: {numberedBytes} B"));

        singleBytes.Should().BeLessThan(9_000, "8,472 B when last measured");
        (numberedBytes - singleBytes).Should().BeLessThan(1_000 * 16, "12 B for each of the 1,000 positions and the diagnostic's text");
    }

    [Fact]
    public void Read_of_one_mail_costs_the_mail_and_its_records_not_a_read_buffer()
    {
        // A bot that streams each mail as it arrives makes a reader for each: its 64 KiB read buffer was a new array
        // every time (72,760 B for a 2,934-byte mail, 7,200 B since it comes from the shared pool and goes back).
        // Each round first stops a Read after its first message: the buffer must go back then too, or the next
        // reader finds the pool empty.
        byte[] mail = Commits(1, 3, asMail: true);
        byte[] two = [.. mail, .. mail];
        long parsed = MinOfThree(mail, out _);
        ReadAll(mail);
        long least = long.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            foreach (var first in PatchMailbox.Read(new MemoryStream(two, writable: false)))
            {
                first.Title.Should().Be("subsys: change 0");
                break;
            }

            least = Math.Min(least, ReadAll(mail));
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one mail {mail.Length} B: Read {least} B, Parse and visit {parsed} B"));
        least.Should().BeLessThan(parsed + mail.Length + 4096, "the mail's own copy and its records, and no new read buffer (64 KiB)");

        static long ReadAll(byte[] input)
        {
            var stream = new MemoryStream(input, writable: false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long checksum = 0;
            foreach (var m in PatchMailbox.Read(stream))
            {
                checksum += KernelPatch.Benchmarks.EndToEnd.VisitMessage(m);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            checksum.Should().BeGreaterThan(input.Length);
            return allocated;
        }
    }

    [Fact]
    public void WriteAmMbox_writes_each_changed_patch_without_copying_it()
    {
        // kernelpatch am: every patch gets its follow-up trailers, a Link: and the applier's sign-off. Each changed
        // patch was copied three times (to parse its headers, into the writer, out of it) and all were held until the
        // end: the b4 history's 1,392 patches allocated 43.8 MB for 14.0 MB written. Now a patch is parsed in place,
        // written through one buffer that serves them all, and goes to the stream at once (3.2 MB). Here: 5,669,088 B
        // before, 893,456 B when last measured, for 1,738,301 B written.
        byte[] input = MailboxGenerator.GenerateMessages(MessageCount, 42, 1, out _);
        var series = PatchMailbox.Parse(input).Submissions.Select(s => s.Newest).Where(s => s.Patches.Length > 1).ToList();
        series.Should().HaveCountGreaterThan(5);
        var options = new AmMboxOptions { AddLink = true, AddSignOff = true, Identity = new KernelPatch.Mail.MailIdentity("App Lier", "app@example.org") };
        var written = new MemoryStream();
        foreach (var s in series)
        {
            s.WriteAmMbox(written, options); // warm-up, and the bytes each round writes
        }

        long least = long.MaxValue;
        int added = 0;
        for (int run = 0; run < 3; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            added = 0;
            foreach (var s in series)
            {
                added += s.WriteAmMbox(Stream.Null, options);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        int patches = series.Sum(s => s.Patches.Length);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{series.Count} series, {patches} patches, {added} trailers added, {written.Length} B written: {least} B allocated"));
        added.Should().BeGreaterThanOrEqualTo(2 * patches, "a Link: and a sign-off on every patch");
        least.Should().BeLessThan(written.Length, "a patch is not copied: its headers' parse, the trailers' text, and one buffer per series");
    }

    /// <summary>
    /// Deterministic commits, as git log -p writes them or as git format-patch mails them: a title, a body, two trailers, a
    /// diffstat and two files of two hunks of <paramref name="linesPerHunk"/> removed and as many added lines.
    /// </summary>
    private static byte[] Commits(int commits, int linesPerHunk, bool asMail)
    {
        var text = new System.Text.StringBuilder();
        for (int c = 0; c < commits; c++)
        {
            string id = c.ToString("x40", CultureInfo.InvariantCulture);
            string minute = (c % 60).ToString("00", CultureInfo.InvariantCulture);
            if (asMail)
            {
                text.Append("From ").Append(id).Append(" Mon Sep 17 00:00:00 2001\nFrom: Dev Eloper <dev@example.org>\n")
                    .Append("Date: Sat, 9 Mar 2024 11:").Append(minute).Append(":00 +0100\nSubject: [PATCH] subsys: change ").Append(c).Append("\n\n")
                    .Append("The frobnicator needed change ").Append(c).Append(".\n\nReviewed-by: Rev Iewer <rev@example.org>\n")
                    .Append("Signed-off-by: Dev Eloper <dev@example.org>\n---\n");
            }
            else
            {
                text.Append("commit ").Append(id).Append("\nAuthor: Dev Eloper <dev@example.org>\nDate:   Sat Mar 9 11:").Append(minute).Append(":00 2024 +0100\n\n")
                    .Append("    subsys: change ").Append(c).Append("\n    \n    The frobnicator needed change ").Append(c).Append(".\n    \n")
                    .Append("    Reviewed-by: Rev Iewer <rev@example.org>\n    Signed-off-by: Dev Eloper <dev@example.org>\n\n---\n");
            }

            text.Append(" src/a").Append(c).Append(".c | ").Append(4 * linesPerHunk).Append(" ++--\n src/b").Append(c).Append(".c | ").Append(4 * linesPerHunk).Append(" ++--\n")
                .Append(" 2 files changed, ").Append(4 * linesPerHunk).Append(" insertions(+), ").Append(4 * linesPerHunk).Append(" deletions(-)\n\n");
            foreach (string file in new[] { "src/a", "src/b" })
            {
                text.Append("diff --git a/").Append(file).Append(c).Append(".c b/").Append(file).Append(c).Append(".c\n")
                    .Append("index 1234567..89abcde 100644\n--- a/").Append(file).Append(c).Append(".c\n+++ b/").Append(file).Append(c).Append(".c\n");
                for (int h = 0; h < 2; h++)
                {
                    int start = 1 + (h * 1000);
                    text.Append("@@ -").Append(start).Append(',').Append(linesPerHunk + 2).Append(" +").Append(start).Append(',').Append(linesPerHunk + 2).Append(" @@ int f(void)\n \tint x = 0;\n");
                    for (int l = 0; l < linesPerHunk; l++)
                    {
                        text.Append("-\tx += old_value_").Append(l).Append(";\n");
                    }

                    for (int l = 0; l < linesPerHunk; l++)
                    {
                        text.Append("+\tx += new_value_").Append(l).Append(";\n");
                    }

                    text.Append(" \treturn x;\n");
                }
            }

            text.Append(asMail ? "-- \n2.39.5\n\n" : "\n");
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
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
