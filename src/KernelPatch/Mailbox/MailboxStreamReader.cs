using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// Reads a container from a <see cref="Stream"/> incrementally and yields its messages one by one, with the same
/// entries and offsets as <see cref="MailboxSplitter.Split(ReadOnlyMemory{byte}, PatchParseOptions, DiagnosticBag)"/> (both feed <see cref="MailboxScanner"/>).
/// </summary>
/// <remarks>
/// One buffer is reused and grown: it holds at most the bytes the scanner still needs (the message being read,
/// and the last completed one, held back until the next completes so the last can get its trailing bytes). The first
/// buffer (up to <see cref="PooledBufferLength"/>) comes from the shared array pool and goes back when the enumeration
/// ends, so a reader made for each mail (a bot reading mail as it arrives) allocates little more than the mail's own
/// copy; a larger one, grown for a larger message, is a plain array the collector takes back. The buffer stops growing
/// at <see cref="SpillLength"/> (unless one line is longer): while a larger message is read, the lines already scanned
/// leave the buffer. From a stream that can give its bytes again (a file), they are let go of, and once the message's
/// end is found its bytes are read again, straight into an array of their own; from any other stream (a pipe, a socket,
/// gzip input) the full buffers are held as they are and copied into that array. Either way no buffer twice the
/// message's size is made, and none of the smaller ones doubling passes through.
/// Each yielded message has its bytes to itself (a copy, or a buffer no other message shares) and counts its offsets
/// from its own first byte, so streams of any length work; <see cref="MailboxStreamMessage.Offset"/> is the message's
/// stream position.
/// </remarks>
internal sealed class MailboxStreamReader : IEnumerable<MailboxStreamMessage>
{
    private readonly Stream _stream;
    private readonly PatchParseOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly int _initialBufferSize;
    private readonly int _spillLength;

    /// <summary>The largest first buffer taken from (and given back to) the shared pool, and the most one read asks for.</summary>
    internal const int PooledBufferLength = 1024 * 1024;

    /// <summary>The buffer length past which a longer message is not read into a larger buffer.</summary>
    internal const int SpillLength = 1024 * 1024;

    /// <summary>Creates a reader over <paramref name="stream"/>; diagnostics go to <paramref name="diagnostics"/> with stream offsets.</summary>
    public MailboxStreamReader(Stream stream, PatchParseOptions options, DiagnosticBag diagnostics, int initialBufferSize = 64 * 1024, int spillLength = SpillLength)
    {
        _stream = stream;
        _options = options;
        _diagnostics = diagnostics;
        _initialBufferSize = Math.Max(initialBufferSize, 16);
        _spillLength = Math.Max(spillLength, _initialBufferSize);
    }

    /// <summary>
    /// The largest the read buffer grew while enumerating: about <see cref="SpillLength"/>, or twice the longest line
    /// (a line is never cut), or a message that runs to the end of a stream that says its length.
    /// </summary>
    public int PeakBufferLength { get; private set; }

    /// <inheritdoc/>
    public IEnumerator<MailboxStreamMessage> GetEnumerator()
    {
        var cursor = new Cursor(MailboxSplitter.Given(_options.Format), _diagnostics, _initialBufferSize, _spillLength);
        try
        {
            while (true)
            {
                switch (cursor.Next(out var message))
                {
                    case Step.Message:
                        yield return message;
                        break;
                    case Step.ReadAgain:
                        var bytes = GC.AllocateUninitializedArray<byte>(message.LocalEntry.Span.Length); // every byte is read into
                        ((IRereadable)_stream).ReadAgain(message.Offset, bytes);
                        yield return message with { Bytes = bytes };
                        break;
                    case Step.NeedData:
                        var (array, offset, count) = cursor.ReadBuffer(_stream);
                        cursor.Advance(_stream.Read(array, offset, count));
                        PeakBufferLength = cursor.PeakBufferLength;
                        break;
                    default:
                        yield break;
                }
            }
        }
        finally
        {
            cursor.ReturnBuffer(); // also when the consumer stops early, or a read throws
        }
    }

    /// <summary>The same messages as the enumerator, reading the stream asynchronously.</summary>
    /// <param name="cancellationToken">Stops the reading; it is passed to <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>.</param>
    /// <returns>The messages in stream order.</returns>
    public async IAsyncEnumerable<MailboxStreamMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new Cursor(MailboxSplitter.Given(_options.Format), _diagnostics, _initialBufferSize, _spillLength);
        try
        {
            while (true)
            {
                switch (cursor.Next(out var message))
                {
                    case Step.Message:
                        yield return message;
                        break;
                    case Step.ReadAgain:
                        var bytes = GC.AllocateUninitializedArray<byte>(message.LocalEntry.Span.Length);
                        await ((IRereadable)_stream).ReadAgainAsync(message.Offset, bytes, cancellationToken).ConfigureAwait(false);
                        yield return message with { Bytes = bytes };
                        break;
                    case Step.NeedData:
                        var (array, offset, count) = cursor.ReadBuffer(_stream);
                        cursor.Advance(await _stream.ReadAsync(array.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));
                        PeakBufferLength = cursor.PeakBufferLength;
                        break;
                    default:
                        yield break;
                }
            }
        }
        finally
        {
            cursor.ReturnBuffer();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>What <see cref="Cursor.Next"/> found.</summary>
    private enum Step
    {
        /// <summary>A message is ready.</summary>
        Message,

        /// <summary>
        /// A message is ready but for its bytes, which the buffer let go of (its <see cref="MailboxStreamMessage.Bytes"/> are
        /// empty): read its <see cref="MailboxEntry.Span"/>'s length again from the stream (<see cref="IRereadable"/>) at
        /// its <see cref="MailboxStreamMessage.Offset"/>.
        /// </summary>
        ReadAgain,

        /// <summary>More bytes are needed: read into <see cref="Cursor.ReadBuffer"/> and report with <see cref="Cursor.Advance"/>.</summary>
        NeedData,

        /// <summary>The stream ended and every message was given.</summary>
        Done,
    }

    /// <summary>
    /// The reader's state between reads, so that the same scanning serves a blocking and an asynchronous stream: it
    /// scans what the buffer holds and says when it needs more bytes instead of reading them itself.
    /// </summary>
    private sealed class Cursor(PatchInputFormat format, DiagnosticBag diagnostics, int initialBufferSize, int spillLength)
    {
        private readonly List<MailboxEntry> _output = [];
        private readonly List<(PatchDiagnostic Diagnostic, long At)> _pending = []; // the scanner's diagnostics, at stream positions
        private readonly Queue<MailboxStreamMessage> _ready = new(); // one without its bytes (Bytes shorter than its entry) is to be read again
        private byte[] _buffer = []; // made at the first read (Fresh)
        private bool _pooled; // _buffer came from the shared pool and goes back to it
        private bool _sizedToEnd; // the buffer was grown to hold the rest of a seekable stream
        private bool _shared; // a message keeps bytes of this buffer as its own: they are never written over
        private long _bufferBase; // stream offset of _buffer[0]; the scanner counts from _buffer[0], so int offsets never overflow
        private int _filled;
        private int _scan; // index in _buffer of the next line to feed
        private bool _eof;
        private bool _finished;
        private MailboxScanner? _scanner; // made once the format is known (detection needs the first non-blank line)
        private int _blankEnd; // detection: lines before this index are known blank
        private int _lineEndSearched; // detection: [_blankEnd, _lineEndSearched) holds no line end
        private int _searched; // bytes in [_scan, _searched) are known to hold no line end: a long line is not rescanned per read
        private long _candidate = -1; // stream offset of the "From " line the skip found at _scan, kept until it is fed
        private List<ArraySegment<byte>>? _held; // bytes [_heldStart, _bufferBase) of a stream that cannot give them again; made at the first Hold
        private long _heldStart;

        /// <summary>Whether bytes before the buffer are held (<see cref="Hold"/>).</summary>
        private bool Holding => _held is { Count: > 0 };

        /// <summary>The largest the buffer grew.</summary>
        public int PeakBufferLength { get; private set; }

        /// <summary>
        /// Where the next read from <paramref name="stream"/> goes. A full buffer doubles; when the message being read runs
        /// to the end of the stream (a single message or bare diff) and the stream can say how much it has left, it grows
        /// once to hold all of it (and a byte more, so that the read that finds the end has room). A grown buffer is a plain
        /// array; a message over 2 MiB keeps its bytes in it instead of a copy (see <see cref="ScanLine"/>). A full buffer
        /// of <c>spillLength</c> or more moves the lines already scanned out instead of growing (see <see cref="Spill"/>).
        /// </summary>
        public (byte[] Array, int Offset, int Count) ReadBuffer(Stream stream)
        {
            if (_buffer.Length == 0)
            {
                _buffer = Fresh(0, out _pooled);
            }
            else if (_filled == _buffer.Length && !Spill(stream))
            {
                long size = _buffer.Length * 2L;
                if (!_sizedToEnd && _scanner is { TakesTheRest: true } && RemainingIn(stream) is >= 0 and long left)
                {
                    _sizedToEnd = true; // once: a stream that said too little then grows the buffer by doubling
                    size = _filled + left + 1;
                }

                if (size > Array.MaxLength)
                {
                    size = _buffer.Length < Array.MaxLength ? Array.MaxLength : checked(_buffer.Length * 2); // as large as an array can be, then the overflow as before
                }

                var larger = GC.AllocateUninitializedArray<byte>((int)size); // only [0, _filled) is read, and every byte of it written first
                _buffer.AsSpan(0, _filled).CopyTo(larger);
                ReturnBuffer();
                _buffer = larger; // not shared: what a message keeps stays in the buffer it was given
            }

            // At most 1 MiB a read: a large buffer is touched only as far as a message needs it.
            PeakBufferLength = Math.Max(PeakBufferLength, _buffer.Length);
            return (_buffer, _filled, Math.Min(_buffer.Length - _filled, PooledBufferLength));
        }

        /// <summary>
        /// Instead of growing a full buffer of <c>spillLength</c> or more, moves the lines already scanned, [0, scan), out
        /// of it when they are at least half of it (so each byte is moved at most once on average); false when it did not.
        /// From a stream that can give them again they are let go of, and an entry that starts before the buffer's first
        /// byte is given as <see cref="Step.ReadAgain"/>; from any other stream what the scanner still needs of them is
        /// held (<see cref="Hold"/>). The scanner keeps counting in the same coordinates. A message that runs to the end
        /// of a stream that says its length grows the buffer to hold it instead.
        /// </summary>
        private bool Spill(Stream stream)
        {
            if (_buffer.Length < spillLength || _scan < _buffer.Length / 2 || _scanner is null)
            {
                return false;
            }

            if (_scanner.TakesTheRest)
            {
                if (!_sizedToEnd && RemainingIn(stream) >= 0)
                {
                    return false;
                }
            }
            else if (stream is IRereadable { CanReread: true })
            {
                Drop(_scan);
                return true;
            }

            Hold(_scan);
            return true;
        }

        /// <summary>
        /// Drops the buffer's first <paramref name="count"/> bytes, holding what the scanner still needs of them: the
        /// bytes from <see cref="MailboxScanner.RetainFrom"/> on. A buffer not from the pool is held whole as it is (no
        /// copy) and a new one of its length takes the bytes after <paramref name="count"/>.
        /// </summary>
        private void Hold(int count)
        {
            int from = Math.Clamp(_scanner!.RetainFrom, 0, count);
            var held = _held ??= [];
            if (from > 0)
            {
                held.Clear(); // the scanner needs nothing before the buffer any more
            }

            if (from < count && held.Count == 0)
            {
                _heldStart = _bufferBase + from;
            }

            if (from == count || _pooled)
            {
                if (from < count)
                {
                    held.Add(_buffer.AsSpan(from, count - from).ToArray());
                }

                Drop(count);
                return;
            }

            held.Add(new ArraySegment<byte>(_buffer, from, count - from));
            var fresh = GC.AllocateUninitializedArray<byte>(_buffer.Length); // every byte read is first written by a read
            _buffer.AsSpan(count, _filled - count).CopyTo(fresh);
            (_buffer, _shared) = (fresh, false);
            Shift(count);
        }

        /// <summary>Lets go of the held bytes before stream offset <paramref name="start"/>, a whole held part at a time.</summary>
        private void ReleaseHeld(long start)
        {
            var held = _held!;
            int drop = 0;
            while (drop < held.Count && _heldStart + held[drop].Count <= start)
            {
                _heldStart += held[drop++].Count;
            }

            held.RemoveRange(0, drop);
        }

        /// <summary>The bytes from stream offset <paramref name="at"/> on: the held ones, then the buffer's.</summary>
        private byte[] CopyHeld(long at, int length)
        {
            var bytes = GC.AllocateUninitializedArray<byte>(length); // every byte is copied into
            int n = 0;
            long part = _heldStart;
            foreach (var held in _held!)
            {
                long next = part + held.Count;
                if (at + n < next && n < length)
                {
                    int skip = checked((int)(at + n - part)); // never negative: what an entry needs is never let go of
                    int take = Math.Min(held.Count - skip, length - n);
                    held.AsSpan(skip, take).CopyTo(bytes.AsSpan(n));
                    n += take;
                }

                part = next;
            }

            _buffer.AsSpan(0, length - n).CopyTo(bytes.AsSpan(n));
            return bytes;
        }

        /// <summary>Drops the buffer's first <paramref name="count"/> bytes; every offset moves with them.</summary>
        private void Drop(int count)
        {
            int need = _filled - count;
            if (_shared)
            {
                // A message keeps bytes of this buffer: what is still needed moves to a new one instead.
                var fresh = Fresh(need, out bool pooled);
                _buffer.AsSpan(count, need).CopyTo(fresh);
                (_buffer, _pooled, _shared) = (fresh, pooled, false);
            }
            else
            {
                Buffer.BlockCopy(_buffer, count, _buffer, 0, need);
            }

            Shift(count);
        }

        private void Shift(int count)
        {
            _filled -= count;
            _scan -= count;
            _searched -= count;
            _bufferBase += count;
            _scanner!.Rebase(count);
        }

        // A buffer for `need` bytes and a read: the first size from the shared pool when they fit in it (a reader made for
        // each mail then allocates none), else a plain array; not zeroed, as every byte read is first written by a read.
        private byte[] Fresh(int need, out bool pooled) => (pooled = need < initialBufferSize && initialBufferSize <= PooledBufferLength)
            ? System.Buffers.ArrayPool<byte>.Shared.Rent(initialBufferSize)
            : GC.AllocateUninitializedArray<byte>(need + initialBufferSize);

        // What a stream says it has left; -1 when it cannot say.
        private static long RemainingIn(Stream stream) =>
            stream is IRemainingLength known ? known.Remaining : stream.CanSeek ? Math.Max(stream.Length - stream.Position, 0) : -1;

        /// <summary>Gives the buffer back to the pool when it came from there; the cursor reads no more after it.</summary>
        public void ReturnBuffer()
        {
            if (_pooled)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
            }

            (_buffer, _pooled, _shared) = ([], false, false);
        }

        /// <summary>Takes the count of bytes a read returned; 0 (or less) is the end of the stream.</summary>
        public void Advance(int read)
        {
            if (read <= 0)
            {
                _eof = true;
            }
            else
            {
                _filled += read;
            }
        }

        /// <summary>Scans until a message is ready, more bytes are needed, or the stream is done.</summary>
        public Step Next(out MailboxStreamMessage message)
        {
            while (true)
            {
                if (_ready.TryDequeue(out message))
                {
                    return message.Bytes.Length < message.LocalEntry.Span.Length ? Step.ReadAgain : Step.Message;
                }

                if (_finished)
                {
                    ReturnUnclaimed();
                    return Step.Done;
                }

                if (_scanner is null)
                {
                    if (format == PatchInputFormat.Auto && !_eof && !HasNonBlankLine(_buffer.AsSpan(0, _filled), ref _blankEnd, ref _lineEndSearched))
                    {
                        return Step.NeedData;
                    }

                    _scanner = new MailboxScanner(format == PatchInputFormat.Auto ? MailboxSplitter.Detect(_buffer.AsSpan(0, _filled)) : format, diagnostics);
                }

                if (!ScanLine(_scanner))
                {
                    return Step.NeedData;
                }
            }
        }

        /// <summary>Feeds the scanner one line (or the end); false when the buffer holds no complete line and more must be read.</summary>
        private bool ScanLine(MailboxScanner scanner)
        {
            byte[] buffer = _buffer;

            // A single message or bare diff, once started, runs to the end of the stream: its lines cannot change the
            // scanner's state, so they are not fed (the in-memory splitter stops the same way); the bytes are read to
            // the end, where the scanner finishes.
            bool rest = scanner.TakesTheRest;
            if (rest)
            {
                _scan = _filled;
            }
            else if (scanner.SkipsToFromLines && _scan < _filled && _bufferBase + _scan != _candidate)
            {
                // Body lines of an open mbox message cannot change the scanner's state: jump to the next "From ",
                // or past the last complete line when the buffer holds none (the partial line may still be one).
                // [scan, searched) holds no line end, so a "From " line is the one at scan or follows a '\n' at or
                // after searched: the bytes of a long partial line are searched once, not again after every read.
                // A line found is kept (_candidate) until it is complete and fed: the search would not find a
                // quoted one again, its ">From " being behind searched by then.
                int unsearched = Math.Max(_scan, _searched);
                int next = MailboxScanner.NextFromCandidate(buffer.AsSpan(0, _filled), _scan, unsearched, scanner.WantsQuotedFromLines);
                if (next >= 0)
                {
                    _scan = next;
                    _candidate = _bufferBase + next;
                }
                else
                {
                    int last = buffer.AsSpan(unsearched, _filled - unsearched).LastIndexOf((byte)'\n');
                    if (last >= 0)
                    {
                        _scan = unsearched + last + 1;
                    }
                }
            }

            int from = Math.Max(_scan, _searched);
            int found = rest ? -1 : buffer.AsSpan(from, _filled - from).IndexOf((byte)'\n');
            if (found >= 0)
            {
                int length = from + found + 1 - _scan;
                scanner.Line(_scan, buffer.AsSpan(_scan, length), _output);
                TakeDiagnostics();
                _scan += length;
            }
            else if (_eof)
            {
                if (_scan < _filled)
                {
                    scanner.Line(_scan, buffer.AsSpan(_scan, _filled - _scan), _output);
                    _scan = _filled;
                }

                scanner.Finish(_filled, _output);
                TakeDiagnostics();
                _finished = true;
            }
            else
            {
                // Drop what the scanner no longer needs; the caller reads more (the buffer grows when full).
                _searched = _filled;
                int keep = scanner.RetainFrom; // negative after a spill, until the entries it cut are given
                if (Holding)
                {
                    ReleaseHeld(_bufferBase + keep);
                }

                if (keep > 0)
                {
                    Drop(keep);
                }

                return false;
            }

            for (int i = 0; i < _output.Count; i++)
            {
                var entry = _output[i];
                ReadOnlyMemory<byte> bytes;
                if (entry.Span.Offset < 0)
                {
                    // A spill moved its first bytes out of the buffer: they are held, or the stream gives them again
                    // (the message goes out without its bytes: Step.ReadAgain).
                    bytes = Holding ? CopyHeld(_bufferBase + entry.Span.Offset, entry.Span.Length) : default;
                }
                else if (!_pooled && entry.Span.Length > 2 * PooledBufferLength && entry.Span.Length >= buffer.Length / 3)
                {
                    // A large message the buffer had to grow for fills much of it: the message keeps its bytes in the
                    // buffer instead of a copy made while the buffer is alive (the copy put streaming one 10 MB mail over
                    // the peak bar). The buffer is then never written over: the reader moves on to a new one. A smaller
                    // message is copied, and the reader keeps its buffer (measured: the b4 history peaked 2.5 MiB higher
                    // when its 1.27 MB message took the buffer).
                    bytes = buffer.AsMemory(entry.Span.Offset, entry.Span.Length);
                    _shared = true;
                }
                else
                {
                    bytes = buffer.AsSpan(entry.Span.Offset, entry.Span.Length).ToArray(); // an uninitialized array measured slower (performance-history.md)
                }

                var message = MailboxStreamMessage.FromEntry(bytes, entry, _bufferBase);
                if (_pending.Count > 0)
                {
                    message = message with { Diagnostics = ClaimDiagnostics(_pending, message.Offset, entry.Span.Length, all: _finished && i == _output.Count - 1) };
                }

                _ready.Enqueue(message);
            }

            _output.Clear();
            if (Holding)
            {
                ReleaseHeld(_bufferBase + scanner.RetainFrom); // before the consumer parses the message: what it was copied from can go
            }

            return true;
        }

        /// <summary>
        /// At the end, what no message claimed (only possible when there was no message: an empty input's KP0103) goes
        /// back into the bag, at its stream position, for the caller to report.
        /// </summary>
        private void ReturnUnclaimed()
        {
            foreach (var (d, at) in _pending)
            {
                diagnostics.Report(d.Code, d.Severity, d.Message, (int)Math.Clamp(at, int.MinValue, int.MaxValue));
            }

            _pending.Clear();
        }

        /// <summary>
        /// Moves what the scanner just reported out of the bag, at stream positions: the scanner counts from the buffer's
        /// start, which moves each time the buffer drops what it no longer needs, so the offsets are fixed at once.
        /// </summary>
        private void TakeDiagnostics()
        {
            if (diagnostics.Count == 0)
            {
                return;
            }

            foreach (var d in diagnostics.ToImmutableAndClear())
            {
                _pending.Add((d, _bufferBase + d.Offset));
            }
        }
    }

    /// <summary>
    /// The pending diagnostics at or before the message's last byte (all of them for the last message), with offsets
    /// counted from the message's first byte; they leave <paramref name="pending"/>.
    /// </summary>
    private static ImmutableArray<PatchDiagnostic> ClaimDiagnostics(List<(PatchDiagnostic Diagnostic, long At)> pending, long start, int length, bool all)
    {
        var claimed = ImmutableArray.CreateBuilder<PatchDiagnostic>();
        int kept = 0;
        for (int i = 0; i < pending.Count; i++)
        {
            var (d, at) = pending[i];
            if (all || at < start + length)
            {
                long relative = Math.Clamp(at - start, int.MinValue, int.MaxValue);
                claimed.Add(d with { Offset = (int)relative });
            }
            else
            {
                pending[kept++] = (d, at);
            }
        }

        pending.RemoveRange(kept, pending.Count - kept);
        return claimed.ToImmutable();
    }

    private static bool HasNonBlankLine(ReadOnlySpan<byte> data, ref int pos, ref int searched)
    {
        while (pos < data.Length)
        {
            int from = Math.Max(pos, searched);
            int nl = data[from..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                searched = data.Length;
                return false;
            }

            nl += from - pos;
            if (!MailboxLines.IsBlank(data.Slice(pos, nl + 1)))
            {
                return true;
            }

            pos += nl + 1;
        }

        return false;
    }

}
