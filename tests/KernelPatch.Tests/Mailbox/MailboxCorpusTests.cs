using System.Collections.Immutable;
using KernelPatch.Mail;
using KernelPatch.Mailbox;
using KernelPatch.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mailbox;

/// <summary>Splitting the shared real-mail corpus: counts, round trip, streaming equals in-memory.</summary>
public class MailboxCorpusTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("000_8db1a2bd2089812d.txt", 2)]
    [InlineData("001_85579c91467f67db.txt", 6)]
    [InlineData("002_33f4554186b2e180.txt", 5)]
    [InlineData("003_39e12db3c360cf97.txt", 7)]
    [InlineData("004_3062fdcf5ab48067.txt", 7)] // one block holds two messages ([PATCH 1/5] and 2/5)
    public void Seed_digest_holds_expected_message_count(string name, int expected)
    {
        if (!TestPaths.TryCorpus(output, out string path, "seeds", name))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        MailboxSplitter.Detect(input).Should().Be(PatchInputFormat.Digest);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(expected);
        entries.Select(e => e.Format).Should().OnlyContain(f => f == PatchInputFormat.Digest);
        foreach (var e in entries)
        {
            // the '##### From:' line and the fence are outside every message
            e.Span.Slice(input.AsSpan()).StartsWith("```"u8).Should().BeFalse();
            // a block's first message follows its opening fence; a later one in the same block follows the previous message
            (e.Leading.IsEmpty || e.Leading.Slice(input.AsSpan()).EndsWith("```c\n"u8)).Should().BeTrue();
        }
    }

    [Fact]
    public void Seed_004_block_with_two_messages_is_split_at_the_from_line()
    {
        if (!TestPaths.TryCorpus(output, out string path, "seeds", "004_3062fdcf5ab48067.txt"))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        // measured: the block opening at 11786 starts with headers directly; the second message starts at its 'From patchwork' line
        entries[2].Span.Should().Be(new SourceSpan(11786, 16350 - 11786));
        entries[2].FromLine.IsEmpty.Should().BeTrue();
        entries[3].Span.Should().Be(new SourceSpan(16350, 20129 - 16350));
        entries[3].FromLine.Should().Be(new SourceSpan(16350, 40));
        entries[3].Leading.IsEmpty.Should().BeTrue();
        input.AsSpan(16350, 40).SequenceEqual("From patchwork Tue Dec 17 13:55:46 2019\n"u8).Should().BeTrue();
    }

    [Fact]
    public void B4_history_has_1392_messages_and_one_unescaped_body_from_line()
    {
        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        MailboxSplitter.Detect(input).Should().Be(PatchInputFormat.Mbox);
        var bag = new DiagnosticBag();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, bag);
        entries.Should().HaveCount(1392);
        bag.Count.Should().Be(0);
        entries[0].Span.Offset.Should().Be(0);
        entries[0].FromLine.Length.Should().Be(71); // "From <40 hex> Mon Sep 17 00:00:00 2001\n"
        var oracleShas = File.ReadLines(TestPaths.CorpusFile("dev", "b4-history.oracle.jsonl")!)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("sha").GetString()).ToList();
        for (int i = 0; i < entries.Length; i++)
        {
            System.Text.Encoding.ASCII.GetString(input, entries[i].FromLine.Offset + 5, 40).Should().Be(oracleShas[i]);
        }

        // the body line "From lines not actually starting a new message, ..." stays inside its message
        int bodyFrom = input.AsSpan().IndexOf("\nFrom lines not actually"u8) + 1;
        entries.Count(e => e.Span.Contains(bodyFrom) && e.Span.Offset != bodyFrom).Should().Be(1);
    }

    [Fact]
    public void B4_history_messages_name_the_commit_their_separator_names()
    {
        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var oracleShas = File.ReadLines(TestPaths.CorpusFile("dev", "b4-history.oracle.jsonl")!)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("sha").GetString()).ToList();
        PatchMailbox.Parse(File.ReadAllBytes(path)).Messages.Select(m => m.CommitId).Should().Equal(oracleShas);
        using var stream = File.OpenRead(path);
        PatchMailbox.Read(stream).Select(m => m.CommitId).Should().Equal(oracleShas);
    }

    [Theory]
    [InlineData("From patchwork Mon Mar  9 10:24:07 2020\nSubject: x\n\nbody\n")]
    [InlineData("From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\nbody\n")]
    [InlineData("From 1a2b3c Mon Sep 17 00:00:00 2001\nSubject: x\n\nbody\n")]
    [InlineData("Subject: x\n\nbody\n")]
    [InlineData("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")]
    public void A_separator_that_names_no_commit_gives_no_commit_id(string input) =>
        PatchMailbox.Parse(input).Messages.Should().ContainSingle().Which.CommitId.Should().BeNull();

    [Fact]
    public void B4_history_with_crlf_line_ends_splits_alike_in_memory_and_streaming()
    {
        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var lf = File.ReadAllBytes(path);
        var input = MailboxTestHelpers.ToCrlf(lf);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(1392);
        var lfEntries = MailboxSplitter.Split(lf, PatchParseOptions.Default, new DiagnosticBag());
        int counted = 0, bare = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            // each bare LF gained a CR (a few lines of the mbox already end in CRLF): shift by the bare LFs before the entry
            bare += BareLineFeeds(lf, counted, lfEntries[i].Span.Offset);
            counted = lfEntries[i].Span.Offset;
            entries[i].Span.Offset.Should().Be(lfEntries[i].Span.Offset + bare);
            entries[i].FromLine.Length.Should().Be(72);
        }

        MailboxTestHelpers.Concatenate(input, entries).Should().Equal(input);
        MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, 4096).Select(m => m.Entry).Should().Equal(entries);
    }

    private static int BareLineFeeds(byte[] data, int start, int end)
    {
        int count = 0;
        for (int i = start; i < end; i++)
        {
            if (data[i] == (byte)'\n' && (i == 0 || data[i - 1] != (byte)'\r'))
            {
                count++;
            }
        }

        return count;
    }

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        if (TestPaths.Corpus is null)
        {
            data.Add("(absent)");
            return data;
        }

        foreach (var dir in new[] { "seeds", "dev", "unidiff-samples" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Corpus, dir)).Order(StringComparer.Ordinal))
            {
                if (!file.EndsWith(".jsonl", StringComparison.Ordinal) && !file.EndsWith(".md", StringComparison.Ordinal))
                {
                    data.Add(Path.GetRelativePath(TestPaths.Corpus, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Round_trip_of_entry_spans_gives_back_the_input_and_streaming_agrees(string relative)
    {
        if (!TestPaths.TryCorpus(output, out string corpus))
        {
            return;
        }

        var input = File.ReadAllBytes(Path.Combine(corpus, relative));
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().NotBeEmpty();
        MailboxTestHelpers.Concatenate(input, entries).Should().Equal(input);

        var streamed = MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, 4096);
        streamed.Select(m => m.Entry).Should().Equal(entries);
        foreach (var m in streamed)
        {
            m.Bytes.ToArray().Should().Equal(m.Entry.Span.Slice(input.AsMemory()).ToArray());
            m.Offset.Should().Be(m.Entry.Span.Offset);
            MailboxSplitter.GetContent(m.Bytes, m.LocalEntry).ToArray().Should().Equal(MailboxSplitter.GetContent(input, m.Entry).ToArray());
        }

        // The same through a buffer that stops growing at 4 KiB and reads longer messages again from the stream, or
        // holds the full buffers and copies them.
        foreach (var spilled in new[]
        {
            MailboxTestHelpers.ReadStreamAgain(input, PatchParseOptions.Default, 1024, 4096, chunk: 3000),
            MailboxTestHelpers.ReadStream(input, PatchParseOptions.Default, 1024, chunk: 3000, spillLength: 4096),
        })
        {
            spilled.Select(m => m.Entry).Should().Equal(entries);
            spilled.Select(m => m.Diagnostics.Length).Should().Equal(streamed.Select(m => m.Diagnostics.Length));
            for (int i = 0; i < spilled.Count; i++)
            {
                spilled[i].Bytes.ToArray().Should().Equal(streamed[i].Bytes.ToArray(), "message {0}", i);
            }
        }

        output.WriteLine($"{relative}: {entries.Length} entries, format {entries[0].Format}");
    }
}

internal static class MailboxTestHelpers
{
    public static byte[] Concatenate(byte[] input, ImmutableArray<MailboxEntry> entries)
    {
        var result = new List<byte>(input.Length);
        foreach (var e in entries)
        {
            result.AddRange(input.AsSpan(e.Leading.Offset, e.Leading.Length).ToArray());
            result.AddRange(input.AsSpan(e.Span.Offset, e.Span.Length).ToArray());
            result.AddRange(input.AsSpan(e.Trailing.Offset, e.Trailing.Length).ToArray());
        }

        return [.. result];
    }

    public static List<MailboxStreamMessage> ReadStream(byte[] input, PatchParseOptions options, int bufferSize, int chunk = 1000, int spillLength = MailboxStreamReader.SpillLength)
    {
        using var stream = new TrickleStream(input, chunk);
        return [.. new MailboxStreamReader(stream, options, new DiagnosticBag(options), bufferSize, spillLength)];
    }

    /// <summary>
    /// As <see cref="ReadStream"/>, through the plain-input wrapper <c>PatchMailbox.Read</c> uses, which can give its
    /// bytes again: past <paramref name="spillLength"/> the reader lets go of scanned lines and reads messages again.
    /// </summary>
    public static List<MailboxStreamMessage> ReadStreamAgain(byte[] input, PatchParseOptions options, int bufferSize, int spillLength, int chunk = 1000)
    {
        using var stream = CompressedInput.Open(new TrickleStream(input, chunk), new DiagnosticBag(options));
        ((IRereadable)stream).CanReread.Should().BeTrue();
        return [.. new MailboxStreamReader(stream, options, new DiagnosticBag(options), bufferSize, spillLength)];
    }

    public static byte[] ToCrlf(byte[] lf)
    {
        var result = new List<byte>(lf.Length + (lf.Length / 20));
        for (int i = 0; i < lf.Length; i++)
        {
            if (lf[i] == (byte)'\n' && (i == 0 || lf[i - 1] != (byte)'\r'))
            {
                result.Add((byte)'\r');
            }

            result.Add(lf[i]);
        }

        return [.. result];
    }

    /// <summary>A stream that returns at most <c>chunk</c> bytes per read, to exercise buffer refills.</summary>
    internal sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
