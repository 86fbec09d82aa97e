using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>Hunks of unified diffs (git <c>parse_fragment</c>): counted and validated, never stored line by line.</summary>
internal ref partial struct DiffParser
{
    /// <summary>Reads consecutive hunks from <paramref name="pos"/> (git <c>parse_fragment</c>). Stops after a corrupt hunk.</summary>
    private ImmutableArray<DiffHunk> ParseHunks(ref int pos, out int added, out int removed)
    {
        added = 0;
        removed = 0;
        ImmutableArray<DiffHunk>.Builder? hunks = null;
        while (pos < _end && _s[pos] == (byte)'@' && LineAt(pos).StartsWith("@@ -"u8))
        {
            int headerEnd = DiffScan.NextLine(_s, pos, _end);
            ReadOnlySpan<byte> header = Utf8Lines.TrimEol(_s[pos..headerEnd]);
            if (!TryParseHunkHeader(header, pos, out int oldStart, out int oldCount, out int newStart, out int newCount, out int sectionStart))
            {
                _bag.Error(DiffDiagnosticCodes.BadHunkHeader, "Expected a hunk header '@@ -start[,count] +start[,count] @@', found '" + DiffScan.Text(header.Length > 80 ? header[..80] : header) + "'.", pos);
                _hunksBroken = true;
                return Finish(hunks);
            }

            int oldLeft = oldCount;
            int newLeft = newCount;
            int p = CountBody(_s, headerEnd, _end, ref oldLeft, ref newLeft, out int hunkAdded, out int hunkRemoved, out int lines);
            bool corrupt = oldLeft > 0 || newLeft > 0;
            if (corrupt)
            {
                if (p >= _end)
                {
                    _bag.Error(DiffDiagnosticCodes.CorruptHunk, "Expected " + oldLeft + " more old and " + newLeft + " more new lines in the hunk, found the end of the diff (corrupt patch).", p);
                }
                else
                {
                    int lineEnd = DiffScan.NextLine(_s, p, _end);
                    ReportCorrupt(p, lineEnd, oldLeft, newLeft, IsContext(_s, p, lineEnd) ? (byte)' ' : _s[p]);
                }
            }

            if (!corrupt && p < _end && _s[p] == (byte)'\\')
            {
                p = DiffScan.NextLine(_s, p, _end);
            }

            if (!corrupt && hunkAdded == 0 && hunkRemoved == 0)
            {
                _bag.Error(DiffDiagnosticCodes.CorruptHunk, "Expected an added or removed line in the hunk, found context only: the hunk adds and removes nothing (corrupt patch).", pos);
            }

            hunks ??= Scratch<DiffHunk>.Rent();
            hunks.Add(new DiffHunk
            {
                Source = _memory,
                OldStart = oldStart,
                OldCount = oldCount,
                NewStart = newStart,
                NewCount = newCount,
                AddedCount = hunkAdded,
                RemovedCount = hunkRemoved,
                LineCount = lines,
                Span = SourceSpan.FromBounds(pos, p),
                HeaderSpan = SourceSpan.FromBounds(pos, headerEnd),
                SectionSpan = SourceSpan.FromBounds(sectionStart, pos + header.Length),
            });
            added += hunkAdded;
            removed += hunkRemoved;
            pos = p;
            if (corrupt)
            {
                _hunksBroken = true;
                break;
            }
        }

        return Finish(hunks);
    }

    /// <summary>
    /// Reads a hunk body from <paramref name="p"/> until its counts are used up (git <c>parse_fragment</c>): context
    /// (<c>' '</c>, an empty line, a bare <c>\r\n</c>), removed and added lines, each only while its counts allow it;
    /// <c>\</c> lines are skipped wherever they stand. Returns where it stopped: after the body, or at the line that does
    /// not fit (or the end) with counts left, which the caller reports. A small method of its own: inside
    /// <see cref="ParseHunks"/> the JIT kept the counts and the line cursor on the stack, and the diff stage ran 4–7%
    /// slower.
    /// </summary>
    private static int CountBody(ReadOnlySpan<byte> s, int p, int end, ref int oldLeft, ref int newLeft, out int added, out int removed, out int lines)
    {
        int oldCount = oldLeft;
        int newCount = newLeft;
        int plus = 0;
        int minus = 0;
        int body = 0;
        var cursor = new NewlineCursor(s, end);
        while ((oldCount > 0 || newCount > 0) && p < end)
        {
            int next = cursor.NextLine(p);
            byte c = s[p];
            if (c == (byte)'+')
            {
                if (newCount <= 0)
                {
                    break;
                }

                newCount--;
                plus++;
            }
            else if (c == (byte)'-')
            {
                if (oldCount <= 0)
                {
                    break;
                }

                oldCount--;
                minus++;
            }
            else if (IsContext(s, p, next))
            {
                if (oldCount <= 0 || newCount <= 0)
                {
                    break;
                }

                oldCount--;
                newCount--;
            }
            else if (c == (byte)'\\')
            {
                p = next; // skipped wherever it stands, as git skips it
                continue;
            }
            else
            {
                break;
            }

            body++;
            p = next;
        }

        oldLeft = oldCount;
        newLeft = newCount;
        added = plus;
        removed = minus;
        lines = body;
        return p;
    }

    /// <summary>Whether the line <c>s[p..next)</c> is a context line: it starts with a blank, is empty, or is a bare <c>\r\n</c>.</summary>
    private static bool IsContext(ReadOnlySpan<byte> s, int p, int next)
    {
        byte c = s[p];
        return c == (byte)' ' || c == (byte)'\n' || (c == (byte)'\r' && next - p == 2 && s[p + 1] == (byte)'\n');
    }

    private static ImmutableArray<DiffHunk> Finish(ImmutableArray<DiffHunk>.Builder? hunks) =>
        hunks is null ? ImmutableArray<DiffHunk>.Empty : Scratch<DiffHunk>.ToImmutableAndReturn(hunks);

    private void ReportCorrupt(int p, int lineEnd, int oldLeft, int newLeft, byte c)
    {
        ReadOnlySpan<byte> found = Utf8Lines.TrimEol(_s[p..lineEnd]);
        if (found.Length > 60)
        {
            found = found[..60];
        }

        string what = c switch
        {
            (byte)'-' => "a removed line beyond the old count",
            (byte)'+' => "an added line beyond the new count",
            (byte)' ' or (byte)'\n' or (byte)'\r' => "a context line beyond the counts",
            _ => "a line that is not ' ', '+' or '-'",
        };
        _bag.Error(DiffDiagnosticCodes.CorruptHunk, "Expected " + oldLeft + " more old and " + newLeft + " more new lines in the hunk, found " + what + ": '" + DiffScan.Text(found) + "' (corrupt patch).", p);
    }

    // "@@ -l[,s] +l[,s] @@[ section]" (git parse_fragment_header); the section starts after "@@ ".
    private static bool TryParseHunkHeader(ReadOnlySpan<byte> h, int headerOffset, out int oldStart, out int oldCount, out int newStart, out int newCount, out int sectionStart)
    {
        oldStart = oldCount = newStart = newCount = 0;
        sectionStart = 0;
        int i = 4;
        if (!Range(h, ref i, out oldStart, out oldCount) || i + 1 >= h.Length || h[i] != (byte)' ' || h[i + 1] != (byte)'+')
        {
            return false;
        }

        i += 2;
        if (!Range(h, ref i, out newStart, out newCount) || !h[i..].StartsWith(" @@"u8))
        {
            return false;
        }

        i += 3;
        if (i < h.Length && h[i] == (byte)' ')
        {
            i++;
        }

        sectionStart = headerOffset + i;
        return true;
    }

    private static bool Range(ReadOnlySpan<byte> h, ref int i, out int start, out int count)
    {
        count = 1;
        int n = DiffScan.ParseDecimal(h[i..], out start);
        if (n == 0)
        {
            return false;
        }

        i += n;
        if (i < h.Length && h[i] == (byte)',')
        {
            i++;
            n = DiffScan.ParseDecimal(h[i..], out count);
            if (n == 0)
            {
                return false;
            }

            i += n;
        }

        return i <= h.Length;
    }
}
