using System.Text;
using KernelPatch.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Tests.Mailbox;

/// <summary>Container detection and splitting on the project's fixtures, each run with LF and CRLF line ends.</summary>
public class MailboxSplitterTests
{
    private static byte[] Load(string name, bool crlf)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("mailbox", name));
        return crlf ? MailboxTestHelpers.ToCrlf(bytes) : bytes;
    }

    private static int Find(byte[] input, string text, int from = 0) => from + input.AsSpan(from).IndexOf(Encoding.UTF8.GetBytes(text));

    public static TheoryData<bool> LineEnds => new() { false, true };

    [Theory]
    [InlineData("mboxrd.mbox", PatchInputFormat.Mbox)]
    [InlineData("single-with-from.patch", PatchInputFormat.Mbox)] // format-patch output is a one-message mbox
    [InlineData("single.eml", PatchInputFormat.Message)]
    [InlineData("bare.diff", PatchInputFormat.Diff)]
    [InlineData("digest.md", PatchInputFormat.Digest)] // starts with a blank line, then '####'
    public void Detects_container_format(string name, PatchInputFormat expected)
    {
        MailboxSplitter.Detect(Load(name, false)).Should().Be(expected);
        MailboxSplitter.Detect(Load(name, true)).Should().Be(expected);
    }

    [Theory]
    [InlineData("", PatchInputFormat.Message)] // empty input
    [InlineData("\n\n", PatchInputFormat.Message)] // blank lines only
    [InlineData("# HG changeset patch\n# User x\n", PatchInputFormat.HgExport)] // hg export, not a Markdown heading
    [InlineData("Index: a.c\n=====\n", PatchInputFormat.Diff)] // svn diff header looks like a field
    [InlineData("--- a/x\n+++ b/x\n", PatchInputFormat.Diff)]
    [InlineData("```\nFrom: a@b\n", PatchInputFormat.Digest)] // a fence without heading
    [InlineData("Subject: hi\n\nbody", PatchInputFormat.Message)]
    [InlineData("From nobody\n", PatchInputFormat.Mbox)] // any 'From ' start is an mbox; the split then reports the bad separator
    public void Detects_format_of_small_inputs(string text, PatchInputFormat expected)
    {
        MailboxSplitter.Detect(Encoding.UTF8.GetBytes(text)).Should().Be(expected);
    }

    [Theory]
    [InlineData("From sha Mon Sep 17 00:00:00 2001", true)] // git format-patch
    [InlineData("From patchwork Mon Mar  9 10:24:07 2020", true)] // patchwork, two spaces before the day
    [InlineData("From a@b.c Tue Dec 17 13:55:46 2019 +0000", true)] // git reads the year after the last colon's seconds: 2019
    [InlineData("From lines not actually starting a new message, per mboxo requirements.", false)] // b4 history body line
    [InlineData("From here on", false)] // too short
    [InlineData("From x Mon Jan  1 00:00:00 1990", true)] // four-digit year above 90
    [InlineData("From x Mon Jan  1 00:00:00 90", false)] // two-digit year 90 is not above 90
    [InlineData("From x Mon Jan  1 00:00:00 91", true)]
    [InlineData("From x Mon Jan  1 0:00 1999", false)] // git needs a digit four places before the last colon
    [InlineData("From: Alice <a@example.org> 12:34:56 2020", false)] // 'From:' is not 'From '
    public void From_line_shape_as_git_mailsplit(string line, bool expected)
    {
        MailboxLines.IsFromLine(Encoding.ASCII.GetBytes(line)).Should().Be(expected);
    }

    [Theory]
    [InlineData("\n", false)] // 19 bytes with its newline: git wants 20
    [InlineData("\r\n", true)] // 20 with CRLF (found by 600 random mboxes compared with git mailsplit)
    [InlineData("", false)] // the input's last line, without a line end: git looks for the colon before its last two bytes
    public void The_line_end_counts_as_git_mailsplit_counts_it(string lineEnd, bool separator)
    {
        // "From 12:34:56 2000" is 18 bytes; as a second separator it splits the mbox or not.
        string mbox = "From x@y Mon Jan 1 00:00:00 2000\nSubject: a\n\nbody\n\nFrom 12:34:56 2000" + lineEnd + (lineEnd.Length > 0 ? "Subject: b\n\nbody2\n" : "");
        if (lineEnd == "\r\n")
        {
            mbox = mbox.Replace("\n", "\r\n", StringComparison.Ordinal).Replace("\r\r\n", "\r\n", StringComparison.Ordinal);
        }

        var text = Encoding.ASCII.GetBytes("From 12:34:56 2000");
        MailboxLines.IsFromLine(text, lineEnd.Length).Should().Be(separator);
        PatchMailbox.Parse(Encoding.ASCII.GetBytes(mbox), new PatchParseOptions { Format = PatchInputFormat.Mbox }).Messages.Length.Should().Be(separator ? 2 : 1);
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(mbox));
        PatchMailbox.Read(stream, new PatchParseOptions { Format = PatchInputFormat.Mbox }).Count().Should().Be(separator ? 2 : 1);

        using var git = new TestGit();
        if (git.IsAvailable)
        {
            string file = Path.Combine(git.Root, "in.mbox");
            File.WriteAllBytes(file, Encoding.ASCII.GetBytes(mbox));
            Directory.CreateDirectory(Path.Combine(git.Root, "out"));
            git.Run(git.Root, "mailsplit", "-o" + Path.Combine(git.Root, "out"), file).Trim().Should().Be(separator ? "2" : "1");
        }
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Mbox_splits_at_separators_only(bool crlf)
    {
        var input = Load("mboxrd.mbox", crlf);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(2);
        int second = Find(input, "From bob@");
        int eol = crlf ? 2 : 1;
        entries[0].Should().Be(new MailboxEntry(0, new SourceSpan(0, second), SourceSpan.FromBounds(47 + eol, second), PatchInputFormat.Mbox)
        {
            FromLine = new SourceSpan(0, 47 + eol),
        });
        entries[1].Span.Should().Be(SourceSpan.FromBounds(second, input.Length));
        entries[1].FromLine.Should().Be(new SourceSpan(second, 45 + eol));
        entries[1].NeedsUnquoting.Should().BeFalse();
        MailboxSplitter.GetContent(input, entries[0]).Span.SequenceEqual(entries[0].Content.Slice(input.AsSpan())).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Mboxrd_unquotes_one_level_of_quoted_from_lines(bool crlf)
    {
        var input = Load("mboxrd.mbox", crlf);
        var options = PatchParseOptions.Default with { Format = PatchInputFormat.Mboxrd };
        var entries = MailboxSplitter.Split(input, options, new DiagnosticBag());
        entries.Should().HaveCount(2);
        entries[0].NeedsUnquoting.Should().BeTrue();
        entries[0].Format.Should().Be(PatchInputFormat.Mboxrd);
        entries[1].NeedsUnquoting.Should().BeFalse();
        string content = Encoding.UTF8.GetString(MailboxSplitter.GetContent(input, entries[0]).Span);
        string nl = crlf ? "\r\n" : "\n";
        content.Should().Contain(nl + "From the start, quoted once." + nl);
        content.Should().Contain(nl + ">From twice quoted." + nl);
        content.Should().Contain(nl + "> From not quoted (space)." + nl);
        content.Length.Should().Be(entries[0].Content.Length - 2);

        // the unquoted copy is a message of its own: offsets count from its start
        var doc = KernelPatch.Mail.MailDocument.Parse(MailboxSplitter.GetContent(input, entries[0]));
        doc.Subject.Should().Be("first");
        Encoding.UTF8.GetString(doc.Body.Span).Should().StartWith("From the start, quoted once." + nl);
        var streamed = MailboxTestHelpers.ReadStream(input, options, 32);
        streamed.Select(m => m.Entry).Should().Equal(entries);
        MailboxSplitter.GetContent(streamed[0].Bytes, streamed[0].LocalEntry).ToArray().Should().Equal(MailboxSplitter.GetContent(input, entries[0]).ToArray());
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Single_message_with_and_without_from_line(bool crlf)
    {
        var with = Load("single-with-from.patch", crlf);
        var entries = MailboxSplitter.Split(with, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().ContainSingle();
        entries[0].FromLine.Should().Be(new SourceSpan(0, 70 + (crlf ? 2 : 1)));
        entries[0].Content.Should().Be(SourceSpan.FromBounds(entries[0].FromLine.End, with.Length));
        // the body line "From this day on, ..." is not a separator

        var forced = MailboxSplitter.Split(with, PatchParseOptions.Default with { Format = PatchInputFormat.Message }, new DiagnosticBag());
        forced.Should().ContainSingle().Which.Should().Be(entries[0] with { Format = PatchInputFormat.Message });

        var without = Load("single.eml", crlf);
        var single = MailboxSplitter.Split(without, PatchParseOptions.Default, new DiagnosticBag());
        single.Should().ContainSingle().Which.Should().Be(new MailboxEntry(0, new SourceSpan(0, without.Length), new SourceSpan(0, without.Length), PatchInputFormat.Message));
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Bare_diff_is_one_diff_entry(bool crlf)
    {
        var input = Load("bare.diff", crlf);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().ContainSingle().Which.Should().Be(new MailboxEntry(0, new SourceSpan(0, input.Length), new SourceSpan(0, input.Length), PatchInputFormat.Diff));
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Digest_blocks_and_messages(bool crlf)
    {
        var input = Load("digest.md", crlf);
        var bag = new DiagnosticBag();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, bag);
        bag.Count.Should().Be(0);
        entries.Should().HaveCount(3); // the 'From: Dan Other' line before the fence is not a message
        int first = Find(input, "From patchwork Mon Mar  9 10:24:07");
        int second = Find(input, "From patchwork Mon Mar  9 10:24:08");
        int close1 = Find(input, "```", second);
        int third = Find(input, "From: Eve", Find(input, "```c", close1));
        int close2 = Find(input, "```", third);
        entries[0].Span.Should().Be(SourceSpan.FromBounds(first, second));
        entries[0].Leading.Should().Be(SourceSpan.FromBounds(0, first));
        entries[1].Span.Should().Be(SourceSpan.FromBounds(second, close1));
        entries[1].Leading.IsEmpty.Should().BeTrue();
        entries[2].Span.Should().Be(SourceSpan.FromBounds(third, close2));
        entries[2].FromLine.IsEmpty.Should().BeTrue();
        entries[2].Content.Should().Be(entries[2].Span);
        entries[2].Trailing.Should().Be(SourceSpan.FromBounds(close2, input.Length));
        MailboxTestHelpers.Concatenate(input, entries).Should().Equal(input);
    }

    [Theory]
    [InlineData("x\n```c\nFrom: a@b\n\nbody\n", 1, "KP0102")] // fence never closed: message runs to the end
    [InlineData("#### t\n```c\n```\n", 0, "KP0105")] // empty block
    [InlineData("#### only a heading\n", 0, "KP0103")] // no block at all
    public void Digest_oddities_become_diagnostics(string text, int count, string code)
    {
        var bag = new DiagnosticBag();
        var entries = MailboxSplitter.Split(Encoding.UTF8.GetBytes(text), PatchParseOptions.Default with { Format = PatchInputFormat.Digest }, bag);
        entries.Should().HaveCount(count);
        bag.ToImmutableAndClear().Select(d => d.Code).Should().Contain(code);
    }

    [Theory]
    [InlineData(PatchInputFormat.Auto)]
    [InlineData(PatchInputFormat.Message)]
    public void A_single_message_runs_to_the_end_whatever_its_body_lines_look_like(PatchInputFormat format)
    {
        // Once a single message has started, the splitter stops reading lines: none of these may start another entry,
        // and the message and the stream reader's copy still end where the input ends.
        var input = Encoding.UTF8.GetBytes("From: a@b.org\nSubject: [PATCH] s\n\nbody\nFrom 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n"
            + "```\n## heading\ncommit 1234567890abcdef1234567890abcdef12345678\n# HG changeset patch\n---\n a | 1 +\n\ndiff --git a/a b/a\n\n\n");
        var bag = new DiagnosticBag();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default with { Format = format }, bag);
        entries.Should().ContainSingle().Which.Should().Be(new MailboxEntry(0, new SourceSpan(0, input.Length), new SourceSpan(0, input.Length), PatchInputFormat.Message));
        bag.ToImmutableAndClear().Should().BeEmpty();
        MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default with { Format = format }, 64, chunk: 7).Should().ContainSingle()
            .Which.Bytes.ToArray().Should().Equal(input);
        var diff = "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+From y\n"u8.ToArray();
        MailboxSplitter.Split(diff, PatchParseOptions.Default with { Format = format == PatchInputFormat.Auto ? format : PatchInputFormat.Diff }, new DiagnosticBag())
            .Should().ContainSingle().Which.Should().Be(new MailboxEntry(0, new SourceSpan(0, diff.Length), new SourceSpan(0, diff.Length), PatchInputFormat.Diff));
    }

    [Fact]
    public void Blank_lines_before_a_single_message_are_leading_bytes()
    {
        var input = "\r\n\nFrom: a@b.org\nSubject: s\n\nbody\n"u8.ToArray();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().ContainSingle().Which.Should().Be(new MailboxEntry(0, SourceSpan.FromBounds(3, input.Length), SourceSpan.FromBounds(3, input.Length), PatchInputFormat.Message)
        {
            Leading = new SourceSpan(0, 3),
        });
        KernelPatch.Mail.MailDocument.Parse(input, entries[0].Content, new DiagnosticBag()).Subject.Should().Be("s");
        var bag = new DiagnosticBag();
        MailboxSplitter.Split("\n\n"u8.ToArray(), PatchParseOptions.Default, bag).Should().BeEmpty();
        bag.ToImmutableAndClear().Should().ContainSingle().Which.Code.Should().Be("KP0103");
    }

    [Fact]
    public void Mbox_without_leading_separator_is_reported_and_kept()
    {
        var input = "\nFrom: a@b\n\nbody\nFrom x Mon Jan  1 00:00:00 2001\nFrom: c@d\n\nb2\n"u8.ToArray();
        var bag = new DiagnosticBag();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default with { Format = PatchInputFormat.Mbox }, bag);
        entries.Should().HaveCount(2);
        entries[0].Leading.Should().Be(new SourceSpan(0, 1));
        entries[0].Span.Should().Be(SourceSpan.FromBounds(1, 17));
        var d = bag.ToImmutableAndClear().Should().ContainSingle().Subject;
        d.Code.Should().Be("KP0101");
        d.Offset.Should().Be(1);
        Action strict = () => MailboxSplitter.Split(input, PatchParseOptions.Strict with { Format = PatchInputFormat.Mbox }, new DiagnosticBag(PatchParseOptions.Strict));
        strict.Should().NotThrow("a missing separator is a warning, not an error");
    }

    [Theory]
    [InlineData("mboxrd.mbox")]
    [InlineData("single-with-from.patch")]
    [InlineData("single.eml")]
    [InlineData("bare.diff")]
    [InlineData("digest.md")]
    public void Every_prefix_splits_and_round_trips_and_streams_alike(string name)
    {
        foreach (bool crlf in new[] { false, true })
        {
            var full = Load(name, crlf);
            for (int n = 0; n <= full.Length; n++)
            {
                var input = full.AsSpan(0, n).ToArray();
                var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
                if (entries.Length > 0)
                {
                    MailboxTestHelpers.Concatenate(input, entries).Should().Equal(input);
                }

                MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, 16).Select(m => m.Entry).Should().Equal(entries);
            }
        }
    }

    [Fact]
    public void Hostile_inputs_split_in_linear_passes()
    {
        var random = new Random(20260323); // fixed seed
        var noise = new byte[200_000];
        random.NextBytes(noise);
        var longLine = Enumerable.Repeat((byte)'F', 1_000_000).ToArray();
        var manyFrom = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("From x Mon Jan  1 00:00:00 2001\n", 20_000)));
        var manyFences = Encoding.ASCII.GetBytes("#### x\n" + string.Concat(Enumerable.Repeat("```c\n```\n", 20_000)));
        var colons = Encoding.ASCII.GetBytes("From " + new string(':', 500_000) + "\n");
        foreach (var input in new[] { noise, longLine, manyFrom, manyFences, colons })
        {
            foreach (var format in Enum.GetValues<PatchInputFormat>())
            {
                var options = PatchParseOptions.Default with { Format = format };
                var entries = MailboxSplitter.Split(input, options, new DiagnosticBag());
                if (entries.Length > 0)
                {
                    MailboxTestHelpers.Concatenate(input, entries).Length.Should().Be(input.Length);
                }
            }
        }

        MailboxSplitter.Split(manyFrom, PatchParseOptions.Default, new DiagnosticBag()).Should().HaveCount(20_000);
        var longMessage = Encoding.ASCII.GetBytes("From x Mon Jan  1 00:00:00 2001\nFrom: a@b\n\n").Concat(longLine).ToArray();
        var streamed = MailboxTestHelpers.ReadStream(longMessage, PatchParseOptions.Default, 64);
        streamed.Should().ContainSingle().Which.Bytes.Length.Should().Be(longMessage.Length);
        MailboxTestHelpers.ReadStream(manyFrom, PatchParseOptions.Default, 64).Should().HaveCount(20_000);
    }
}
