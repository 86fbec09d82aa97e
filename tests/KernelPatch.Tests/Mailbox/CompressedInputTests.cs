using System.IO.Compression;
using System.Text;
using KernelPatch.Mailbox;
using KernelPatch.Text;
using KernelPatch.Tool;
using static KernelPatch.Tests.Mailbox.MailboxTestHelpers;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// lore and public-inbox serve a thread as <c>t.mbox.gz</c>: gzip input is decompressed before the split, by every
/// entry point, and corrupt or cut gzip keeps the messages before the fault, with an error.
/// </summary>
public class CompressedInputTests
{
    /// <summary><paramref name="data"/> as a gzip file of <paramref name="members"/> members (zlib's own writing).</summary>
    internal static byte[] Gzip(byte[] data, int members = 1)
    {
        using var output = new MemoryStream();
        int step = (data.Length + members - 1) / members;
        for (int start = 0; start < data.Length; start += step)
        {
            // Each member is a complete gzip file: `cat a.gz b.gz` is a valid gzip file too.
            using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(data, start, Math.Min(step, data.Length - start));
        }

        return output.ToArray();
    }

    private static List<(string? Id, string Title, string Diagnostics)> Summary(IEnumerable<PatchMessage> messages) =>
        messages.Select(m => (m.MessageId, m.Title, string.Join(",", m.Diagnostics.Select(d => d.Code + "@" + (m.SourceOffset + d.Offset))))).ToList(); // streamed offsets count from each message

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_gzip_mailbox_parses_as_the_mailbox_it_holds(int members)
    {
        byte[] plain = SampleSeries.Load();
        var expected = PatchMailbox.Parse(plain);
        var box = PatchMailbox.Parse(Gzip(plain, members));

        Summary(box.Messages).Should().Equal(Summary(expected.Messages));
        box.Messages.Should().HaveCount(6);
        box.Series.Select(s => (s.Version, s.Title, s.Patches.Length)).Should().Equal(expected.Series.Select(s => (s.Version, s.Title, s.Patches.Length)));
        box.Diagnostics.Select(d => (d.Code, d.Severity, d.Offset)).Should().Equal([("KP0106", PatchDiagnosticSeverity.Info, 0), .. expected.Diagnostics.Select(d => (d.Code, d.Severity, d.Offset))]);

        // Offsets count in the decompressed bytes, which the records hold.
        box.Messages[3].Source.Span.SequenceEqual(plain).Should().BeTrue();
        box.Messages.Select(m => m.Span.Offset).Should().Equal(expected.Messages.Select(m => m.Span.Offset));
        PatchSeries.Parse(Gzip(plain)).Title.Should().Be("ringbuf: validate sizes, add ringbuf_free()");
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(7)]
    [InlineData(1)]
    public async Task A_gzip_stream_is_read_as_the_mailbox_it_holds_and_the_logger_hears_of_it(int chunk)
    {
        byte[] plain = SampleSeries.Load();
        byte[] gz = Gzip(plain, members: 2);
        var expected = Summary(PatchMailbox.Parse(plain).Messages);

        var logger = new OptionsTests.ListLogger();
        Summary(PatchMailbox.Read(new TrickleStream(gz, chunk), new PatchParseOptions { Logger = logger })).Should().Equal(expected);
        logger.Entries.Where(e => e.Text.StartsWith("KP010", StringComparison.Ordinal)).Select(e => e.Text[..6]).Should().Equal("KP0106");

        var streamed = new List<PatchMessage>();
        await foreach (var m in PatchMailbox.ReadAsync(new TrickleStream(gz, chunk)))
        {
            streamed.Add(m);
        }

        Summary(streamed).Should().Equal(expected);
        streamed.Select(m => m.SourceOffset).Should().Equal(PatchMailbox.Parse(plain).Messages.Select(m => (long)m.Span.Offset));
    }

    [Fact]
    public void Cut_gzip_keeps_the_messages_before_the_cut_with_an_error_and_strict_mode_throws()
    {
        byte[] plain = SampleSeries.Load();
        byte[] gz = Gzip(plain);
        byte[] cut = gz[..(gz.Length * 2 / 3)];

        var box = PatchMailbox.Parse(cut);
        var error = box.Diagnostics.Single(d => d.Code == "KP0107");
        error.Severity.Should().Be(PatchDiagnosticSeverity.Error);
        error.Message.Should().StartWith("Expected gzip data, found it corrupt or cut short after ");
        box.Messages.Should().NotBeEmpty().And.HaveCountLessThan(6);
        string decompressed = Encoding.UTF8.GetString(box.Messages[0].Source.Span);
        Encoding.UTF8.GetString(plain).Should().StartWith(decompressed, "what was decompressed before the cut is kept as it is");
        error.Offset.Should().Be(decompressed.Length);

        var logger = new OptionsTests.ListLogger();
        var streamed = PatchMailbox.Read(new MemoryStream(cut), new PatchParseOptions { Logger = logger }).ToList();
        Summary(streamed).Should().Equal(Summary(box.Messages));
        logger.Entries.Should().Contain(e => e.Text.StartsWith("KP0107 at offset " + decompressed.Length + ": Expected gzip data", StringComparison.Ordinal));

        var strict = () => PatchMailbox.Parse(cut, PatchParseOptions.Strict);
        strict.Should().Throw<PatchFormatException>().Which.Code.Should().Be("KP0107");
        var strictRead = () => PatchMailbox.Read(new MemoryStream(cut), PatchParseOptions.Strict).ToList();
        strictRead.Should().Throw<PatchFormatException>().Which.Code.Should().Be("KP0107");
    }

    [Fact]
    public void Gzip_damaged_in_the_middle_is_an_error_whether_parsed_or_streamed()
    {
        byte[] plain = SampleSeries.Load();
        byte[] damaged = Gzip(plain);
        for (int i = damaged.Length / 2; i < damaged.Length / 2 + 16; i++)
        {
            damaged[i] ^= 0x5A;
        }

        PatchMailbox.Parse(damaged).Diagnostics.Should().ContainSingle(d => d.Code == "KP0107").Which.Severity.Should().Be(PatchDiagnosticSeverity.Error);
        var logger = new OptionsTests.ListLogger();
        var streamed = PatchMailbox.Read(new MemoryStream(damaged), new PatchParseOptions { Logger = logger }).ToList();
        streamed.Count.Should().BeLessThanOrEqualTo(6);
        logger.Entries.Should().ContainSingle(e => e.Text.StartsWith("KP0107", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_and_Read_keep_the_same_messages_before_a_fault_in_a_large_gzip()
    {
        // .NET's GZipStream drops what one read had decoded when it meets bad data: both paths read in 8 KiB steps,
        // so they stop at the same byte and a fault costs at most that much. (Mutation runs found the two disagreeing
        // before the steps; this input checks that they agree, the step is checked below.)
        string? path = TestPaths.CorpusFile("dev", "b4-history.mbox");
        byte[] plain = path is not null && File.Exists(path) ? File.ReadAllBytes(path)[..400_000] : [.. Enumerable.Repeat(SampleSeries.Load(), 60).SelectMany(b => b)];
        byte[] damaged = Gzip(plain);
        damaged[damaged.Length / 3] ^= 0xFF;
        damaged[(damaged.Length / 3) + 1] ^= 0xFF;

        var whole = PatchMailbox.Parse(damaged);
        var fault = whole.Diagnostics.Should().ContainSingle(d => d.Code == "KP0107").Subject;
        fault.Offset.Should().BeGreaterThan(0);
        whole.Messages.Should().NotBeEmpty();
        Summary(PatchMailbox.Read(new MemoryStream(damaged)).ToList()).Should().Equal(Summary(whole.Messages));

        using var stream = CompressedInput.Open(new MemoryStream(Gzip(plain)), new DiagnosticBag());
        var buffer = new byte[1 << 16];
        stream.Read(buffer, 0, buffer.Length).Should().BeInRange(1, 8192, "the reader asks for 64 KiB; gzip is read in 8 KiB steps");
    }

    [Fact]
    public void Gzip_that_decompresses_beyond_the_bound_is_cut_there_with_an_error()
    {
        // A gzip bomb cannot make Parse hold more than one array can; Read streams any size. A small bound shows it.
        byte[] plain = SampleSeries.Load();
        var bag = new DiagnosticBag();
        var held = CompressedInput.Decompress(Gzip(plain), bag, maxLength: 3000);
        held.Length.Should().Be(3000);
        held.Span.SequenceEqual(plain.AsSpan(0, 3000)).Should().BeTrue();
        bag.ToImmutableAndClear().Select(d => (d.Code, d.Severity)).Should().Equal(("KP0106", PatchDiagnosticSeverity.Info), ("KP0107", PatchDiagnosticSeverity.Error));

        var exact = new DiagnosticBag();
        CompressedInput.Decompress(Gzip(plain), exact, maxLength: plain.Length).Length.Should().Be(plain.Length);
        exact.ToImmutableAndClear().Select(d => d.Code).Should().Equal("KP0106");
    }

    [Fact]
    public void A_gzip_trailer_claiming_gigabytes_does_not_make_Parse_allocate_them()
    {
        // The trailer's length field sizes the buffer, believed only up to 16 times the compressed size.
        byte[] plain = [.. Enumerable.Repeat(SampleSeries.Load(), 20).SelectMany(b => b)];
        byte[] gz = Gzip(plain);
        gz.AsSpan(gz.Length - 4).Fill(0xFF); // "4 GiB"
        PatchMailbox.Parse(gz); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var box = PatchMailbox.Parse(gz);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(16 << 20, "not the 4 GiB the trailer claims");
        // .NET checks the trailer when the member ends: the last step's data is lost with it, the rest is kept.
        box.Messages.Should().NotBeEmpty();
        box.Diagnostics.Should().ContainSingle(d => d.Code == "KP0107");
    }

    [Fact]
    public void The_command_reads_a_gzip_mailbox_from_a_file_and_from_standard_input()
    {
        byte[] plain = SampleSeries.Load();
        string path = Path.Combine(Path.GetTempPath(), "kernelpatch-" + Guid.NewGuid().ToString("N") + ".mbox.gz");
        File.WriteAllBytes(path, Gzip(plain));
        try
        {
            foreach (string command in new[] { "series", "messages" })
            {
                using var expected = new MemoryStream();
                CommandLine.Run([command, "-"], new MemoryStream(plain), expected, new StringWriter()).Should().Be(0);
                using var fromFile = new MemoryStream();
                CommandLine.Run([command, path], new MemoryStream(), fromFile, new StringWriter()).Should().Be(0);
                using var fromStdin = new MemoryStream();
                CommandLine.Run([command, "-"], new MemoryStream(Gzip(plain)), fromStdin, new StringWriter()).Should().Be(0);
                // The same output: each message's diagnostics are its own, and the gzip note is the mailbox's.
                string want = Encoding.UTF8.GetString(expected.ToArray());
                Encoding.UTF8.GetString(fromFile.ToArray()).Should().Be(want);
                Encoding.UTF8.GetString(fromStdin.ToArray()).Should().Be(want);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
