using System.Collections;
using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// Reads a container from a <see cref="Stream"/> incrementally and yields its messages one by one, with the same
/// entries and offsets as <see cref="MailboxSplitter.Split"/> (both feed <see cref="MailboxScanner"/>).
/// </summary>
/// <remarks>
/// One buffer is reused and grown: it holds at most the bytes the scanner still needs (the message being read,
/// and the last completed one, held back until the next completes so the last can get its trailing bytes).
/// Each yielded message is copied into an array of its own and counts its offsets from its own first byte, so streams
/// of any length work; <see cref="MailboxStreamMessage.Offset"/> is the message's stream position.
/// </remarks>
internal sealed class MailboxStreamReader : IEnumerable<MailboxStreamMessage>
{
    private readonly Stream _stream;
    private readonly PatchParseOptions _options;
    private readonly DiagnosticBag _diagnostics;
    private readonly int _initialBufferSize;

    /// <summary>Creates a reader over <paramref name="stream"/>; diagnostics go to <paramref name="diagnostics"/> with stream offsets.</summary>
    public MailboxStreamReader(Stream stream, PatchParseOptions options, DiagnosticBag diagnostics, int initialBufferSize = 64 * 1024)
    {
        _stream = stream;
        _options = options;
        _diagnostics = diagnostics;
        _initialBufferSize = Math.Max(initialBufferSize, 16);
    }

    /// <summary>The largest the read buffer grew while enumerating (bounded by about twice the largest message).</summary>
    public int PeakBufferLength { get; private set; }

    /// <inheritdoc/>
    public IEnumerator<MailboxStreamMessage> GetEnumerator()
    {
        byte[] buffer = new byte[_initialBufferSize];
        long bufferBase = 0; // stream offset of buffer[0]; the scanner counts from buffer[0], so int offsets never overflow
        int filled = 0;
        int scan = 0; // index in buffer of the next line to feed
        bool eof = false;
        var output = new List<MailboxEntry>();
        var pending = new List<(PatchDiagnostic Diagnostic, long At)>(); // the scanner's diagnostics, at stream positions

        // Detection needs the first non-blank line complete.
        var format = _options.Format;
        if (format == PatchInputFormat.Auto)
        {
            int blankEnd = 0; // lines before this index are known blank
            int lineEndSearched = 0; // [blankEnd, lineEndSearched) holds no line end: a long first line is not rescanned per read
            while (!eof && !HasNonBlankLine(buffer.AsSpan(0, filled), ref blankEnd, ref lineEndSearched))
            {
                Fill(ref buffer, ref filled, ref eof);
            }

            format = MailboxSplitter.Detect(buffer.AsSpan(0, filled));
        }

        var scanner = new MailboxScanner(format, _diagnostics);
        bool finished = false;
        int searched = 0; // bytes in [scan, searched) are known to hold no line end: a long line is not rescanned per read
        while (true)
        {
            if (scanner.SkipsToFromLines && scan < filled)
            {
                // Body lines of an open mbox message cannot change the scanner's state: jump to the next "From ",
                // or past the last complete line when the buffer holds none (the partial line may still be one).
                // [scan, searched) holds no line end, so a "From " line is the one at scan or follows a '\n' at or
                // after searched: the bytes of a long partial line are searched once, not again after every read.
                int unsearched = Math.Max(scan, searched);
                int next = buffer.AsSpan(scan, filled - scan).StartsWith("From "u8) ? scan
                    : buffer.AsSpan(unsearched, filled - unsearched).IndexOf("\nFrom "u8) is int hit and >= 0 ? unsearched + hit + 1 : -1;
                if (next >= 0)
                {
                    scan = next;
                }
                else
                {
                    int last = buffer.AsSpan(unsearched, filled - unsearched).LastIndexOf((byte)'\n');
                    if (last >= 0)
                    {
                        scan = unsearched + last + 1;
                    }
                }
            }

            int from = Math.Max(scan, searched);
            int found = buffer.AsSpan(from, filled - from).IndexOf((byte)'\n');
            if (found >= 0)
            {
                int length = from + found + 1 - scan;
                scanner.Line(scan, buffer.AsSpan(scan, length), output);
                TakeDiagnostics(pending, bufferBase);
                scan += length;
            }
            else if (eof)
            {
                if (scan < filled)
                {
                    scanner.Line(scan, buffer.AsSpan(scan, filled - scan), output);
                    scan = filled;
                }

                scanner.Finish(filled, output);
                TakeDiagnostics(pending, bufferBase);
                finished = true;
            }
            else
            {
                // Drop what the scanner no longer needs, then read more (growing when the buffer is full).
                searched = filled;
                int keep = scanner.RetainFrom;
                if (keep > 0)
                {
                    Buffer.BlockCopy(buffer, keep, buffer, 0, filled - keep);
                    filled -= keep;
                    scan -= keep;
                    searched -= keep;
                    bufferBase += keep;
                    scanner.Rebase(keep);
                }

                Fill(ref buffer, ref filled, ref eof);
                PeakBufferLength = Math.Max(PeakBufferLength, buffer.Length);
                continue;
            }

            for (int i = 0; i < output.Count; i++)
            {
                var entry = output[i];
                byte[] bytes = buffer.AsSpan(entry.Span.Offset, entry.Span.Length).ToArray();
                var message = MailboxStreamMessage.FromEntry(bytes, entry, bufferBase);
                if (pending.Count > 0)
                {
                    message = message with { Diagnostics = ClaimDiagnostics(pending, message.Offset, entry.Span.Length, all: finished && i == output.Count - 1) };
                }

                yield return message;
            }

            output.Clear();
            if (finished)
            {
                yield break;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Moves what the scanner just reported out of the bag, at stream positions: the scanner counts from the buffer's
    /// start, which moves each time the buffer drops what it no longer needs, so the offsets are fixed at once.
    /// </summary>
    private void TakeDiagnostics(List<(PatchDiagnostic Diagnostic, long At)> pending, long bufferBase)
    {
        if (_diagnostics.Count == 0)
        {
            return;
        }

        foreach (var d in _diagnostics.ToImmutableAndClear())
        {
            pending.Add((d, bufferBase + d.Offset));
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

    private void Fill(ref byte[] buffer, ref int filled, ref bool eof)
    {
        if (filled == buffer.Length)
        {
            Array.Resize(ref buffer, checked(buffer.Length * 2));
        }

        int read = _stream.Read(buffer, filled, buffer.Length - filled);
        if (read <= 0)
        {
            eof = true;
        }

        filled += read > 0 ? read : 0;
    }
}
