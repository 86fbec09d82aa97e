using FluentAssertions;
using KernelPatch.Mailbox;
using KernelPatch.Text;
using Xunit;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// Inside an open mbox message the splitters jump from one "From " line to the next instead of feeding every
/// body line; these inputs put separators, body "From " lines and near-misses at every buffer boundary.
/// </summary>
public class MailboxSkipAheadTests
{
    private const string Mbox =
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n" +
        "From: A <a@example.org>\nSubject: [PATCH 1/2] one\n\n" +
        "From the start this body line looks like a separator but has no time.\n" +
        "From x\nFro\nFrom\n>From 12:00:00 1999\n" +
        "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n" +
        "From: B <b@example.org>\nSubject: [PATCH 2/2] two\n\nbody\r\n" +
        "From somebody Mon Sep 17 00:00:00 2001\n" +
        "From: C <c@example.org>\nSubject: three\n\nlast line without newline From 12:00:00 2001";

    [Fact]
    public void In_memory_split_finds_only_the_three_separators()
    {
        var input = System.Text.Encoding.UTF8.GetBytes(Mbox);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Select(e => e.Span.Offset).Should().Equal(0, Mbox.IndexOf("From 2222", StringComparison.Ordinal), Mbox.IndexOf("From somebody", StringComparison.Ordinal));
        entries[^1].Span.End.Should().Be(input.Length);
        MailboxTestHelpers.Concatenate(input, entries).Should().Equal(input);
    }

    [Fact]
    public void Entries_handed_on_in_batches_are_the_entries_of_the_whole_split_in_order()
    {
        // 300 messages: more than four batches of 64, and a last part batch; the mailbox parse takes this form.
        byte[] input = KernelPatch.Benchmarks.MailboxGenerator.GenerateMessages(300, 42, 1, out _);
        var whole = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        var handed = new List<MailboxEntry>();
        MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag(), handed.Add);

        whole.Should().HaveCount(300);
        handed.Should().Equal(whole);
        handed.Select(e => e.Index).Should().Equal(Enumerable.Range(0, 300));
        PatchMailbox.Parse(input).Messages.Select(m => m.Span).Should().Equal(whole.Select(e => e.Span));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(23)]
    [InlineData(64)]
    [InlineData(71)]
    [InlineData(72)]
    [InlineData(73)]
    [InlineData(128)]
    public void Streaming_with_any_buffer_size_finds_the_same_entries(int bufferSize)
    {
        var input = System.Text.Encoding.UTF8.GetBytes(Mbox + "\n" + Mbox.Replace("\n", "\r\n", StringComparison.Ordinal));
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(6);
        var streamed = MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, bufferSize);
        streamed.Select(m => m.Entry).Should().Equal(entries);
        MailboxTestHelpers.ReadStreamAgain(input, PatchParseOptions.Default, bufferSize, bufferSize, chunk: 5).Select(m => m.Entry).Should().Equal(entries);
        MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, bufferSize, chunk: 5, spillLength: bufferSize).Select(m => m.Entry).Should().Equal(entries);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("body")]
    [InlineData("first line")]
    public void A_long_line_read_one_byte_at_a_time_is_split_as_in_memory(string where)
    {
        // Found by mutation fuzzing: a 440 KB header line read a byte per call took 2.7 s, because the
        // search for the next "From " line (and, before the first line was complete, for the first line's
        // end) started again at the partial line's start after every read. Now each byte is searched once.
        string longLine = new string('x', 200_000) + " From 12:00:00 2001 From x";
        string text = where switch
        {
            "header" => "From a@b Mon Sep 17 00:00:00 2001\nX-Long: " + longLine + "\nSubject: one\n\nbody\n",
            "body" => "From a@b Mon Sep 17 00:00:00 2001\nSubject: one\n\n" + longLine + "\n",
            _ => "X-Long: " + longLine + "\nSubject: one\n\nbody\n",
        } + "From c@d Mon Sep 17 00:00:00 2001\nSubject: two\n\nFrom here on\n";
        var input = System.Text.Encoding.UTF8.GetBytes(text);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Select(e => e.Span.Offset).Should().Equal(where == "first line" ? [0] : new[] { 0, text.IndexOf("From c@d", StringComparison.Ordinal) });

        var streamed = MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, bufferSize: 64, chunk: 1);

        streamed.Select(m => m.Entry).Should().Equal(entries);
    }

    [Fact]
    public void Mboxrd_still_sees_a_quoted_from_line_after_ordinary_body_lines()
    {
        var text = "From x@y Mon Sep 17 00:00:00 2001\nSubject: s\n\nline\n>From here\nFrom x@y Mon Sep 17 00:00:00 2001\nSubject: t\n\nplain\n";
        var input = System.Text.Encoding.UTF8.GetBytes(text);
        var options = PatchParseOptions.Default with { Format = PatchInputFormat.Mboxrd };
        var entries = MailboxSplitter.Split(input, options, new DiagnosticBag(options));
        entries.Select(e => e.NeedsUnquoting).Should().Equal(true, false);
        MailboxTestHelpers.ReadStream(input, options, 16).Select(m => m.Entry).Should().Equal(entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void A_long_quoted_from_line_read_a_few_bytes_at_a_time_is_unquoted_as_in_memory(int chunk)
    {
        // 20,000 '>' then "From": the quoted line's "From " arrives long after the line began, and a read may end
        // inside it. (Looking the run over again after every read was quadratic: 400 KB took seconds; now 71 ms.)
        string text = "From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: s\n\nbody\n" + new string('>', 20_000) + "From x\nmore\n";
        var input = System.Text.Encoding.ASCII.GetBytes(text);
        var options = PatchParseOptions.Default;
        var entries = MailboxSplitter.Split(input, options, new DiagnosticBag(options));
        entries.Should().ContainSingle().Which.NeedsUnquoting.Should().BeTrue();
        entries[0].Format.Should().Be(PatchInputFormat.Mboxrd);

        var streamed = MailboxTestHelpers.ReadStream(input, options, bufferSize: 64, chunk: chunk);

        streamed.Select(m => m.Entry).Should().Equal(entries);
        string content = System.Text.Encoding.ASCII.GetString(MailboxSplitter.GetContent(streamed[0].Bytes, streamed[0].LocalEntry).Span);
        content.Should().EndWith("body\n" + new string('>', 19_999) + "From x\nmore\n");
    }

    // Lines that are, or nearly are, separators and quoted separators; joined at random with CRLF and LF ends.
    private static readonly string[] s_lines =
    [
        "From x@y Mon Sep 17 00:00:00 2001", "From patchwork Mon Mar  9 10:24:07 2020", ">From quoted once", ">>From quoted twice",
        ">>>>>>>>From quoted deep", "text From mid-line", "a>From not at the start", ">Fromage", "> From with a space", ">>>>", ">",
        "From here on", "From", "Fro", "plain body", "", "Subject: s", "From: A <a@example.org>", "From From From ", ">From From ",
    ];

    [Theory]
    [InlineData(PatchInputFormat.Mbox)]
    [InlineData(PatchInputFormat.Mboxrd)]
    public void Skipping_finds_the_entries_feeding_every_line_finds(PatchInputFormat format)
    {
        var options = PatchParseOptions.Default with { Format = format };
        var random = new Random(20261124);
        int quoted = 0;
        for (int round = 0; round < 400; round++)
        {
            var text = new System.Text.StringBuilder();
            int lines = random.Next(1, 60);
            for (int i = 0; i < lines; i++)
            {
                text.Append(s_lines[random.Next(s_lines.Length)]).Append(random.Next(8) == 0 ? "\r\n" : "\n");
            }

            if (random.Next(4) == 0)
            {
                text.Append(s_lines[random.Next(s_lines.Length)]); // no line end at the end
            }

            var input = System.Text.Encoding.UTF8.GetBytes(text.ToString());
            var expected = EveryLine(input, format);
            quoted += expected.Count(e => e.NeedsUnquoting);

            MailboxSplitter.Split(input, options, new DiagnosticBag(options)).Should().Equal(expected, "round {0}: {1}", round, text);
            int bufferSize = random.Next(16, 200);
            MailboxTestHelpers.ReadStream(input, options, bufferSize, chunk: random.Next(1, 40)).Select(m => m.Entry)
                .Should().Equal(expected, "round {0}, buffer {1}: {2}", round, bufferSize, text);

            // A buffer that lets go of scanned lines at once and reads each message that lost bytes again, or holds them.
            var again = MailboxTestHelpers.ReadStreamAgain(input, options, bufferSize, bufferSize, chunk: random.Next(1, 40));
            again.Select(m => m.Entry).Should().Equal(expected, "round {0}, buffer {1}, read again: {2}", round, bufferSize, text);
            again.Select(m => Convert.ToHexString(m.Bytes.Span)).Should().Equal(expected.Select(e => Convert.ToHexString(e.Span.Slice(input))));
            var held = MailboxTestHelpers.ReadStream(input, options, bufferSize, chunk: random.Next(1, 40), spillLength: bufferSize);
            held.Select(m => m.Entry).Should().Equal(expected, "round {0}, buffer {1}, held: {2}", round, bufferSize, text);
            held.Select(m => Convert.ToHexString(m.Bytes.Span)).Should().Equal(expected.Select(e => Convert.ToHexString(e.Span.Slice(input))));
        }

        if (format == PatchInputFormat.Mboxrd)
        {
            quoted.Should().BeGreaterThan(100, "the inputs exercise unquoting");
        }
    }

    [Theory]
    [InlineData("mboxrd.mbox")]
    [InlineData("digest.md")]
    [InlineData("git log")]
    [InlineData("hg export")]
    public void Reading_again_finds_what_reading_once_finds_in_every_container_format(string input)
    {
        // Each container repeated, with junk and blank lines between, read through buffers that move scanned lines out
        // as soon as they may, and read each message that lost bytes again or hold them: entries, bytes and the
        // reader's diagnostics must be those of a reader that keeps every byte.
        string unit = input switch
        {
            "git log" => GitLogTests.TwoCommits,
            "hg export" => HgExportTests.FirstChangeset + HgExportTests.SecondChangeset,
            _ => File.ReadAllText(TestPaths.Fixture("mailbox", input)),
        };
        var random = new Random(20261125);
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            text.Append(unit).Append(random.Next(3) switch { 0 => "", 1 => "\n\n", _ => "stray line\n" });
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        var entries = MailboxSplitter.Split(bytes, PatchParseOptions.Default, new DiagnosticBag());
        entries.Length.Should().BeGreaterThan(39);
        for (int round = 0; round < 20; round++)
        {
            int bufferSize = random.Next(16, 600);
            int chunk = random.Next(1, 900);
            var once = MailboxTestHelpers.ReadStream(bytes, PatchParseOptions.Default, bufferSize, chunk, spillLength: int.MaxValue); // the buffer keeps every byte
            int spill = bufferSize + random.Next(0, 600);
            var again = MailboxTestHelpers.ReadStreamAgain(bytes, PatchParseOptions.Default, bufferSize, spill, chunk);
            var held = MailboxTestHelpers.ReadStream(bytes, PatchParseOptions.Default, bufferSize, chunk, spill);
            once.Select(m => m.Entry).Should().Equal(entries);
            foreach (var spilled in new[] { again, held })
            {
                spilled.Select(m => m.Entry).Should().Equal(entries, "round {0}", round);
                spilled.Select(m => Convert.ToHexString(m.Bytes.Span)).Should().Equal(once.Select(m => Convert.ToHexString(m.Bytes.Span)));
                spilled.Select(m => string.Join(",", m.Diagnostics.Select(d => d.Code + "@" + d.Offset)))
                    .Should().Equal(once.Select(m => string.Join(",", m.Diagnostics.Select(d => d.Code + "@" + d.Offset))), "round {0}", round);
            }
        }
    }

    [Theory]
    [InlineData("\nFrom ")]
    [InlineData("From ")]
    public void The_from_search_finds_what_the_runtime_substring_search_finds(string pattern)
    {
        // Near-misses of every length, indented code (the runtime's filter byte pair, a line end and a blank five bytes
        // on, is everywhere in it), and the pattern at every offset of a vector and in the tail after the last one.
        string[] pieces = ["\n      x", "\nFr", "\nFro", "\nFrom", "\nFrom\t", "From", " From ", "\nFrom ", "\n\nFrom ", "FFrom ", "x", "\n"];
        byte[] needle = System.Text.Encoding.ASCII.GetBytes(pattern);
        var random = new Random(20261125);
        int found = 0;
        for (int round = 0; round < 3000; round++)
        {
            var text = new System.Text.StringBuilder();
            int count = random.Next(0, 40);
            for (int i = 0; i < count; i++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            byte[] data = System.Text.Encoding.ASCII.GetBytes(text.ToString());
            for (int start = 0; start <= Math.Min(data.Length, 40); start++)
            {
                int expected = data.AsSpan(start).IndexOf(needle);
                MailboxScanner.IndexOfFrom(data.AsSpan(start), needle).Should().Be(expected, "round {0}, from {1}: {2}", round, start, text);
                found += expected >= 0 ? 1 : 0;
            }
        }

        found.Should().BeGreaterThan(10_000, "most inputs hold the pattern somewhere");

        // One hit exactly where each vector ends and the next begins, in a long run of indented lines.
        for (int at = 0; at < 100; at++)
        {
            byte[] data = System.Text.Encoding.ASCII.GetBytes(new string(' ', at) + pattern + new string(' ', 100 - at));
            MailboxScanner.IndexOfFrom(data, needle).Should().Be(at);
        }
    }

    // The reference: the scanner fed every line, with no skipping.
    private static List<MailboxEntry> EveryLine(byte[] input, PatchInputFormat format)
    {
        var scanner = new MailboxScanner(format, new DiagnosticBag());
        var output = new List<MailboxEntry>();
        int pos = 0;
        while (pos < input.Length)
        {
            int nl = input.AsSpan(pos).IndexOf((byte)'\n');
            int length = nl < 0 ? input.Length - pos : nl + 1;
            scanner.Line(pos, input.AsSpan(pos, length), output);
            pos += length;
        }

        scanner.Finish(input.Length, output);
        return output;
    }
}
