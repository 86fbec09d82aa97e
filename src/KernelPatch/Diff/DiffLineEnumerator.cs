using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// Walks the lines of one hunk body without allocating: use it in <c>foreach</c> through
/// <see cref="DiffHunk.EnumerateLines"/>. <c>\ No newline at end of file</c> lines are not yielded;
/// they set <see cref="DiffLine.NoNewlineAtEnd"/> on the line before them.
/// </summary>
public ref struct DiffLineEnumerator
{
    private readonly ReadOnlySpan<byte> _source;
    private readonly int _end;
    private int _position;
    private int _oldNumber;
    private int _newNumber;
    private DiffLine _current;
    private NewlineCursor _cursor;

    internal DiffLineEnumerator(ReadOnlySpan<byte> source, int start, int end, int oldStart, int newStart)
    {
        _source = source;
        _position = start;
        _end = end;
        _oldNumber = oldStart;
        _newNumber = newStart;
        _current = default;
        _cursor = new NewlineCursor(source, end);
    }

    /// <summary>The line at the current position.</summary>
    public readonly DiffLine Current => _current;

    /// <summary>Returns this enumerator (for <c>foreach</c>).</summary>
    public readonly DiffLineEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next line of the hunk body.</summary>
    /// <returns>False when the body is exhausted.</returns>
    public bool MoveNext()
    {
        while (_position < _end)
        {
            int start = _position;
            int next = _cursor.NextLine(start);
            _position = next;
            byte first = _source[start];
            if (first == (byte)'\\')
            {
                continue;
            }

            bool noNewline = next < _end && _source[next] == (byte)'\\';
            switch (first)
            {
                case (byte)'+':
                    _current = new DiffLine(DiffLineKind.Added, start, next - start, 0, _newNumber++, noNewline);
                    break;
                case (byte)'-':
                    _current = new DiffLine(DiffLineKind.Removed, start, next - start, _oldNumber++, 0, noNewline);
                    break;
                default:
                    _current = new DiffLine(DiffLineKind.Context, start, next - start, _oldNumber++, _newNumber++, noNewline);
                    break;
            }

            return true;
        }

        return false;
    }
}
