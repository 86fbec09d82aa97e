using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// One hunk of a combined diff (<c>diff --cc</c>): <c>@@@ -a,b -c,d +e,f @@@</c>, one old range per parent and one
/// marker column per parent on each body line.
/// </summary>
public sealed record DiffCombinedHunk
{
    private string? _section;

    /// <summary>The whole input the spans refer to.</summary>
    public ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>Number of parents (marker columns): the number of <c>@</c> in the header minus one.</summary>
    public int ParentCount { get; init; }

    /// <summary>The 1-based start of each parent's range, in parent order.</summary>
    public ImmutableArray<int> OldStarts { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>The line count of each parent's range, in parent order.</summary>
    public ImmutableArray<int> OldCounts { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>1-based start of the merge result's range.</summary>
    public int NewStart { get; init; }

    /// <summary>Line count of the merge result's range.</summary>
    public int NewCount { get; init; }

    /// <summary>Number of body lines.</summary>
    public int LineCount { get; init; }

    /// <summary>The hunk: header and body.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The <c>@@@ ... @@@</c> header line, line end included.</summary>
    public SourceSpan HeaderSpan { get; init; }

    /// <summary>The section heading bytes after the closing <c>@@@ </c>.</summary>
    public SourceSpan SectionSpan { get; init; }

    /// <summary>The section heading, decoded on first access; empty when none.</summary>
    public string Section => _section ??= DiffScan.Text(SectionSpan.Slice(Source.Span));

    /// <summary>
    /// The body lines (marker columns, content and line end), in order, without <c>\ No newline</c> markers.
    /// Built on each call: combined diffs are rare, so no table is kept.
    /// </summary>
    /// <returns>One span per body line; pass its offset to <see cref="GetMarker"/>.</returns>
    public ImmutableArray<SourceSpan> GetLineSpans()
    {
        ReadOnlySpan<byte> s = Source.Span;
        var spans = ImmutableArray.CreateBuilder<SourceSpan>(LineCount);
        int pos = HeaderSpan.End;
        int end = Span.End;
        while (pos < end)
        {
            int next = DiffScan.NextLine(s, pos, end);
            if (s[pos] != (byte)'\\')
            {
                spans.Add(SourceSpan.FromBounds(pos, next));
            }

            pos = next;
        }

        return spans.DrainToImmutable();
    }

    /// <summary>The marker of parent <paramref name="parentIndex"/> on the body line starting at <paramref name="lineOffset"/>: <c>' '</c>, <c>'+'</c> or <c>'-'</c>.</summary>
    /// <param name="lineOffset">Offset of a body line in <see cref="Source"/>.</param>
    /// <param name="parentIndex">0-based parent column.</param>
    /// <returns>The marker byte, or <c>' '</c> when the line is shorter than the columns.</returns>
    public byte GetMarker(int lineOffset, int parentIndex)
    {
        ReadOnlySpan<byte> s = Source.Span;
        int i = lineOffset + parentIndex;
        return i < Span.End && s[i] != (byte)'\n' ? s[i] : (byte)' ';
    }

    /// <summary>Value equality: the same source bytes at the same offsets and the same parsed values; caches are ignored.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether both describe the same part of equal input the same way.</returns>
    public bool Equals(DiffCombinedHunk? other) =>
        other is not null && ParentCount == other.ParentCount && NewStart == other.NewStart && NewCount == other.NewCount && LineCount == other.LineCount
        && OldStarts.AsSpan().SequenceEqual(other.OldStarts.AsSpan()) && OldCounts.AsSpan().SequenceEqual(other.OldCounts.AsSpan())
        && HeaderSpan == other.HeaderSpan && SectionSpan == other.SectionSpan && DiffScan.SameBytes(Source, Span, other.Source, other.Span);

    /// <summary>A hash consistent with <see cref="Equals(DiffCombinedHunk?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Span, ParentCount, NewStart, NewCount);

    /// <summary>The exact source bytes of the hunk.</summary>
    /// <returns>The hunk as text.</returns>
    public override string ToString() => DiffScan.Text(Span.Slice(Source.Span));
}
