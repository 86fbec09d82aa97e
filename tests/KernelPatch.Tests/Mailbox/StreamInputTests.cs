using System.Runtime.InteropServices;
using KernelPatch.Mailbox;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// <c>Load(Stream)</c> reads the stream into one array of exactly the input's length (the records keep it alive),
/// whether the stream can say its length or not, and whether what it says is true.
/// </summary>
public class StreamInputTests
{
    // 0 and 1 byte; around the first chunk (64 KiB); past the pooled chunks (4 MiB) into plain ones
    [Theory]
    [InlineData(0, 4096)]
    [InlineData(1, 4096)]
    [InlineData(65_535, 1000)]
    [InlineData(65_536, 65_536)]
    [InlineData(65_537, 7)]
    [InlineData((5 * 1024 * 1024) + 3, 100_000)]
    public void A_stream_that_cannot_seek_is_read_into_one_array_of_its_length(int length, int readSize)
    {
        byte[] data = Bytes(length);
        var read = StreamInput.ReadAll(new ShortReads(data, readSize, seekable: false));
        ExactArray(read).Should().Equal(data);
    }

    [Theory]
    [InlineData(0, 4096)]
    [InlineData(65_537, 1000)]
    [InlineData((5 * 1024 * 1024) + 3, 100_000)]
    public async Task Asynchronous_reads_give_the_same_array(int length, int readSize)
    {
        byte[] data = Bytes(length);
        var read = await StreamInput.ReadAllAsync(new ShortReads(data, readSize, seekable: false), CancellationToken.None);
        ExactArray(read).Should().Equal(data);
    }

    [Fact]
    public void A_seekable_stream_is_read_from_its_position()
    {
        byte[] data = Bytes(200_000);
        using var stream = new ShortReads(data, 3000, seekable: true);
        stream.Position = 1234;
        ExactArray(StreamInput.ReadAll(stream)).Should().Equal(data[1234..]);
    }

    [Theory]
    [InlineData(-1000)] // says less than it holds: the rest is read too
    [InlineData(1000)] // says more than it holds: what is there
    public void A_stream_whose_length_is_wrong_gives_what_it_holds(int claimedMinusActual)
    {
        byte[] data = Bytes(300_000);
        var stream = new ShortReads(data, 8192, seekable: true) { ClaimedLength = data.Length + claimedMinusActual };
        ExactArray(StreamInput.ReadAll(stream)).Should().Equal(data, "more than the claim, or less, ends in one array of the real length");
    }

    [Fact]
    public void Load_of_a_stream_that_cannot_seek_gives_what_Parse_gives()
    {
        byte[] mbox = KernelPatch.Benchmarks.MailboxGenerator.GenerateMessages(40, 7, 1, out _);
        var parsed = PatchMailbox.Parse(mbox);
        var loaded = PatchMailbox.Load(new ShortReads(mbox, 100, seekable: false));
        loaded.Messages.Select(m => (m.Title, m.SourceOffset, m.Files.Length)).Should().Equal(parsed.Messages.Select(m => (m.Title, m.SourceOffset, m.Files.Length)));
        loaded.Messages.Should().HaveCount(40);
        loaded.Series.Select(x => x.Title).Should().Equal(parsed.Series.Select(x => x.Title));
        MemoryMarshal.TryGetArray(loaded.Messages[0].Source, out var segment).Should().BeTrue();
        segment.Array!.Length.Should().Be(mbox.Length, "the records keep the array: it is the input's size, not a doubled buffer's");
    }

    private static byte[] ExactArray(ReadOnlyMemory<byte> read)
    {
        MemoryMarshal.TryGetArray(read, out var segment).Should().BeTrue();
        segment.Offset.Should().Be(0);
        segment.Count.Should().Be(read.Length);
        segment.Array!.Length.Should().Be(read.Length, "the array is exactly the input's length");
        return segment.Array;
    }

    private static byte[] Bytes(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>At most <c>readSize</c> bytes a read; seekable or not; a seekable one may claim a wrong length.</summary>
    internal sealed class ShortReads(byte[] data, int readSize, bool seekable) : MemoryStream(data, writable: false)
    {
        public long? ClaimedLength { get; init; }

        public override bool CanSeek => seekable;

        public override long Length => seekable ? ClaimedLength ?? base.Length : throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
