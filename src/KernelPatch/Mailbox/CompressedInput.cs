using System.IO.Compression;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// gzip-compressed input (lore and public-inbox serve threads as <c>t.mbox.gz</c>): recognised by its magic bytes
/// (<c>1F 8B</c>, deflate) and decompressed before the split, so every offset counts in the decompressed bytes.
/// Corrupt or cut gzip data keeps what decompressed before the fault, with an error.
/// </summary>
internal static class CompressedInput
{
    /// <summary>The largest decompressed input <c>Parse</c> holds in one array; beyond it, <c>Read</c> streams.</summary>
    internal static readonly int MaxDecompressedLength = Array.MaxLength;

    /// <summary>
    /// Decompressed bytes asked for per read: .NET's <c>GZipStream</c> drops what a read had decoded when it meets
    /// corrupt data, so small reads keep all but the last few KiB before a fault, and the whole and the streamed
    /// parse stop at the same byte.
    /// </summary>
    private const int ReadSize = 8192;

    private const string CompressedMessage = "The input is gzip-compressed (as lore's t.mbox.gz); it was decompressed, and offsets count in the decompressed bytes.";

    /// <summary>Whether the bytes start like gzip data (ID1 ID2 and the deflate method).</summary>
    public static bool IsGzip(ReadOnlySpan<byte> start) => start.Length >= 3 && start[0] == 0x1F && start[1] == 0x8B && start[2] == 8;

    /// <summary>Decompresses a whole gzip input (all its members), reporting KP0106 and, on a fault, KP0107.</summary>
    public static ReadOnlyMemory<byte> Decompress(ReadOnlyMemory<byte> input, DiagnosticBag diagnostics) =>
        Decompress(input, diagnostics, MaxDecompressedLength);

    /// <summary>As <see cref="Decompress(ReadOnlyMemory{byte}, DiagnosticBag)"/> with a chosen bound (tests use a small one).</summary>
    internal static ReadOnlyMemory<byte> Decompress(ReadOnlyMemory<byte> input, DiagnosticBag diagnostics, int maxLength)
    {
        diagnostics.Info(MailboxDiagnosticCodes.CompressedInput, CompressedMessage, 0);
        // The last member's trailer gives its decompressed length: the whole length for the usual single-member file
        // (lore's t.mbox.gz), so the buffer is made once at the right size; the buffer grows when there is more.
        // The hint is the input's own claim, so it is believed only up to 16 times the compressed size (mail compresses
        // 3 to 6 times): cut or hostile data cannot make it allocate gigabytes for a few bytes.
        long hint = input.Length >= 18 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(input.Span[^4..]) + 1L : 0;
        // A step's room beyond it: the last steps then fit without the buffer doubling (which made a whole second copy
        // of a lore thread just before its end).
        hint = Math.Min(hint, (16L * input.Length) + ReadSize) + ReadSize;
        byte[] output = new byte[(int)Math.Clamp(hint, Math.Min(ReadSize, maxLength), maxLength)];
        int length = 0;
        // Parse's input is an array nearly always; other memory is copied once (gzip input is the compressed size).
        using var source = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(input, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(input.ToArray(), writable: false);
        using var gzip = new GZipStream(source, CompressionMode.Decompress);
        try
        {
            while (true)
            {
                if (output.Length - length < ReadSize && output.Length < maxLength)
                {
                    // Room for a whole step first: the same steps as the streamed path, so both stop at the same byte.
                    Array.Resize(ref output, (int)Math.Min(maxLength, Math.Max(output.Length * 2L, length + (long)ReadSize)));
                }

                if (length == maxLength)
                {
                    // One byte more says whether the input goes on beyond the bound.
                    if (gzip.Read(new byte[1], 0, 1) > 0)
                    {
                        diagnostics.Error(MailboxDiagnosticCodes.CompressedInputBad, "Expected gzip data that decompresses to at most " + maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            + " bytes to hold in memory, found more: the messages after that are left out. PatchMailbox.Read streams an input of any size.", maxLength);
                    }

                    break;
                }

                int read = gzip.Read(output, length, Math.Min(ReadSize, output.Length - length));
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            diagnostics.Error(MailboxDiagnosticCodes.CompressedInputBad, Corrupt(length, e.Message), length);
            return output.AsMemory(0, length);
        }

        // .NET stops quietly at the end of cut-short data: the last member's trailer (CRC-32 and length of its data)
        // says whether it ended where it should. (A cut exactly between two members leaves a whole, shorter file.)
        if (length < maxLength && !LastMemberIsWhole(input.Span, output.AsSpan(0, length)))
        {
            diagnostics.Error(MailboxDiagnosticCodes.CompressedInputBad, Corrupt(length, "its last member's checksum or length does not match its data"), length);
        }

        return output.AsMemory(0, length);
    }

    /// <summary>
    /// A stream of the input's bytes for the stream reader: decompressed when its first bytes are gzip. Reads only
    /// what it must to tell (three bytes); those are given back in front of the rest.
    /// </summary>
    public static Stream Open(Stream stream, DiagnosticBag diagnostics)
    {
        byte[] start = new byte[3];
        int have = 0;
        while (have < start.Length)
        {
            int read = stream.Read(start, have, start.Length - have);
            if (read <= 0)
            {
                break;
            }

            have += read;
        }

        return Wrap(stream, start, have, diagnostics);
    }

    /// <summary>As <see cref="Open"/>, reading the first bytes asynchronously.</summary>
    public static async ValueTask<Stream> OpenAsync(Stream stream, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        byte[] start = new byte[3];
        int have = 0;
        while (have < start.Length)
        {
            int read = await stream.ReadAsync(start.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                break;
            }

            have += read;
        }

        return Wrap(stream, start, have, diagnostics);
    }

    private static Stream Wrap(Stream stream, byte[] start, int have, DiagnosticBag diagnostics)
    {
        var whole = new PrefixedStream(start.AsMemory(0, have), stream);
        if (!IsGzip(start.AsSpan(0, have)))
        {
            return whole;
        }

        diagnostics.Info(MailboxDiagnosticCodes.CompressedInput, CompressedMessage, 0);
        return Decompressing(whole, diagnostics);
    }

    /// <summary>Apart, so that reading plain input never loads the compression assembly (the JIT resolves a method's types whole).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Stream Decompressing(PrefixedStream whole, DiagnosticBag diagnostics) =>
        new FaultTolerantStream(new GZipStream(whole, CompressionMode.Decompress), whole, diagnostics);

    private static string Corrupt(long decompressed, string why) =>
        "Expected gzip data, found it corrupt or cut short after " + decompressed.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + " decompressed bytes (" + why + "): the messages before the fault are kept.";

    /// <summary>Whether the trailer ending <paramref name="compressed"/> matches the end of <paramref name="decompressed"/>:
    /// its length field no longer than the data, and the CRC-32 of that many last bytes equal to its checksum.</summary>
    internal static bool LastMemberIsWhole(ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> decompressed)
    {
        if (compressed.Length < 18)
        {
            return false; // a 10-byte header and an 8-byte trailer at least
        }

        uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed[^8..]);
        uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]);
        return size <= (uint)decompressed.Length && Crc32.Compute(decompressed[^(int)size..]) == crc;
    }

    /// <summary>Bytes already read from a stream, then the rest of it; remembers the last 8 bytes it gave (a gzip trailer).</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> start, Stream rest) : ReadOnlyStreamBase, IRemainingLength, IRereadable
    {
        private readonly byte[] _tail = new byte[8];
        private readonly long _restStart = rest.CanSeek ? rest.Position : -1; // where the rest began, to read it again
        private readonly ReadOnlyMemory<byte> _start = start; // the bytes read to tell gzip from plain input
        private ReadOnlyMemory<byte> _prefix = start; // what is left of them to give
        private long _given;

        /// <inheritdoc/>
        public long Remaining => rest.CanSeek ? _prefix.Length + Math.Max(rest.Length - rest.Position, 0) : -1;

        /// <inheritdoc/>
        public bool CanReread => _restStart >= 0;

        /// <inheritdoc/>
        public void ReadAgain(long offset, Span<byte> into)
        {
            int n = CopyPrefix(offset, into);
            if (n < into.Length)
            {
                long resume = rest.Position;
                try
                {
                    rest.Position = RestPosition(offset + n);
                    n += rest.ReadAtLeast(into[n..], into.Length - n, throwOnEndOfStream: false);
                }
                finally
                {
                    rest.Position = resume;
                }

                ThrowIfShort(n, into.Length, offset);
            }
        }

        /// <inheritdoc/>
        public async ValueTask ReadAgainAsync(long offset, Memory<byte> into, CancellationToken cancellationToken)
        {
            int n = CopyPrefix(offset, into.Span);
            if (n < into.Length)
            {
                long resume = rest.Position;
                try
                {
                    rest.Position = RestPosition(offset + n);
                    n += await rest.ReadAtLeastAsync(into[n..], into.Length - n, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    rest.Position = resume;
                }

                ThrowIfShort(n, into.Length, offset);
            }
        }

        // The part of [offset, offset + into.Length) that lies in the prefix (the bytes read to tell gzip from plain input).
        private int CopyPrefix(long offset, Span<byte> into)
        {
            if (offset >= _start.Length)
            {
                return 0;
            }

            int n = Math.Min(into.Length, _start.Length - (int)offset);
            _start.Span.Slice((int)offset, n).CopyTo(into);
            return n;
        }

        private long RestPosition(long offset) => _restStart + offset - _start.Length;

        private static void ThrowIfShort(int read, int wanted, long offset)
        {
            if (read < wanted)
            {
                throw new IOException("Expected to read again " + wanted.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " bytes of a message from offset " + offset.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " of the stream, found " + read.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + ": the stream was cut short while it was read.");
            }
        }

        /// <summary>The last bytes given (up to 8), oldest first.</summary>
        public ReadOnlySpan<byte> Tail => _tail.AsSpan(8 - (int)Math.Min(8, _given));

        public override int Read(Span<byte> buffer)
        {
            int n = 0;
            if (!_prefix.IsEmpty)
            {
                n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
            }

            // Fill the rest of the request from the stream, so a reader sees the same chunks as without the prefix.
            if (_prefix.IsEmpty && n < buffer.Length)
            {
                int read = rest.Read(buffer[n..]);
                n += Math.Max(read, 0);
            }

            return Remember(buffer[..n]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = 0;
            if (!_prefix.IsEmpty)
            {
                n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer.Span);
                _prefix = _prefix[n..];
            }

            if (_prefix.IsEmpty && n < buffer.Length)
            {
                int read = await rest.ReadAsync(buffer[n..], cancellationToken).ConfigureAwait(false);
                n += Math.Max(read, 0);
            }

            return Remember(buffer.Span[..n]);
        }

        private int Remember(ReadOnlySpan<byte> given)
        {
            if (given.Length >= 8)
            {
                given[^8..].CopyTo(_tail);
            }
            else if (!given.IsEmpty)
            {
                _tail.AsSpan(given.Length).CopyTo(_tail); // shift left
                given.CopyTo(_tail.AsSpan(8 - given.Length));
            }

            _given += given.Length;
            return given.Length;
        }
    }

    /// <summary>
    /// Ends the stream at corrupt or cut gzip data instead of throwing, with KP0107 at the decompressed position, so the
    /// messages before the fault are still given (strict mode throws there, as for any error).
    /// </summary>
    private sealed class FaultTolerantStream(Stream inner, PrefixedStream compressed, DiagnosticBag diagnostics) : ReadOnlyStreamBase
    {
        private readonly byte[] _chunk = new byte[ReadSize]; // decompressed in whole steps, whatever the caller asks for
        private int _chunkStart;
        private int _chunkEnd;
        private long _position;
        private bool _ended;

        public override int Read(Span<byte> buffer)
        {
            if (_chunkStart == _chunkEnd && !_ended)
            {
                try
                {
                    Fill(inner.Read(_chunk, 0, ReadSize));
                }
                catch (InvalidDataException e)
                {
                    Fail(e.Message);
                }
            }

            return Take(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_chunkStart == _chunkEnd && !_ended)
            {
                try
                {
                    Fill(await inner.ReadAsync(_chunk.AsMemory(0, ReadSize), cancellationToken).ConfigureAwait(false));
                }
                catch (InvalidDataException e)
                {
                    Fail(e.Message);
                }
            }

            return Take(buffer.Span);
        }

        private int Take(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _chunkEnd - _chunkStart);
            _chunk.AsSpan(_chunkStart, n).CopyTo(buffer);
            _chunkStart += n;
            return n;
        }

        private void Fill(int read)
        {
            _chunkStart = 0;
            _chunkEnd = Count(read);
        }

        private int Count(int read)
        {
            _position += read;
            if (read == 0)
            {
                // .NET stops quietly at the end of cut-short data. Streamed, the members' bounds are unknown, so only
                // the last trailer's length field is checked: a cut leaves arbitrary bytes there, most often more than
                // everything decompressed (a whole last member cannot claim more than that).
                var tail = compressed.Tail;
                if (tail.Length < 8 || (_position < uint.MaxValue && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) > _position))
                {
                    return Fail("its last member's length field is more than all the data");
                }

                _ended = true;
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose(); // the GZipStream only: it leaves the caller's stream open through PrefixedStream
            }

            base.Dispose(disposing);
        }

        private int Fail(string why)
        {
            _ended = true;
            diagnostics.Error(MailboxDiagnosticCodes.CompressedInputBad, Corrupt(_position, why), (int)Math.Min(_position, int.MaxValue));
            return 0;
        }
    }

    /// <summary>A read-only, forward-only stream: subclasses implement the span and memory reads.</summary>
    private abstract class ReadOnlyStreamBase : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
