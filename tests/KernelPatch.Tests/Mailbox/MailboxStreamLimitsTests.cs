using System.Text;
using KernelPatch.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Tests.Mailbox;

/// <summary>The stream reader's memory is bounded by the largest message, for streams of any size.</summary>
public class MailboxStreamLimitsTests
{
    private static readonly byte[] s_message = Encoding.ASCII.GetBytes(
        "From 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n" +
        "From: Dev Eloper <dev@example.org>\nSubject: [PATCH] x: y\nDate: Mon, 9 Mar 2020 10:24:07 -0400\n\n" +
        "Body.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n---\n" +
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" + new string('z', 600) + "\n");

    // A small patch mail, and the head of a large one (its diff from BigDiff), in an mbox.
    private static readonly byte[] s_small = Encoding.ASCII.GetBytes("From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
        + "From: A <a@b.org>\nSubject: [PATCH] small\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbody\n---\n"
        + "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\n");

    private static readonly byte[] s_bigHeader = Encoding.ASCII.GetBytes("From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n"
        + "From: B <b@b.org>\nSubject: [PATCH] big\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbig\n---\n");

    [Fact]
    public void The_buffer_stays_small_however_long_the_stream()
    {
        // 20,000 messages (about 16 MB) through a 4 KiB starting buffer: the buffer must not grow with the stream.
        using var stream = new RepeatingStream(s_message, 20_000);
        var reader = new MailboxStreamReader(stream, PatchParseOptions.Default, new DiagnosticBag(), 4096);
        long count = 0;
        foreach (var m in reader)
        {
            m.Bytes.Length.Should().Be(s_message.Length);
            count++;
        }

        count.Should().Be(20_000);
        reader.PeakBufferLength.Should().BeLessThanOrEqualTo(16 * 1024, "one message is {0} bytes", s_message.Length);
    }

    [Fact]
    public void Offsets_past_2_GiB_are_kept_as_long_stream_offsets()
    {
        // 2.2 GB streamed without being held: offsets beyond int.MaxValue must neither wrap nor throw.
        long repeats = (2L * 1024 * 1024 * 1024 / s_message.Length) + 200_000;
        using var stream = new RepeatingStream(s_message, repeats);
        var reader = new MailboxStreamReader(stream, PatchParseOptions.Default, new DiagnosticBag(), 64 * 1024);
        long count = 0;
        long lastOffset = -1;
        foreach (var m in reader)
        {
            m.Offset.Should().Be(count * s_message.Length);
            m.LocalEntry.Span.Offset.Should().Be(0);
            lastOffset = m.Offset;
            count++;
        }

        count.Should().Be(repeats);
        lastOffset.Should().BeGreaterThan(int.MaxValue);
        reader.PeakBufferLength.Should().BeLessThanOrEqualTo(128 * 1024);
    }

    [Theory]
    [InlineData(true, 0)] // a file: the buffer grows once to hold the rest, and the message keeps it
    [InlineData(true, -4096)] // says less than it holds: grown once to what it said, then by doubling
    [InlineData(true, 4096)] // says more than it holds
    [InlineData(false, 0)] // a pipe: the full buffers are held, then copied once
    public void A_large_single_message_is_read_whole_into_one_buffer(bool seekable, int lengthError)
    {
        // A bare diff of 3.2 MB, no From line: it runs to the end of the stream. The reader doubled its buffer to 4 MiB
        // (8 MiB of arrays on the way) and then copied the message out of it: 43.5 MB allocated for a 10.4 MB diff.
        byte[] diff = BigDiff(100_000, out int lines);
        var stream = new KernelPatch.Tests.Mailbox.StreamInputTests.ShortReads(diff, 1 << 20, seekable) { ClaimedLength = seekable ? diff.Length + lengthError : null };
        var message = PatchMailbox.Read(stream).Should().ContainSingle().Subject;
        message.Source.ToArray().Should().Equal(diff);
        message.Files.Should().ContainSingle().Which.Hunks.Should().ContainSingle().Which.LineCount.Should().Be(lines);
        message.Diff!.PatchId.Should().Be(PatchMailbox.Parse(diff).Messages[0].Diff!.PatchId);
    }

    [Fact]
    public void A_large_single_message_from_a_file_costs_its_size_once()
    {
        byte[] diff = BigDiff(100_000, out _);
        long parsed = long.MaxValue, read = long.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            PatchMailbox.Parse(diff).Messages.Should().ContainSingle();
            parsed = Math.Min(parsed, GC.GetAllocatedBytesForCurrentThread() - before);
            before = GC.GetAllocatedBytesForCurrentThread();
            PatchMailbox.Read(new MemoryStream(diff, writable: false)).Should().ContainSingle();
            read = Math.Min(read, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        (read - parsed).Should().BeLessThan(diff.Length + (64 * 1024), "one buffer of the stream's length, which the message keeps (was four times the diff)");
    }

    [Theory]
    [InlineData(true, 4096, 4096, 4096)]
    [InlineData(true, 4096, 1000, 65_536)]
    [InlineData(true, 65_536, 65_536, 1 << 20)]
    [InlineData(true, 65_536, (1 << 20) + 3, 1 << 20)]
    [InlineData(false, 4096, 4096, 4096)]
    [InlineData(false, 4096, 1000, 65_536)]
    [InlineData(false, 65_536, 65_536, 1 << 20)]
    [InlineData(false, 65_536, (1 << 20) + 3, 1 << 20)]
    public void Large_messages_leave_the_buffer_and_come_out_in_arrays_of_their_own(bool file, int bufferSize, int chunk, int spill)
    {
        // The buffer stops growing at the spill length: the lines of a larger message leave it once scanned. From a
        // file they are let go of and the message is read again when its end is found; from a pipe the full buffers
        // are held as they are and copied once. Either way the message gets an array of its length. A 3 MB single
        // line cannot be cut: the buffer grows for it, and a message that keeps that buffer must not see it written
        // over. Every message must come out as the in-memory split cuts it, before, between and after them.
        byte[] oneLine = Encoding.ASCII.GetBytes("From 3333333333333333333333333333333333333333 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] line\n\n"
            + new string('q', 3_000_000) + "\n");
        byte[] input = [.. s_small, .. s_bigHeader, .. BigDiff(100_000, out _), .. s_small, .. oneLine, .. s_small, .. s_bigHeader, .. BigDiff(160_000, out _), .. s_small];
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(7);

        using var stream = file
            ? CompressedInput.Open(new MailboxTestHelpers.TrickleStream(input, chunk), new DiagnosticBag()) // the wrapper that reads again
            : new StreamInputTests.ShortReads(input, chunk, seekable: false);
        var reader = new MailboxStreamReader(stream, PatchParseOptions.Default, new DiagnosticBag(), bufferSize, spill);
        var read = reader.ToList();

        read.Select(m => m.Entry).Should().Equal(entries);
        for (int i = 0; i < read.Count; i++)
        {
            read[i].Bytes.ToArray().Should().Equal(input.AsSpan(entries[i].Span.Offset, entries[i].Span.Length).ToArray(), "message {0}", i);
        }

        foreach (int big in new[] { 1, 5 })
        {
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read[big].Bytes, out var own).Should().BeTrue();
            own.Array!.Length.Should().Be(read[big].Bytes.Length, "message {0} was read again or copied once into an array of its length", big);
        }

        reader.PeakBufferLength.Should().BeGreaterThanOrEqualTo(3_000_000, "the one-line message cannot be cut").And.BeLessThan(8 << 20);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_large_message_costs_its_size_once_from_a_file_and_twice_from_a_pipe(bool file)
    {
        // A 10 MB patch between two small ones. From a file the buffer stops at 1 MiB and the message is read again
        // into an array of its own; from a pipe what arrives before its end is known is held, then copied once. The
        // buffer used to double to 16 MiB on the way (32 MiB of arrays): three times the message.
        byte[] input = [.. s_small, .. s_bigHeader, .. BigDiff(320_000, out int lines), .. s_small];
        long parsed = long.MaxValue, read = long.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            PatchMailbox.Parse(input).Messages.Should().HaveCount(3);
            parsed = Math.Min(parsed, GC.GetAllocatedBytesForCurrentThread() - before);
            before = GC.GetAllocatedBytesForCurrentThread();
            var messages = PatchMailbox.Read(new StreamInputTests.ShortReads(input, 1 << 16, seekable: file)).ToList();
            read = Math.Min(read, GC.GetAllocatedBytesForCurrentThread() - before);
            messages.Select(m => m.Title).Should().Equal("small", "big", "small");
            messages[1].Files.Should().ContainSingle().Which.Hunks[0].LineCount.Should().Be(lines);
        }

        (read - parsed).Should().BeLessThan(((file ? 1 : 2) * input.Length) + (3 << 20), "the message once (twice from a pipe), and a 1 MiB buffer");
    }

    [Fact]
    public async Task A_large_message_read_again_asynchronously_comes_out_as_read_in_memory()
    {
        byte[] input = [.. Encoding.ASCII.GetBytes("junk before the first separator\n"), .. s_small, .. s_bigHeader, .. BigDiff(100_000, out int lines), .. s_small];
        var mbox = PatchParseOptions.Default with { Format = PatchInputFormat.Mbox }; // the junk is then a message without a separator
        var parsed = PatchMailbox.Parse(input, mbox).Messages;
        parsed.Should().HaveCount(4);
        var blocking = PatchMailbox.Read(new StreamInputTests.ShortReads(input, 70_000, seekable: true), mbox).ToList();
        var asynchronous = new List<PatchMessage>();
        await foreach (var m in PatchMailbox.ReadAsync(new StreamInputTests.ShortReads(input, 70_000, seekable: true), mbox))
        {
            asynchronous.Add(m);
        }

        foreach (var streamed in new[] { blocking, asynchronous })
        {
            streamed.Select(m => (m.Title, m.SourceOffset, m.Source.Length)).Should().Equal(parsed.Select(m => (m.Title, (long)m.Span.Offset, m.Span.Length)));
            streamed[2].Source.Length.Should().BeGreaterThan(1 << 20, "the message is longer than the buffer may grow");
            streamed[2].Source.ToArray().Should().Equal(input.AsSpan(parsed[2].Span.Offset, parsed[2].Span.Length).ToArray());
            streamed[2].Files.Should().ContainSingle().Which.Hunks[0].LineCount.Should().Be(lines);
            streamed[2].Diff!.PatchId.Should().Be(parsed[2].Diff!.PatchId);
        }

        // The junk before the first separator is reported on its message, as when nothing is read again (a pipe).
        var pipe = PatchMailbox.Read(new StreamInputTests.ShortReads(input, 70_000, seekable: false), mbox).ToList();
        blocking[0].Diagnostics.Should().Contain(d => d.Code == MailboxDiagnosticCodes.MissingSeparator && d.Offset == 0);
        for (int i = 0; i < pipe.Count; i++)
        {
            blocking[i].Diagnostics.Should().Equal(pipe[i].Diagnostics, "message {0}", i);
            asynchronous[i].Diagnostics.Should().Equal(pipe[i].Diagnostics, "message {0}", i);
        }
    }

    [Fact]
    public void A_file_cut_short_before_a_message_is_read_again_is_an_io_error()
    {
        byte[] input = [.. s_small, .. s_bigHeader, .. BigDiff(100_000, out _), .. s_small];
        using var file = new TruncatedOnSeek(input);
        var read = () => PatchMailbox.Read(file).ToList();
        read.Should().Throw<IOException>().WithMessage("Expected to read again * bytes of a message from offset * of the stream, found 13: the stream was cut short while it was read.");
    }

    [Fact]
    public async Task Large_messages_read_asynchronously_come_out_as_read_with_blocking_reads()
    {
        byte[] input = [.. s_small, .. s_bigHeader, .. BigDiff(100_000, out int lines), .. s_small];
        var blocking = PatchMailbox.Read(new StreamInputTests.ShortReads(input, 70_000, seekable: false)).ToList();
        var asynchronous = new List<PatchMessage>();
        await foreach (var m in PatchMailbox.ReadAsync(new StreamInputTests.ShortReads(input, 70_000, seekable: false)))
        {
            asynchronous.Add(m);
        }

        asynchronous.Select(m => (m.Title, m.SourceOffset, m.Source.Length)).Should().Equal(blocking.Select(m => (m.Title, m.SourceOffset, m.Source.Length)));
        asynchronous.Select(m => m.Title).Should().Equal("small", "big", "small");
        asynchronous[1].Files.Should().ContainSingle().Which.Hunks[0].LineCount.Should().Be(lines);
        asynchronous[1].Source.ToArray().Should().Equal(blocking[1].Source.ToArray());
    }

    // One file, one hunk of `count` context lines and a change at the end.
    private static byte[] BigDiff(int count, out int lines)
    {
        var text = new StringBuilder("diff --git a/big.c b/big.c\n--- a/big.c\n+++ b/big.c\n");
        text.Append("@@ -1,").Append(count + 1).Append(" +1,").Append(count + 1).Append(" @@\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(" \tcontext_line_number(").Append(i).Append(");\n");
        }

        text.Append("-\told();\n+\tnew();\n");
        lines = count + 2;
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A file that another process cuts short to 10 bytes past where the reader goes back to.</summary>
    private sealed class TruncatedOnSeek : MemoryStream
    {
        public TruncatedOnSeek(byte[] data)
        {
            Write(data);
            base.Position = 0;
        }

        public override long Position
        {
            get => base.Position;
            set
            {
                if (value < base.Position && value + 10 < Length)
                {
                    SetLength(value + 10);
                }

                base.Position = value;
            }
        }
    }

    /// <summary>A read-only stream of the same bytes repeated, made on the fly.</summary>
    private sealed class RepeatingStream(byte[] unit, long repeats) : Stream
    {
        private readonly long _length = unit.Length * repeats;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count && _position < _length)
            {
                int at = (int)(_position % unit.Length);
                int n = (int)Math.Min(Math.Min(count - done, unit.Length - at), _length - _position);
                Buffer.BlockCopy(unit, at, buffer, offset + done, n);
                done += n;
                _position += n;
            }

            return done;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
