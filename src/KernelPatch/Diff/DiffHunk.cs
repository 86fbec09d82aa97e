using System.Collections.Immutable;
using System.Runtime.InteropServices;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// One hunk of a unified diff: the header <c>@@ -OldStart,OldCount +NewStart,NewCount @@ Section</c> and its body lines.
/// </summary>
/// <remarks>
/// Counts omitted in the header are 1 (<c>@@ -3 +3 @@</c>). A side with count 0 has start equal to the line
/// <em>after which</em> the change goes (git's convention), so <c>@@ -0,0 +1 @@</c> creates a file.
/// The lines are not stored while parsing: <see cref="EnumerateLines"/> walks them without allocating, and
/// <see cref="Lines"/> builds one table of <see cref="DiffLine"/> values on first access and caches it.
/// </remarks>
public sealed record DiffHunk
{
    private string? _section;
    private DiffLine[]? _lines;

    /// <summary>The whole input the spans refer to.</summary>
    public ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>1-based first line of the old side (0 for an empty old side at the start of the file).</summary>
    public int OldStart { get; init; }

    /// <summary>Number of old-side lines (context and removed).</summary>
    public int OldCount { get; init; }

    /// <summary>1-based first line of the new side (0 for an empty new side at the start of the file).</summary>
    public int NewStart { get; init; }

    /// <summary>Number of new-side lines (context and added).</summary>
    public int NewCount { get; init; }

    /// <summary>Number of added lines in the body.</summary>
    public int AddedCount { get; init; }

    /// <summary>Number of removed lines in the body.</summary>
    public int RemovedCount { get; init; }

    /// <summary>Number of body lines (context, added, removed), not counting <c>\ No newline</c> markers.</summary>
    public int LineCount { get; init; }

    /// <summary>The hunk: header line, body lines and any <c>\ No newline at end of file</c> marker.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The <c>@@ ... @@</c> header line, line end included.</summary>
    public SourceSpan HeaderSpan { get; init; }

    /// <summary>The section heading bytes after the closing <c>@@ </c> (without line end); empty when none.</summary>
    public SourceSpan SectionSpan { get; init; }

    /// <summary>The section heading (the function name git prints after <c>@@</c>), decoded on first access; empty when none.</summary>
    public string Section => _section ??= DiffScan.Text(SectionSpan.Slice(Source.Span));

    /// <summary>The body lines as one table, built on first access and cached. Prefer <see cref="EnumerateLines"/> to avoid the table.</summary>
    public ImmutableArray<DiffLine> Lines
    {
        get
        {
            if (_lines is null)
            {
                var table = new DiffLine[LineCount];
                int i = 0;
                foreach (DiffLine line in EnumerateLines())
                {
                    if (i == table.Length)
                    {
                        break;
                    }

                    table[i++] = line;
                }

                _lines = i == table.Length ? table : table[..i];
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(_lines);
        }
    }

    /// <summary>Walks the body lines with their kinds and line numbers, without allocating.</summary>
    /// <returns>An enumerator for <c>foreach</c>.</returns>
    public DiffLineEnumerator EnumerateLines() =>
        new(Source.Span, HeaderSpan.End, Span.End, OldStart == 0 ? 1 : OldStart, NewStart == 0 ? 1 : NewStart);

    /// <summary>The content of <paramref name="line"/>: without its marker and without the final <c>\n</c> (a <c>\r</c> before it is content, as in git).</summary>
    /// <param name="line">A line of this hunk.</param>
    /// <returns>The bytes in <see cref="Source"/>.</returns>
    public ReadOnlySpan<byte> GetBytes(in DiffLine line)
    {
        ReadOnlySpan<byte> s = Source.Span.Slice(line.Offset, line.Length);
        if (s.Length > 0 && (s[0] == (byte)' ' || s[0] == (byte)'+' || s[0] == (byte)'-'))
        {
            s = s[1..];
        }

        if (s.Length > 0 && s[^1] == (byte)'\n')
        {
            s = s[..^1];
        }

        return s;
    }

    /// <summary>The content of <paramref name="line"/> as a string (see <see cref="GetBytes(in DiffLine)"/>); allocates.</summary>
    /// <param name="line">A line of this hunk.</param>
    /// <returns>The decoded content.</returns>
    public string GetText(in DiffLine line) => DiffScan.Text(GetBytes(line));

    /// <summary>Value equality: the same source bytes at the same offsets and the same parsed values; caches are ignored.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether both describe the same part of equal input the same way.</returns>
    public bool Equals(DiffHunk? other) =>
        other is not null && OldStart == other.OldStart && OldCount == other.OldCount && NewStart == other.NewStart && NewCount == other.NewCount
        && AddedCount == other.AddedCount && RemovedCount == other.RemovedCount && LineCount == other.LineCount
        && HeaderSpan == other.HeaderSpan && SectionSpan == other.SectionSpan && DiffScan.SameBytes(Source, Span, other.Source, other.Span);

    /// <summary>A hash consistent with <see cref="Equals(DiffHunk?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Span, OldStart, OldCount, NewStart, NewCount);

    /// <summary>The exact source bytes of the hunk.</summary>
    /// <returns>The hunk as text.</returns>
    public override string ToString() => DiffScan.Text(Span.Slice(Source.Span));
}
