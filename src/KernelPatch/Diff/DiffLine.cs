namespace KernelPatch.Diff;

/// <summary>
/// One line of a hunk body: a small value pointing into the source bytes. Lines are never objects:
/// a hunk enumerates them with <see cref="DiffHunk.EnumerateLines"/> or keeps them in one table (<see cref="DiffHunk.Lines"/>).
/// </summary>
/// <remarks>
/// <see cref="Offset"/> and <see cref="Length"/> cover the whole line in the source: the marker
/// (<c>' '</c>, <c>'+'</c>, <c>'-'</c>; none for an empty context line) and the line end (<c>\n</c> or <c>\r\n</c>) included,
/// so the lines of a hunk are contiguous. A following <c>\ No newline at end of file</c> line is not part of
/// the line; it sets <see cref="NoNewlineAtEnd"/>. Use <see cref="DiffHunk.GetText(in DiffLine)"/> for the content.
/// </remarks>
/// <param name="Kind">Context, added or removed.</param>
/// <param name="Offset">Byte position of the line (its marker) in the source.</param>
/// <param name="Length">Bytes of the line, marker and line end included.</param>
/// <param name="OldNumber">1-based line number in the old file; 0 for an added line.</param>
/// <param name="NewNumber">1-based line number in the new file; 0 for a removed line.</param>
/// <param name="NoNewlineAtEnd">Whether a <c>\ No newline at end of file</c> line follows and qualifies this line.</param>
public readonly record struct DiffLine(DiffLineKind Kind, int Offset, int Length, int OldNumber, int NewNumber, bool NoNewlineAtEnd)
{
    /// <summary>Byte position just past the line (exclusive end, after its line end).</summary>
    public int End => Offset + Length;
}
