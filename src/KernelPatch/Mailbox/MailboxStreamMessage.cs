using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>One message read from a stream by <see cref="MailboxStreamReader"/>.</summary>
/// <param name="Bytes">The bytes of the entry (separator line and message), in an array of their own.</param>
/// <param name="LocalEntry">
/// The entry with offsets relative to <see cref="Bytes"/> (its span starts at 0), for
/// <see cref="MailboxSplitter.GetContent"/> and the mail parser. Leading and trailing gap bytes are not part of it.
/// </param>
/// <param name="Offset">Offset of <see cref="Bytes"/> in the stream: a <see cref="long"/>, so streams of any size work.</param>
internal readonly record struct MailboxStreamMessage(ReadOnlyMemory<byte> Bytes, MailboxEntry LocalEntry, long Offset)
{
    /// <summary>
    /// The entry with offsets relative to the stream start, as <see cref="MailboxSplitter.Split(ReadOnlyMemory{byte}, PatchParseOptions, DiagnosticBag)"/> gives it
    /// for the same bytes. Offsets are <see cref="int"/>: this throws <see cref="OverflowException"/> past 2 GiB.
    /// </summary>
    public MailboxEntry Entry
    {
        get
        {
            int shift = checked((int)Offset);
            return LocalEntry with
            {
                Span = Shift(LocalEntry.Span, shift),
                Content = Shift(LocalEntry.Content, shift),
                FromLine = LocalEntry.FromLine.IsEmpty ? default : Shift(LocalEntry.FromLine, shift),
                Leading = Leading,
                Trailing = Trailing,
            };
        }
    }

    /// <summary>
    /// The reader's diagnostics (mailbox split) that belong to this message: those at or before its last byte that no
    /// earlier message took. Their offsets count from the first byte of <see cref="Bytes"/>, as every other offset of
    /// the message does; one about the gap before the message (a digest fence, junk before the first separator) is
    /// negative. Add <see cref="Offset"/> to get the stream position.
    /// </summary>
    internal ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;

    /// <summary>The gap bytes before the entry, relative to the stream start (empty when none).</summary>
    internal SourceSpan Leading { get; init; }

    /// <summary>The gap bytes after the entry, relative to the stream start (empty when none).</summary>
    internal SourceSpan Trailing { get; init; }

    private static SourceSpan Shift(SourceSpan span, int by) => new(checked(span.Offset + by), span.Length);

    /// <summary>Makes the message from an entry whose offsets count from <paramref name="origin"/> in the stream.</summary>
    internal static MailboxStreamMessage FromEntry(ReadOnlyMemory<byte> bytes, in MailboxEntry entry, long origin)
    {
        int start = entry.Span.Offset;
        var local = entry with
        {
            Span = new SourceSpan(0, entry.Span.Length),
            Content = new SourceSpan(entry.Content.Offset - start, entry.Content.Length),
            FromLine = entry.FromLine.IsEmpty ? default : new SourceSpan(entry.FromLine.Offset - start, entry.FromLine.Length),
            Leading = default,
            Trailing = default,
        };
        return new MailboxStreamMessage(bytes, local, origin + start)
        {
            Leading = Absolute(entry.Leading, origin),
            Trailing = Absolute(entry.Trailing, origin),
        };
    }

    // Gap spans are kept in stream coordinates only while they fit; they are informational.
    private static SourceSpan Absolute(SourceSpan gap, long origin)
        => gap.IsEmpty || origin + gap.Offset > int.MaxValue ? default : new SourceSpan((int)(origin + gap.Offset), gap.Length);
}
