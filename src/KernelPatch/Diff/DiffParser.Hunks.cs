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
            int hunkAdded = 0;
            int hunkRemoved = 0;
            int lines = 0;
            int p = headerEnd;
            bool corrupt = false;
            var cursor = new NewlineCursor(_s, _end);
            while (oldLeft > 0 || newLeft > 0)
            {
                if (p >= _end)
                {
                    _bag.Error(DiffDiagnosticCodes.CorruptHunk, "Expected " + oldLeft + " more old and " + newLeft + " more new lines in the hunk, found the end of the diff (corrupt patch).", p);
                    corrupt = true;
                    break;
                }

                int lineEnd = cursor.NextLine(p);
                byte c = _s[p];
                bool context = c == (byte)' ' || c == (byte)'\n' || (c == (byte)'\r' && lineEnd - p == 2 && _s[p + 1] == (byte)'\n');
                bool ok = context ? oldLeft > 0 && newLeft > 0
                    : c == (byte)'-' ? oldLeft > 0
                    : c == (byte)'+' ? newLeft > 0
                    : c == (byte)'\\'; // skipped wherever it stands, as git skips it
                if (!ok)
                {
                    ReportCorrupt(p, lineEnd, oldLeft, newLeft, context ? (byte)' ' : c);
                    corrupt = true;
                    break;
                }

                if (context)
                {
                    oldLeft--;
                    newLeft--;
                    lines++;
                }
                else if (c == (byte)'-')
                {
                    oldLeft--;
                    hunkRemoved++;
                    lines++;
                }
                else if (c == (byte)'+')
                {
                    newLeft--;
                    hunkAdded++;
                    lines++;
                }

                p = lineEnd;
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
