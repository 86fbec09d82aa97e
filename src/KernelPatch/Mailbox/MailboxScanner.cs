using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// The one line-by-line state machine that finds messages in a container. It is fed whole lines with
/// their absolute offsets (by <see cref="MailboxSplitter"/> from memory, by <see cref="MailboxStreamReader"/>
/// from a stream), so both produce the same entries with the same offsets.
/// </summary>
/// <remarks>
/// Invariants: entries are emitted in input order; the gap before an entry becomes its
/// <see cref="MailboxEntry.Leading"/>; a completed entry is held back until the next one completes or the
/// input ends, so that the last entry can receive <see cref="MailboxEntry.Trailing"/>. Each line is looked
/// at a constant number of times.
/// </remarks>
internal sealed class MailboxScanner
{
    private readonly PatchInputFormat _format;
    private readonly DiagnosticBag _diagnostics;
    private int _index;
    private int _gapStart;
    private bool _open;
    private int _spanStart;
    private int _contentStart;
    private SourceSpan _fromLine;
    private bool _quotedFrom;
    private bool _started;
    private bool _inFence;
    private bool _fenceFirstLine;
    private int _fenceOffset;
    private MailboxEntry? _pending;

    public MailboxScanner(PatchInputFormat format, DiagnosticBag diagnostics)
    {
        _format = format == PatchInputFormat.Auto ? PatchInputFormat.Message : format;
        _diagnostics = diagnostics;
    }

    /// <summary>The format the scanner splits by (never <see cref="PatchInputFormat.Auto"/>).</summary>
    public PatchInputFormat Format => _format;

    /// <summary>The smallest absolute offset the scanner may still put into an entry; bytes before it are done with.</summary>
    public int RetainFrom => _pending is { } p ? (p.Leading.Length > 0 ? p.Leading.Offset : p.Span.Offset) : _gapStart;

    /// <summary>
    /// Whether only <c>From </c> lines (and, in mboxrd, quoted <c>&gt;From </c> lines) can change the scanner's state
    /// until the next one: inside an open mbox message every other line is body. The splitters then jump to the next
    /// candidate with <see cref="NextFromCandidate"/> instead of feeding every line.
    /// </summary>
    public bool SkipsToFromLines => _open && (_format == PatchInputFormat.Mbox || _format == PatchInputFormat.Mboxrd);

    /// <summary>
    /// Whether no line can change the scanner's state any more: a single message or a bare diff, once it has started,
    /// runs to the end of the input. An in-memory splitter then stops feeding lines and goes to <see cref="Finish"/>.
    /// </summary>
    public bool TakesTheRest => _started && _format is not (PatchInputFormat.Mbox or PatchInputFormat.Mboxrd or PatchInputFormat.Digest
        or PatchInputFormat.GitLog or PatchInputFormat.HgExport);

    /// <summary>Whether quoted <c>&gt;From </c> lines are candidates too: an mboxrd message not yet known to need unquoting.</summary>
    public bool WantsQuotedFromLines => _format == PatchInputFormat.Mboxrd && !_quotedFrom;

    /// <summary>
    /// The start of the first line at or after <paramref name="lineStart"/> (a line start) that begins with <c>From </c>
    /// (or, with <paramref name="quotedToo"/>, with <c>&gt;</c>s and then <c>From </c>), or -1 when <paramref name="data"/>
    /// holds none complete enough to tell. <paramref name="searchFrom"/> (at least <paramref name="lineStart"/>) is where
    /// the search starts: the caller promises no line end in [<paramref name="lineStart"/>, <paramref name="searchFrom"/>)
    /// and that those bytes were searched before, so the bytes of a long partial line are searched once. A quoted line at
    /// <paramref name="lineStart"/> is found only while its <c>From </c> is at or after <paramref name="searchFrom"/>: a
    /// streaming caller keeps a line it was given (see <c>MailboxStreamReader</c>). One vectorised search (a few for
    /// quoted lines; each hit, and each run of <c>&gt;</c> before it, looked at once).
    /// </summary>
    public static int NextFromCandidate(ReadOnlySpan<byte> data, int lineStart, int searchFrom, bool quotedToo)
    {
        if (data[lineStart..].StartsWith("From "u8))
        {
            return lineStart;
        }

        if (!quotedToo)
        {
            int hit = IndexOfFrom(data[searchFrom..], "\nFrom "u8);
            return hit < 0 ? -1 : searchFrom + hit + 1;
        }

        // A "From " after '>'s may straddle searchFrom (a read ended inside it): look 4 bytes back, within the line.
        for (int pos = Math.Max(lineStart, searchFrom - 4); pos < data.Length;)
        {
            int hit = IndexOfFrom(data[pos..], "From "u8);
            if (hit < 0)
            {
                return -1;
            }

            int from = pos + hit;
            int start = from;
            while (start > lineStart && data[start - 1] == (byte)'>')
            {
                start--;
            }

            if (start == lineStart || data[start - 1] == (byte)'\n')
            {
                return start;
            }

            pos = from + 1;
        }

        return -1;
    }

    /// <summary>
    /// The index of the first <paramref name="pattern"/> (<c>\nFrom </c> or <c>From </c>) in <paramref name="data"/>, or -1.
    /// A vector pass marks where the pattern's first three bytes stand together and checks only those places. The
    /// runtime's substring search filters on the first and last byte instead, which for <c>\nFrom </c> are a line end
    /// and a blank five bytes later: every line indented by four or more blanks (each context line of indented code)
    /// passes that filter, and the search ran at a third of this one's speed on real patch mail.
    /// </summary>
    internal static int IndexOfFrom(ReadOnlySpan<byte> data, ReadOnlySpan<byte> pattern)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && pattern.Length >= 3)
        {
            ref byte start = ref MemoryMarshal.GetReference(data);
            var b0 = Vector256.Create(pattern[0]);
            var b1 = Vector256.Create(pattern[1]);
            var b2 = Vector256.Create(pattern[2]);
            for (; i + Vector256<byte>.Count + 2 <= data.Length; i += Vector256<byte>.Count)
            {
                var hit = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), b0)
                    & Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + 1)), b1)
                    & Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(i + 2)), b2);
                for (uint mask = hit.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                {
                    int at = i + BitOperations.TrailingZeroCount(mask);
                    if (data[at..].StartsWith(pattern))
                    {
                        return at;
                    }
                }
            }
        }

        int rest = data[i..].IndexOf(pattern);
        return rest < 0 ? -1 : i + rest;
    }

    /// <summary>
    /// Moves the origin of every offset the scanner holds <paramref name="delta"/> bytes forward: the
    /// stream reader calls it after dropping that many consumed bytes, so offsets stay small for
    /// streams of any size. Offsets of diagnostics reported afterwards count from the new origin.
    /// </summary>
    public void Rebase(int delta)
    {
        _gapStart -= delta;
        _spanStart -= delta;
        _contentStart -= delta;
        _fenceOffset -= delta;
        if (!_fromLine.IsEmpty)
        {
            _fromLine = new SourceSpan(_fromLine.Offset - delta, _fromLine.Length);
        }

        if (_pending is { } p)
        {
            _pending = p with
            {
                Span = Move(p.Span, delta),
                Content = Move(p.Content, delta),
                FromLine = p.FromLine.IsEmpty ? default : Move(p.FromLine, delta),
                Leading = p.Leading.IsEmpty ? default : Move(p.Leading, delta),
                Trailing = p.Trailing.IsEmpty ? default : Move(p.Trailing, delta),
            };
        }
    }

    private static SourceSpan Move(SourceSpan span, int delta) => new(span.Offset - delta, span.Length);

    /// <summary>Feeds one line (with its line end, if any) starting at absolute <paramref name="offset"/>.</summary>
    public void Line(int offset, ReadOnlySpan<byte> line, List<MailboxEntry> output)
    {
        ReadOnlySpan<byte> text = Utf8Lines.TrimEol(line);
        switch (_format)
        {
            case PatchInputFormat.Mbox:
            case PatchInputFormat.Mboxrd:
                MboxLine(offset, line.Length, text, output);
                break;
            case PatchInputFormat.Digest:
                DigestLine(offset, line.Length, text, output);
                break;
            case PatchInputFormat.GitLog:
            case PatchInputFormat.HgExport:
                CommitLine(offset, line.Length, text, output);
                break;
            default:
                if (!_started)
                {
                    if (_format == PatchInputFormat.Message && MailboxLines.IsBlank(text))
                    {
                        return; // blank lines before a message's headers are a gap, not its (empty) header block
                    }

                    _started = true;
                    bool from = _format == PatchInputFormat.Message && MailboxLines.IsFromLine(text, line.Length - text.Length);
                    Open(offset, from ? line.Length : 0);
                }

                break;
        }
    }

    /// <summary>Ends the input at absolute <paramref name="end"/> and emits what is left.</summary>
    public void Finish(int end, List<MailboxEntry> output)
    {
        if (_inFence)
        {
            _diagnostics.Warning(MailboxDiagnosticCodes.UnclosedFence, "Expected a closing ``` line for the digest block opened here, found the end of the input.", _fenceOffset);
            _inFence = false;
        }

        if (_open)
        {
            Close(end, output);
        }

        if (_pending is { } last)
        {
            output.Add(last with { Trailing = Gap(_gapStart, end) });
            _pending = null;
            _gapStart = end;
        }
        else if (_index == 0)
        {
            _diagnostics.Warning(MailboxDiagnosticCodes.Empty, _format == PatchInputFormat.Digest
                ? "Expected a digest block (a ``` fence holding a message), found none."
                : "Expected a message, found an empty input.", 0);
        }
    }

    private void MboxLine(int offset, int length, ReadOnlySpan<byte> text, List<MailboxEntry> output)
    {
        if (MailboxLines.IsFromLine(text, length - text.Length))
        {
            if (_open)
            {
                Close(offset, output);
            }

            Open(offset, length);
            return;
        }

        if (!_open)
        {
            if (MailboxLines.IsBlank(text))
            {
                return;
            }

            _diagnostics.Warning(MailboxDiagnosticCodes.MissingSeparator, "Expected an mbox 'From ' separator line, found a message without one; it is taken as a message.", offset);
            Open(offset, 0);
        }

        if (_format == PatchInputFormat.Mboxrd && !_quotedFrom && MailboxLines.IsQuotedFrom(text))
        {
            _quotedFrom = true;
        }
    }

    /// <summary>
    /// <c>git log</c> and <c>hg export</c> output: a <c>commit &lt;id&gt;</c> (or <c># HG changeset patch</c>) line starts an entry
    /// and is its separator (<see cref="MailboxEntry.FromLine"/>). Text before the first such line is taken as an entry of
    /// its own, with a warning, as a message without a separator is in an mbox.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void CommitLine(int offset, int length, ReadOnlySpan<byte> text, List<MailboxEntry> output)
    {
        bool gitLog = _format == PatchInputFormat.GitLog;
        if (gitLog ? MailboxLines.IsGitLogCommitLine(text) : MailboxLines.IsHgChangesetLine(text))
        {
            if (_open)
            {
                Close(offset, output);
            }

            Open(offset, length);
            return;
        }

        if (!_open && !MailboxLines.IsBlank(text))
        {
            _diagnostics.Warning(MailboxDiagnosticCodes.MissingSeparator, gitLog
                ? "Expected a 'commit <id>' line of git log output, found text without one; it is taken as a commit."
                : "Expected a '# HG changeset patch' line of hg export output, found text without one; it is taken as a changeset.", offset);
            Open(offset, 0);
        }
    }

    private void DigestLine(int offset, int length, ReadOnlySpan<byte> text, List<MailboxEntry> output)
    {
        if (!_inFence)
        {
            if (MailboxLines.IsFenceOpen(text))
            {
                _inFence = true;
                _fenceFirstLine = true;
                _fenceOffset = offset;
            }

            return;
        }

        if (MailboxLines.IsFenceClose(text))
        {
            if (_open)
            {
                Close(offset, output);
            }
            else
            {
                _diagnostics.Info(MailboxDiagnosticCodes.EmptyFence, "Expected a message inside the digest block, found an empty block.", _fenceOffset);
            }

            _inFence = false;
            return;
        }

        bool from = MailboxLines.IsFromLine(text, length - text.Length);
        if (_fenceFirstLine)
        {
            _fenceFirstLine = false;
            Open(offset, from ? length : 0);
        }
        else if (from)
        {
            Close(offset, output);
            Open(offset, length);
        }
    }

    private void Open(int offset, int fromLength)
    {
        _open = true;
        _spanStart = offset;
        _contentStart = offset + fromLength;
        _fromLine = fromLength == 0 ? default : new SourceSpan(offset, fromLength);
        _quotedFrom = false;
    }

    /// <summary>The span between two offsets; the default span when empty, so "no gap" compares equal everywhere.</summary>
    private static SourceSpan Gap(int start, int end) => end > start ? SourceSpan.FromBounds(start, end) : default;

    private void Close(int end, List<MailboxEntry> output)
    {
        var entry = new MailboxEntry(_index++, SourceSpan.FromBounds(_spanStart, end), SourceSpan.FromBounds(_contentStart, end), _format)
        {
            FromLine = _fromLine,
            NeedsUnquoting = _quotedFrom,
            Leading = Gap(_gapStart, _spanStart),
        };
        _open = false;
        _gapStart = end;
        if (_pending is { } previous)
        {
            output.Add(previous);
        }

        _pending = entry;
    }
}
