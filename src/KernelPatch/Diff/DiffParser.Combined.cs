using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>Combined diffs of merges (<c>diff --cc</c>, <c>@@@</c> hunks), one marker column per parent.</summary>
internal ref partial struct DiffParser
{
    private DiffFile ParseCombined(int fileStart, int next)
    {
        ReadOnlySpan<byte> line = _s[fileStart..next];
        int skip = line.StartsWith("diff --cc "u8) ? 10 : 16;
        string? name = MakeName(Utf8Lines.TrimEol(line[skip..]), false, fileStart);
        bool isNew = false;
        bool isDeleted = false;
        int pos = next;
        while (pos < _end)
        {
            int lineEnd = DiffScan.NextLine(_s, pos, _end);
            ReadOnlySpan<byte> t = _s[pos..lineEnd];
            if (t.StartsWith("new file mode "u8))
            {
                isNew = true;
            }
            else if (t.StartsWith("deleted file mode "u8))
            {
                isDeleted = true;
            }
            else if (!(t.StartsWith("index "u8) || t.StartsWith("mode "u8) || t.StartsWith("--- "u8) || t.StartsWith("+++ "u8) || t.StartsWith("similarity index "u8)))
            {
                break;
            }

            pos = lineEnd;
        }

        int headerEnd = pos;
        ImmutableArray<DiffCombinedHunk>.Builder? hunks = null;
        while (pos < _end && LineAt(pos).StartsWith("@@@"u8))
        {
            DiffCombinedHunk? hunk = ParseCombinedHunk(ref pos);
            if (hunk is null)
            {
                break;
            }

            hunks ??= ImmutableArray.CreateBuilder<DiffCombinedHunk>();
            hunks.Add(hunk);
        }

        return new DiffFile
        {
            Source = _memory,
            OldPath = isNew ? null : name,
            NewPath = isDeleted ? null : name,
            Status = isNew ? DiffFileStatus.Added : isDeleted ? DiffFileStatus.Deleted : DiffFileStatus.Modified,
            Dialect = DiffDialect.Combined,
            CombinedHunks = hunks is null ? ImmutableArray<DiffCombinedHunk>.Empty : hunks.DrainToImmutable(),
            Span = SourceSpan.FromBounds(fileStart, pos),
            HeaderSpan = SourceSpan.FromBounds(fileStart, headerEnd),
        };
    }

    private const int MaxParents = 32;

    private DiffCombinedHunk? ParseCombinedHunk(ref int pos)
    {
        int headerEnd = DiffScan.NextLine(_s, pos, _end);
        ReadOnlySpan<byte> h = Utf8Lines.TrimEol(_s[pos..headerEnd]);
        int ats = 0;
        while (ats < h.Length && h[ats] == (byte)'@')
        {
            ats++;
        }

        int parents = ats - 1;
        if (parents < 2 || parents > MaxParents)
        {
            _bag.Error(DiffDiagnosticCodes.BadHunkHeader, "Expected a combined hunk header with 3 to " + (MaxParents + 1) + " '@', found " + ats + ".", pos);
            return null;
        }

        Span<int> left = stackalloc int[MaxParents];
        var starts = new int[parents];
        var counts = new int[parents];
        int i = ats;
        bool ok = true;
        for (int k = 0; k < parents && ok; k++)
        {
            ok = i + 1 < h.Length && h[i] == (byte)' ' && h[i + 1] == (byte)'-';
            i += 2;
            ok = ok && Range(h, ref i, out starts[k], out counts[k]);
            left[k] = counts[k];
        }

        int newStart = 0;
        int newCount = 0;
        ok = ok && i + 1 < h.Length && h[i] == (byte)' ' && h[i + 1] == (byte)'+';
        i += 2;
        ok = ok && Range(h, ref i, out newStart, out newCount) && i + ats < h.Length + 1 && h[i..].StartsWith(" "u8) && h[(i + 1)..].StartsWith(h[..ats]);
        if (!ok)
        {
            _bag.Error(DiffDiagnosticCodes.BadHunkHeader, "Expected a combined hunk header '" + new string('@', ats) + " -a,b -c,d +e,f " + new string('@', ats) + "', found '" + DiffScan.Text(h.Length > 80 ? h[..80] : h) + "'.", pos);
            return null;
        }

        i += 1 + ats;
        if (i < h.Length && h[i] == (byte)' ')
        {
            i++;
        }

        int newLeft = newCount;
        int p = headerEnd;
        int lines = 0;
        while (true)
        {
            bool any = newLeft > 0;
            for (int k = 0; k < parents && !any; k++)
            {
                any = left[k] > 0;
            }

            if (!any)
            {
                break;
            }

            if (p >= _end)
            {
                _bag.Error(DiffDiagnosticCodes.CorruptCombinedHunk, "Expected more lines in the combined hunk, found the end of the diff.", p);
                break;
            }

            int lineEnd = DiffScan.NextLine(_s, p, _end);
            ReadOnlySpan<byte> l = _s[p..lineEnd];
            if (l[0] == (byte)'\\')
            {
                p = lineEnd;
                continue;
            }

            // A parent has the line when its column is '-' on a removed line, or ' ' on a line kept in the result.
            bool valid = l.Length > parents;
            bool removed = valid && l[..parents].IndexOf((byte)'-') >= 0;
            for (int k = 0; k < parents && valid; k++)
            {
                byte m = l[k];
                valid = m is (byte)' ' or (byte)'+' or (byte)'-';
                if (valid && (removed ? m == (byte)'-' : m == (byte)' '))
                {
                    valid = left[k] > 0;
                    left[k]--;
                }
            }

            if (valid && !removed)
            {
                valid = newLeft > 0;
                newLeft--;
            }

            if (!valid)
            {
                _bag.Error(DiffDiagnosticCodes.CorruptCombinedHunk, "Expected a combined hunk line with " + parents + " marker columns within the header counts, found '" + DiffScan.Text(Utf8Lines.TrimEol(l.Length > 60 ? l[..60] : l)) + "'.", p);
                break;
            }

            lines++;
            p = lineEnd;
        }

        if (p < _end && _s[p] == (byte)'\\')
        {
            p = DiffScan.NextLine(_s, p, _end);
        }

        int start = pos;
        pos = p;
        return new DiffCombinedHunk
        {
            Source = _memory,
            ParentCount = parents,
            OldStarts = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(starts),
            OldCounts = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(counts),
            NewStart = newStart,
            NewCount = newCount,
            LineCount = lines,
            Span = SourceSpan.FromBounds(start, p),
            HeaderSpan = SourceSpan.FromBounds(start, headerEnd),
            SectionSpan = SourceSpan.FromBounds(start + i, start + h.Length),
        };
    }
}
