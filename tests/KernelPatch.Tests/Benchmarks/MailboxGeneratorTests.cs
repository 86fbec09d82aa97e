using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using KernelPatch.Benchmarks;

namespace KernelPatch.Tests.Benchmarks;

/// <summary>
/// The benchmark input generator is deterministic and writes what it claims: valid hunks,
/// diffstats that agree with the diffs, decodable binary patches, and the counts it reports.
/// </summary>
public sealed class MailboxGeneratorTests
{
    private const int Size = 512 * 1024;

    [Fact]
    public void SameSeedGivesSameBytes_OtherSeedDiffers()
    {
        byte[] first = MailboxGenerator.Generate(Size, 42);
        byte[] second = MailboxGenerator.Generate(Size, 42);
        byte[] other = MailboxGenerator.Generate(Size, 43);

        second.AsSpan().SequenceEqual(first).Should().BeTrue();
        other.AsSpan().SequenceEqual(first).Should().BeFalse();
    }

    [Fact]
    public void StreamOverloadWritesTheSameBytes()
    {
        byte[] array = MailboxGenerator.Generate(Size, 42, out GeneratedMailboxStats arrayStats);
        var stream = new MemoryStream();
        GeneratedMailboxStats streamStats = MailboxGenerator.Generate(stream, Size, 42);

        stream.ToArray().AsSpan().SequenceEqual(array).Should().BeTrue();
        streamStats.Messages.Should().Be(arrayStats.Messages);
    }

    [Fact]
    public void A_discussion_is_mostly_threaded_replies_and_the_default_bytes_do_not_change()
    {
        var plain = new MemoryStream();
        MailboxGenerator.Generate(plain, Size, 42, discussion: false);
        plain.ToArray().AsSpan().SequenceEqual(MailboxGenerator.Generate(Size, 42)).Should().BeTrue();

        var stream = new MemoryStream();
        GeneratedMailboxStats stats = MailboxGenerator.Generate(stream, Size, 42, discussion: true);
        byte[] bytes = stream.ToArray();
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        CountStarts(lines, "Subject: Re: ").Should().Be(stats.Replies);
        stats.Messages.Should().Be(stats.CoverLetters + stats.Patches + stats.Replies);
        stats.Replies.Should().BeGreaterThan(stats.Messages / 2, "a list archive is mostly replies");
        CountStarts(lines, "> > ").Should().BeGreaterThan(0, "some replies answer a reply and quote it");

        // Every reply answers a message of the mailbox: the parser threads them all, none starts a thread of its own.
        var mailbox = PatchMailbox.Parse(bytes);
        mailbox.Messages.Should().HaveCount(stats.Messages);
        mailbox.Messages.Count(m => m.Kind == KernelPatch.Commit.MessageKind.Reply).Should().Be(stats.Replies);
        var ids = mailbox.Messages.Select(m => m.Mail!.MessageId).ToHashSet();
        mailbox.Messages.Where(m => m.Kind == KernelPatch.Commit.MessageKind.Reply).Should().OnlyContain(m => ids.Contains(m.Mail!.InReplyTo!));
        var replyIds = mailbox.Messages.Where(m => m.Kind == KernelPatch.Commit.MessageKind.Reply).Select(m => m.Mail!.MessageId).ToHashSet();
        mailbox.Messages.Count(m => m.Mail!.InReplyTo is { } parent && replyIds.Contains(parent)).Should().BeGreaterThan(stats.Replies / 5);
    }

    [Theory]
    [InlineData(1)] // one message at least, even for a tiny target
    [InlineData(64 * 1024)]
    [InlineData(Size)]
    public void StopsAfterTheMessageThatReachesTheTarget(int target)
    {
        byte[] bytes = MailboxGenerator.Generate(target, 42, out GeneratedMailboxStats stats);

        bytes.Length.Should().BeGreaterThanOrEqualTo(target);
        stats.Messages.Should().BeGreaterThan(0);
        byte[] fewer = MailboxGenerator.GenerateMessages(stats.Messages - 1, 42, 1, out _);
        fewer.Length.Should().BeLessThan(target, "the last message written is the one that reached the target");
        MailboxGenerator.GenerateMessages(stats.Messages, 42, 1, out _).AsSpan().SequenceEqual(bytes).Should().BeTrue();
    }

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    [InlineData(2024)]
    public void CountsInTheOutputMatchTheStats(int seed)
    {
        byte[] bytes = MailboxGenerator.Generate(Size, seed, out GeneratedMailboxStats stats);
        string text = Encoding.UTF8.GetString(bytes);
        string[] lines = text.Split('\n');

        text.Should().StartWith("From ");
        foreach (string message in SplitMessages(text))
        {
            // Long Cc lists are folded, each physical line within 76 columns.
            string[] header = message[..message.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
            int cc = Array.FindIndex(header, l => l.StartsWith("Cc: ", StringComparison.Ordinal));
            cc.Should().BeGreaterThan(0);
            for (int k = cc; k == cc || header[k].StartsWith(' '); k++)
            {
                header[k].Length.Should().BeLessThanOrEqualTo(76);
            }
        }

        CountStarts(lines, "From ").Should().Be(stats.Messages);
        CountStarts(lines, "diff --git a/").Should().Be(stats.DiffFiles);
        CountStarts(lines, "@@ -").Should().Be(stats.Hunks);
        CountStarts(lines, "GIT binary patch").Should().Be(stats.BinaryPatches);
        CountStarts(lines, "new file mode 100644").Should().Be(stats.NewFiles);
        CountStarts(lines, "deleted file mode 100644").Should().Be(stats.DeletedFiles);
        CountStarts(lines, "rename from ").Should().Be(stats.Renames);
        CountStarts(lines, "old mode 100644").Should().Be(stats.ModeChanges);
        CountStarts(lines, "\\ No newline at end of file").Should().Be(stats.NoNewlineMarkers);
        CountStarts(lines, "Subject: Re: ").Should().Be(stats.Replies);
        CountStarts(lines, "X-Mailer: git-send-email").Should().Be(stats.CoverLetters + stats.Patches);
        CountStarts(lines, "User-Agent: ").Should().Be(stats.Replies);
        CountStarts(lines, "Content-Type: ").Should().Be(stats.Messages, "one Content-Type per message, wherever it sits");
        stats.Messages.Should().Be(stats.CoverLetters + stats.Patches + stats.Replies);

        // Every shape the generator claims to write is there at this size.
        CountStarts(lines, "From patchwork ").Should().BeGreaterThan(0);
        CountStarts(lines, "From mboxrd@z Thu Jan  1 00:00:00 1970").Should().BeGreaterThan(0);
        lines.Count(l => l.Length == 70 && l.StartsWith("From ", StringComparison.Ordinal) && l.EndsWith(" Mon Sep 17 00:00:00 2001", StringComparison.Ordinal)).Should().BeGreaterThan(0);
        stats.CoverLetters.Should().BeGreaterThan(0);
        stats.Replies.Should().BeGreaterThan(0);
        stats.InBodyFroms.Should().BeGreaterThan(0);
        stats.BinaryPatches.Should().BeGreaterThan(0);
        stats.Renames.Should().BeGreaterThan(0);
        stats.NoNewlineMarkers.Should().BeGreaterThan(0);
        stats.EncodedWords.Should().BeGreaterThan(0);
        CountStarts(lines, "Fixes: ").Should().BeGreaterThan(0);
        CountStarts(lines, "Cc: stable@vger.kernel.org # ").Should().BeGreaterThan(0);
        CountStarts(lines, "Signed-off-by: ").Should().BeGreaterThanOrEqualTo(stats.Patches);
        CountStarts(lines, "-- ").Should().BeGreaterThanOrEqualTo(stats.CoverLetters + stats.Patches);
    }

    [Fact]
    public void HunksAgreeWithTheirHeadersAndDiffstats()
    {
        byte[] bytes = MailboxGenerator.Generate(Size, 42, out GeneratedMailboxStats stats);
        string[] messages = SplitMessages(Encoding.UTF8.GetString(bytes));
        long lines = 0;
        long added = 0;
        long removed = 0;
        int patches = 0;
        foreach (string message in messages)
        {
            if (!message.Contains("\ndiff --git ", StringComparison.Ordinal))
            {
                continue;
            }

            patches++;
            (long messageLines, long messageAdded, long messageRemoved) = CheckHunks(message);
            lines += messageLines;
            added += messageAdded;
            removed += messageRemoved;

            // The diffstat's summary line declares what the hunks hold.
            string summary = message.Split('\n').First(l => l.Contains(" changed", StringComparison.Ordinal) && l.StartsWith(' '));
            int files = CountStarts(message.Split('\n'), "diff --git a/");
            summary.Should().StartWith(" " + files.ToString(CultureInfo.InvariantCulture) + (files == 1 ? " file changed" : " files changed"));
            DeclaredCount(summary, " insertion").Should().Be(messageAdded);
            DeclaredCount(summary, " deletion").Should().Be(messageRemoved);
        }

        patches.Should().Be(stats.Patches);
        lines.Should().Be(stats.DiffLines);
        added.Should().Be(stats.AddedLines);
        removed.Should().Be(stats.RemovedLines);
    }

    [Fact]
    public void MimeKitReadsEveryGeneratedMessage()
    {
        // An independent mbox/RFC 5322 reader agrees on the message boundaries, ids and encoded names.
        byte[] bytes = MailboxGenerator.Generate(Size, 42, out GeneratedMailboxStats stats);
        var parser = new MimeKit.MimeParser(new MemoryStream(bytes), MimeKit.MimeFormat.Mbox);
        var ids = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (!parser.IsEndOfStream)
        {
            using MimeKit.MimeMessage message = parser.ParseMessage();
            ids.Add("Message-Id: <" + message.MessageId + ">");
            foreach (MimeKit.MailboxAddress cc in message.Cc.Mailboxes)
            {
                names.Add(cc.Name ?? "");
            }
        }

        ids.Should().HaveCount(stats.Messages).And.Equal(HeaderLines(bytes, "Message-Id: "));
        names.Should().Contain("Philippe Mathieu-Daudé").And.Contain("Radim Krčmář");
    }

    [Fact]
    public void BinaryPatchesInflateToTheBlobNamedOnTheIndexLine()
    {
        byte[] bytes = MailboxGenerator.Generate(Size, 42, out GeneratedMailboxStats stats);
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        int checkedPatches = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "GIT binary patch")
            {
                continue;
            }

            string index = lines[i - 1];
            index.Should().StartWith("index 0000000000000000000000000000000000000000..");
            string expectedSha = index[^40..];
            int size = int.Parse(lines[i + 1].AsSpan("literal ".Length), CultureInfo.InvariantCulture);
            var deflated = new List<byte>();
            int k = i + 2;
            for (; lines[k].Length > 0; k++)
            {
                deflated.AddRange(DecodeBase85Line(lines[k]));
            }

            byte[] content = Inflate([.. deflated]);
            content.Length.Should().Be(size);
            byte[] blob = [.. Encoding.ASCII.GetBytes("blob " + size.ToString(CultureInfo.InvariantCulture) + "\0"), .. content];
            Convert.ToHexStringLower(SHA1.HashData(blob)).Should().Be(expectedSha);

            // The reverse hunk: "literal 0" and a valid zlib stream of nothing.
            lines[k + 1].Should().Be("literal 0");
            Inflate(DecodeBase85Line(lines[k + 2])).Should().BeEmpty();
            checkedPatches++;
        }

        checkedPatches.Should().Be(stats.BinaryPatches).And.BeGreaterThan(0);
    }

    [Fact]
    public void DoubledDiffLinesKeepTheSameMessagesFilesAndHunks()
    {
        byte[] single = MailboxGenerator.GenerateMessages(150, 42, 1, out GeneratedMailboxStats one);
        byte[] doubled = MailboxGenerator.GenerateMessages(150, 42, 2, out GeneratedMailboxStats two);

        two.Messages.Should().Be(150);
        one.Messages.Should().Be(150);
        two.DiffFiles.Should().Be(one.DiffFiles);
        two.Hunks.Should().Be(one.Hunks);
        two.Trailers.Should().Be(one.Trailers);
        HeaderLines(doubled, "Message-Id: ").Should().Equal(HeaderLines(single, "Message-Id: "));
        HeaderLines(doubled, "Subject: ").Should().Equal(HeaderLines(single, "Subject: "));

        // Leading and trailing context stay three lines, so a little under twice the lines.
        ((double)two.DiffLines / one.DiffLines).Should().BeInRange(1.6, 2.0);
        two.AddedLines.Should().Be(2 * one.AddedLines);
        two.RemovedLines.Should().Be(2 * one.RemovedLines);
        (doubled.Length - single.Length).Should().BeGreaterThan(0);
        CheckAllHunks(doubled).Should().Be(two.DiffLines);
    }

    [Theory]
    // The reverse hunk git needs after every binary literal: zlib of zero bytes.
    [InlineData(new byte[] { 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 }, "Hc$@<O00001\n")]
    // One byte: length letter 'A', padded to one five-character group.
    [InlineData(new byte[] { 0x00 }, "A00000\n")]
    // Four 0xFF: the largest group value (2^32 - 1), still five characters since 85^5 > 2^32.
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, "D|NsC0\n")]
    public void Base85LinesMatchGit(byte[] data, string expected)
    {
        var sb = new StringBuilder();
        MailboxGenerator.AppendBase85Lines(sb, data);
        sb.ToString().Should().Be(expected);
        DecodeBase85Line(expected.TrimEnd('\n')).Should().Equal(data);
    }

    [Theory]
    [InlineData(26, "Z")] // the last upper-case length letter
    [InlineData(27, "a")] // the first lower-case one
    [InlineData(52, "z")] // a full line
    [InlineData(53, "z", "A")] // a full line and one byte
    public void Base85LinesCarryTheirLengthLetter(int length, params string[] letters)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 37);
        }

        var sb = new StringBuilder();
        MailboxGenerator.AppendBase85Lines(sb, data);
        string[] lines = sb.ToString().TrimEnd('\n').Split('\n');
        lines.Select(l => l[..1]).Should().Equal(letters);
        lines.SelectMany(DecodeBase85Line).Should().Equal(data);
    }

    [Theory]
    [InlineData("b4/submit.py", "b4/ez.py", "b4/{submit.py => ez.py}")] // from b4-history.mbox
    [InlineData("b4-wrapper.sh", "b4.sh", "b4-wrapper.sh => b4.sh")] // no common directory: plain arrow
    [InlineData("arch/x86/kvm/x86.c", "virt/kvm/x86.c", "{arch/x86 => virt}/kvm/x86.c")] // common suffix only
    [InlineData("a/b/c.c", "a/c.c", "a/{b => }/c.c")] // the suffix scan reuses the prefix's slash, as git does
    public void RenamesAreShownAsGitDoes(string oldPath, string newPath, string expected)
    {
        MailboxGenerator.RenameDisplay(oldPath, newPath).Should().Be(expected);
    }

    private static int CountStarts(string[] lines, string prefix) => lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static List<string> HeaderLines(byte[] bytes, string prefix) =>
        Encoding.UTF8.GetString(bytes).Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private static string[] SplitMessages(string text) =>
        text.Split("\nFrom ").Select((m, i) => i == 0 ? m : "From " + m).ToArray();

    private static long CheckAllHunks(byte[] bytes)
    {
        long total = 0;
        foreach (string message in SplitMessages(Encoding.UTF8.GetString(bytes)))
        {
            total += CheckHunks(message).Lines;
        }

        return total;
    }

    /// <summary>Walks every hunk of one message and checks its lines against its header.</summary>
    private static (long Lines, long Added, long Removed) CheckHunks(string message)
    {
        string[] lines = message.Split('\n');
        long total = 0;
        long added = 0;
        long removed = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("@@ -", StringComparison.Ordinal))
            {
                continue;
            }

            string[] ranges = lines[i].Split(' ');
            (int oldStart, int oldCount) = ParseRange(ranges[1][1..]);
            (int newStart, int newCount) = ParseRange(ranges[2][1..]);
            ranges[3].Should().Be("@@");
            (oldCount == 0 ? 0 : oldStart).Should().BeGreaterThanOrEqualTo(oldCount == 0 ? 0 : 1);
            (newCount == 0 ? 0 : newStart).Should().BeGreaterThanOrEqualTo(newCount == 0 ? 0 : 1);
            int oldSeen = 0;
            int newSeen = 0;
            int k = i + 1;
            while (oldSeen < oldCount || newSeen < newCount)
            {
                string line = lines[k++];
                line.Should().NotBeEmpty("hunk at line {0} needs -{1} +{2} lines", i, oldCount, newCount);
                switch (line[0])
                {
                    case ' ':
                        oldSeen++;
                        newSeen++;
                        break;
                    case '-':
                        oldSeen++;
                        removed++;
                        break;
                    case '+':
                        newSeen++;
                        added++;
                        break;
                    default:
                        throw new InvalidOperationException("unexpected hunk line '" + line + "' in hunk " + lines[i]);
                }

                total++;
            }

            oldSeen.Should().Be(oldCount);
            newSeen.Should().Be(newCount);
            (lines[k].StartsWith("diff --git ", StringComparison.Ordinal) || lines[k].StartsWith("@@ -", StringComparison.Ordinal)
                || lines[k] == "-- " || lines[k] == "\\ No newline at end of file").Should().BeTrue("a hunk ends where its counts say, found '{0}'", lines[k]);
        }

        return (total, added, removed);
    }

    private static (int Start, int Count) ParseRange(string range)
    {
        int comma = range.IndexOf(',', StringComparison.Ordinal);
        return comma < 0
            ? (int.Parse(range, CultureInfo.InvariantCulture), 1)
            : (int.Parse(range.AsSpan(0, comma), CultureInfo.InvariantCulture), int.Parse(range.AsSpan(comma + 1), CultureInfo.InvariantCulture));
    }

    private static long DeclaredCount(string summary, string word)
    {
        int at = summary.IndexOf(word, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        int start = summary.LastIndexOf(' ', at - 1) + 1;
        return long.Parse(summary.AsSpan(start, at - start), CultureInfo.InvariantCulture);
    }

    private static byte[] DecodeBase85Line(string line)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
        int length = line[0] <= 'Z' ? line[0] - 'A' + 1 : line[0] - 'a' + 27;
        var output = new List<byte>();
        for (int i = 1; i + 5 <= line.Length; i += 5)
        {
            uint value = 0;
            for (int k = 0; k < 5; k++)
            {
                value = (value * 85) + (uint)alphabet.IndexOf(line[i + k], StringComparison.Ordinal);
            }

            output.Add((byte)(value >> 24));
            output.Add((byte)(value >> 16));
            output.Add((byte)(value >> 8));
            output.Add((byte)value);
        }

        return output.Take(length).ToArray();
    }

    private static byte[] Inflate(byte[] data)
    {
        using var zlib = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }
}
