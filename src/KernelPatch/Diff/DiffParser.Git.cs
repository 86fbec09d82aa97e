using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>The git dialect: <c>diff --git</c> and its extended header lines (git <c>parse_git_diff_header</c>, <c>git_header_name</c>).</summary>
internal ref partial struct DiffParser
{
    private DiffFile ParseGit(int fileStart, int next)
    {
        ReadOnlySpan<byte> rest = Utf8Lines.TrimEol(_s[(fileStart + 11)..next]);
        bool noPrefix = SplitGitHeader(rest, fileStart, out string? defOld, out string? defNew);
        string? minusName = null;
        string? plusName = null;
        string? renameFrom = null;
        string? renameTo = null;
        bool sawMinus = false;
        bool sawPlus = false;
        bool minusNull = false;
        bool plusNull = false;
        int? oldMode = null;
        int? newMode = null;
        int? similarity = null;
        int? dissimilarity = null;
        SourceSpan oldId = default;
        SourceSpan newId = default;
        bool isNew = false;
        bool isDeleted = false;
        bool isCopy = false;
        bool isRename = false;
        bool isBinary = false;
        DiffBinaryPatch? binaryPatch = null;
        int pos = next;
        int headerEnd = -1;
        while (pos < _end)
        {
            int lineEnd = DiffScan.NextLine(_s, pos, _end);
            ReadOnlySpan<byte> t = Utf8Lines.TrimEol(_s[pos..lineEnd]);
            if (t.StartsWith("old mode "u8))
            {
                oldMode = Mode(t[9..], pos);
            }
            else if (t.StartsWith("new mode "u8))
            {
                newMode = Mode(t[9..], pos);
            }
            else if (t.StartsWith("deleted file mode "u8))
            {
                oldMode = Mode(t[18..], pos);
                isDeleted = true;
            }
            else if (t.StartsWith("new file mode "u8))
            {
                newMode = Mode(t[14..], pos);
                isNew = true;
            }
            else if (t.StartsWith("rename from "u8) || t.StartsWith("rename old "u8))
            {
                renameFrom = MakeName(t[(t[7] == (byte)'f' ? 12 : 11)..], false, pos);
                isRename = true;
            }
            else if (t.StartsWith("rename to "u8) || t.StartsWith("rename new "u8))
            {
                renameTo = MakeName(t[(t[7] == (byte)'t' ? 10 : 11)..], false, pos);
                isRename = true;
            }
            else if (t.StartsWith("copy from "u8))
            {
                renameFrom = MakeName(t[10..], false, pos);
                isCopy = true;
            }
            else if (t.StartsWith("copy to "u8))
            {
                renameTo = MakeName(t[8..], false, pos);
                isCopy = true;
            }
            else if (t.StartsWith("similarity index "u8))
            {
                similarity = Percent(t[17..], pos);
            }
            else if (t.StartsWith("dissimilarity index "u8))
            {
                dissimilarity = Percent(t[20..], pos);
            }
            else if (t.StartsWith("index "u8))
            {
                ParseIndexLine(t[6..], pos, ref oldId, ref newId, ref oldMode, ref newMode);
            }
            else if (t.StartsWith("--- "u8))
            {
                minusName = GitName(t[4..], !noPrefix, pos, out minusNull);
                sawMinus = true;
            }
            else if (t.StartsWith("+++ "u8))
            {
                plusName = GitName(t[4..], !noPrefix, pos, out plusNull);
                sawPlus = true;
            }
            else if (t.StartsWith("Binary files "u8))
            {
                isBinary = true;
                headerEnd = pos;
                pos = lineEnd;
                break;
            }
            else if (t.SequenceEqual("GIT binary patch"u8))
            {
                isBinary = true;
                headerEnd = pos;
                binaryPatch = ParseBinary(ref pos);
                break;
            }
            else
            {
                break;
            }

            pos = lineEnd;
        }

        if (headerEnd < 0)
        {
            headerEnd = pos;
        }

        int added = 0;
        int removed = 0;
        var hunks = isBinary ? ImmutableArray<DiffHunk>.Empty : ParseHunks(ref pos, out added, out removed);

        if (minusNull || (isNew && !sawMinus))
        {
            isNew = true;
        }

        if (plusNull || (isDeleted && !sawPlus))
        {
            isDeleted = true;
        }

        if (noPrefix)
        {
            // "diff --git f f" over "--- a/f" and "+++ b/f" (an edited header): the '---'/'+++' names carry the
            // prefixes after all, and git apply strips them (-p1); the names are the header's.
            minusName = StripsTo(minusName, defOld) ? defOld : minusName;
            plusName = StripsTo(plusName, defNew) ? defNew : plusName;
        }

        string? oldPath = renameFrom ?? (sawMinus ? minusName : defOld);
        string? newPath = renameTo ?? (sawPlus ? plusName : defNew);
        if (isNew && !isRename && !isCopy)
        {
            oldPath = null;
            newPath ??= sawMinus ? defNew : defOld;
        }
        else if (isDeleted && !isRename && !isCopy)
        {
            newPath = null;
            oldPath ??= defOld;
        }

        if (oldPath is null && newPath is null)
        {
            _bag.Warning(DiffDiagnosticCodes.BadFileName, "Expected file names in the 'diff --git' line or in '---'/'+++'/'rename' lines, found none that agree.", fileStart);
        }
        else if (oldPath is { Length: 0 } || newPath is { Length: 0 })
        {
            // "diff --git a/ b/": what git diff --relative=DIR writes for DIR itself (a submodule); git apply refuses it.
            _bag.Warning(DiffDiagnosticCodes.BadFileName, "Expected a file name after the 'a/'/'b/' prefix, found an empty name; it is kept empty.", fileStart);
        }

        if ((sawMinus || sawPlus) && hunks.IsEmpty && !isBinary)
        {
            _bag.Warning(DiffDiagnosticCodes.MissingHunks, "Expected a hunk ('@@ -') after the '---'/'+++' lines, found none.", pos);
        }

        DiffFileStatus status = isRename ? DiffFileStatus.Renamed
            : isCopy ? DiffFileStatus.Copied
            : isNew ? DiffFileStatus.Added
            : isDeleted ? DiffFileStatus.Deleted
            : DiffFileStatus.Modified;

        return new DiffFile
        {
            Source = _memory,
            OldPath = oldPath,
            NewPath = newPath,
            Status = status,
            Dialect = DiffDialect.Git,
            OldMode = oldMode,
            NewMode = newMode,
            Similarity = similarity,
            Dissimilarity = dissimilarity,
            OldObjectIdSpan = oldId,
            NewObjectIdSpan = newId,
            IsBinary = isBinary,
            BinaryPatch = binaryPatch,
            Hunks = hunks,
            AddedCount = added,
            RemovedCount = removed,
            Span = SourceSpan.FromBounds(fileStart, pos),
            HeaderSpan = SourceSpan.FromBounds(fileStart, headerEnd),
        };
    }

    /// <summary>Whether <paramref name="name"/> less its first component (<c>a/</c>, <c>b/</c>) is <paramref name="header"/>.</summary>
    private static bool StripsTo(string? name, string? header)
    {
        int slash = name is null || header is null ? -1 : name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && name.AsSpan(slash + 1).SequenceEqual(header);
    }

    // Name of a '---'/'+++' line of a git diff: quoted, or the rest up to a TAB (git adds one after names with spaces).
    private string? GitName(ReadOnlySpan<byte> rest, bool strip, int offset, out bool isDevNull)
    {
        int tab = !rest.IsEmpty && rest[0] == (byte)'"' ? -1 : rest.IndexOf((byte)'\t');
        ReadOnlySpan<byte> name = tab >= 0 ? rest[..tab] : rest;
        isDevNull = name.SequenceEqual("/dev/null"u8);
        return isDevNull ? null : MakeName(name, strip, offset);
    }

    /// <summary>
    /// Splits the names of a <c>diff --git</c> line (git <c>git_header_name</c>): both quoted, one quoted, or both
    /// unquoted with the two names equal once their first component is stripped. Returns true when the line has no
    /// prefixes (its two halves are identical), so names are not stripped.
    /// </summary>
    private bool SplitGitHeader(ReadOnlySpan<byte> rest, int offset, out string? oldName, out string? newName)
    {
        oldName = null;
        newName = null;
        if (rest.IsEmpty)
        {
            return false;
        }

        if (rest[0] == (byte)'"' || rest[^1] == (byte)'"')
        {
            ReadOnlySpan<byte> first;
            ReadOnlySpan<byte> second;
            if (rest[0] == (byte)'"')
            {
                int used = DiffScan.Unquote(rest, null);
                if (used == 0 || used >= rest.Length || rest[used] != (byte)' ')
                {
                    return false;
                }

                first = rest[..used];
                second = rest[(used + 1)..];
            }
            else
            {
                int q = rest.LastIndexOf(" \""u8);
                if (q < 0)
                {
                    return false;
                }

                first = rest[..q];
                second = rest[(q + 1)..];
            }

            bool same = first.SequenceEqual(second);
            oldName = MakeName(first, !same, offset);
            newName = MakeName(second, !same, offset);
            return same;
        }

        int length = rest.Length;
        if ((length & 1) == 1 && rest[length / 2] == (byte)' ' && rest[..(length / 2)].SequenceEqual(rest[(length / 2 + 1)..]))
        {
            oldName = newName = DiffScan.Name(rest[..(length / 2)]);
            return true;
        }

        int firstSlash = rest.IndexOf((byte)'/');
        if (firstSlash < 0)
        {
            return false;
        }

        int slashAfter = -1;
        int comparisons = 0;
        for (int sp = firstSlash + 1; sp < length && comparisons < 16; sp++)
        {
            if (rest[sp] != (byte)' ')
            {
                continue;
            }

            if (slashAfter <= sp)
            {
                int found = rest[(sp + 1)..].IndexOf((byte)'/');
                if (found < 0)
                {
                    break;
                }

                slashAfter = sp + 1 + found;
            }

            ReadOnlySpan<byte> left = rest[(firstSlash + 1)..sp];
            ReadOnlySpan<byte> right = rest[(slashAfter + 1)..];
            if (left.Length == right.Length)
            {
                comparisons++;
                if (left.SequenceEqual(right))
                {
                    oldName = newName = DiffScan.Name(left);
                    return false;
                }
            }
        }

        return false;
    }

    private int? Mode(ReadOnlySpan<byte> value, int offset)
    {
        if (DiffScan.TryParseOctal(value.TrimEnd((byte)' '), out int mode))
        {
            return mode;
        }

        _bag.Warning(DiffDiagnosticCodes.BadHeaderValue, "Expected an octal file mode such as 100644, found '" + DiffScan.Text(value) + "'.", offset);
        return null;
    }

    private int? Percent(ReadOnlySpan<byte> value, int offset)
    {
        int n = DiffScan.ParseDecimal(value, out int percent);
        if (n > 0 && n < value.Length && value[n] == (byte)'%' && percent <= 100)
        {
            return percent;
        }

        _bag.Warning(DiffDiagnosticCodes.BadHeaderValue, "Expected a percentage such as 95%, found '" + DiffScan.Text(value) + "'.", offset);
        return null;
    }

    // value starts at offset + 6 ("index " is 6 bytes); the ids are kept as spans and decoded on first access.
    private void ParseIndexLine(ReadOnlySpan<byte> value, int offset, ref SourceSpan oldId, ref SourceSpan newId, ref int? oldMode, ref int? newMode)
    {
        int dots = value.IndexOf(".."u8);
        if (dots <= 0)
        {
            _bag.Warning(DiffDiagnosticCodes.BadHeaderValue, "Expected 'index <old>..<new> [mode]', found '" + DiffScan.Text(value) + "'.", offset);
            return;
        }

        ReadOnlySpan<byte> rest = value[(dots + 2)..];
        int space = rest.IndexOf((byte)' ');
        int valueOffset = offset + "index "u8.Length;
        oldId = new SourceSpan(valueOffset, dots);
        newId = new SourceSpan(valueOffset + dots + 2, space >= 0 ? space : rest.Length);
        if (space >= 0)
        {
            int? mode = Mode(rest[(space + 1)..], offset);
            oldMode ??= mode;
            newMode ??= mode;
        }
    }
}
