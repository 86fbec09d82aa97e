using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// The diff parser (git <c>apply.c</c>: <c>find_header</c>, <c>parse_git_diff_header</c>, <c>parse_fragment</c>).
/// </summary>
/// <remarks>
/// Invariants: the cursor only moves forward, one line at a time, so cost is linear in the input; a line is
/// looked at a bounded number of times (once by the file detector, once by the header or hunk reader). Lines
/// are validated and counted but never stored: hunks keep spans, and their line tables are built on demand.
/// Lines that are no file header and no hunk (a preamble, bzr/hg comment lines, a mail signature) belong to
/// no file. A hunk whose body does not match its header counts ends with a KP0501 error at the offending line,
/// and parsing resumes by looking for the next file header from that line.
/// </remarks>
internal ref struct DiffParser
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _s;
    private readonly int _end;
    private readonly DiagnosticBag _bag;

    private DiffParser(ReadOnlyMemory<byte> memory, int end, DiagnosticBag bag)
    {
        _memory = memory;
        _s = memory.Span;
        _end = end;
        _bag = bag;
    }

    public static PatchDiff Parse(ReadOnlyMemory<byte> source, SourceSpan span, DiagnosticBag bag)
    {
        int start = Math.Clamp(span.Offset, 0, source.Length);
        int end = Math.Clamp(span.End, start, source.Length);
        var parser = new DiffParser(source, end, bag);
        return parser.Run(start);
    }

    private PatchDiff Run(int start)
    {
        ImmutableArray<DiffFile>.Builder? files = null;
        int pos = start;
        int preambleEnd = -1;
        int added = 0;
        int removed = 0;
        while (pos < _end)
        {
            int next = DiffScan.NextLine(_s, pos, _end);
            DiffFile? file = TryParseFile(pos, next);
            if (file is not null)
            {
                if (preambleEnd < 0)
                {
                    preambleEnd = file.Span.Offset;
                }

                files ??= ImmutableArray.CreateBuilder<DiffFile>();
                files.Add(file);
                added += file.AddedCount;
                removed += file.RemovedCount;
                pos = Math.Max(file.Span.End, next);
                continue;
            }

            if (files is not null && IsSignature(pos, next))
            {
                break;
            }

            pos = next;
        }

        if (files is null)
        {
            _bag.Info(DiffDiagnosticCodes.NoDiff, "Expected a diff (a 'diff --git', '---'/'+++' or 'Index:' file header), found none.", start);
        }

        return new PatchDiff
        {
            Source = _memory,
            Span = SourceSpan.FromBounds(start, _end),
            Preamble = SourceSpan.FromBounds(start, preambleEnd < 0 ? _end : preambleEnd),
            Files = files is null ? ImmutableArray<DiffFile>.Empty : files.ToImmutable(),
            AddedCount = added,
            RemovedCount = removed,
            Diagnostics = _bag.ToImmutableAndClear(),
        };
    }

    // "-- " alone on a line, followed by a version line (or nothing): the signature git format-patch appends.
    private readonly bool IsSignature(int pos, int next)
    {
        if (!DiffScan.TrimEol(_s[pos..next]).SequenceEqual("-- "u8))
        {
            return false;
        }

        return next >= _end || (uint)(_s[next] - '0') <= 9 || DiffScan.IsBlank(_s[next..DiffScan.NextLine(_s, next, _end)]);
    }

    private readonly ReadOnlySpan<byte> LineAt(int pos) => pos < _end ? _s[pos..DiffScan.NextLine(_s, pos, _end)] : default;

    private DiffFile? TryParseFile(int pos, int next)
    {
        ReadOnlySpan<byte> line = _s[pos..next];
        byte first = line[0];
        if (first == (byte)'d')
        {
            if (line.StartsWith("diff --git "u8))
            {
                return ParseGit(pos, next);
            }

            if (line.StartsWith("diff --cc "u8) || line.StartsWith("diff --combined "u8))
            {
                return ParseCombined(pos, next);
            }

            if (line.StartsWith("diff "u8) && LineAt(next).StartsWith("--- "u8) && LineAt(DiffScan.NextLine(_s, next, _end)).StartsWith("+++ "u8))
            {
                return ParseUnified(pos, next, DiffDialect.Unified, default);
            }

            return null;
        }

        if (first == (byte)'=' && line.StartsWith("=== "u8) && LineAt(next).StartsWith("--- "u8))
        {
            if (LineAt(DiffScan.NextLine(_s, next, _end)).StartsWith("+++ "u8))
            {
                return ParseUnified(pos, next, DiffDialect.Unified, default);
            }

            return null;
        }

        if (first == (byte)'I' && line.StartsWith("Index: "u8) && LineAt(next).StartsWith("===="u8))
        {
            int minus = DiffScan.NextLine(_s, next, _end);
            return ParseUnified(pos, minus, DiffDialect.Index, DiffScan.TrimEol(line[7..]));
        }

        if (first == (byte)'-' && line.StartsWith("--- "u8))
        {
            int plus = next;
            if (LineAt(plus).StartsWith("+++ "u8) && LineAt(DiffScan.NextLine(_s, plus, _end)).StartsWith("@@ -"u8))
            {
                return ParseUnified(pos, pos, DiffDialect.Unified, default);
            }
        }

        return null;
    }

    private DiffFile ParseUnified(int fileStart, int minusLine, DiffDialect dialect, ReadOnlySpan<byte> indexName)
    {
        string? oldPath = null;
        string? newPath = null;
        bool oldNull = false;
        bool newNull = false;
        int pos = minusLine;
        bool hasNames = false;
        if (pos < _end && LineAt(pos).StartsWith("--- "u8) && LineAt(DiffScan.NextLine(_s, pos, _end)).StartsWith("+++ "u8))
        {
            int plus = DiffScan.NextLine(_s, pos, _end);
            int after = DiffScan.NextLine(_s, plus, _end);
            oldPath = TraditionalName(_s[(pos + 4)..plus], dialect != DiffDialect.Index, pos, out oldNull);
            newPath = TraditionalName(_s[(plus + 4)..after], dialect != DiffDialect.Index, plus, out newNull);
            pos = after;
            hasNames = true;
        }

        if (dialect == DiffDialect.Index && !indexName.IsEmpty)
        {
            string name = DiffScan.Text(indexName);
            oldPath = oldNull ? null : name;
            newPath = newNull ? null : name;
        }

        bool isBinary = false;
        if (!hasNames && dialect == DiffDialect.Index && pos < _end && LineAt(pos).StartsWith("Cannot display: file marked as a binary type."u8))
        {
            isBinary = true;
            pos = DiffScan.NextLine(_s, pos, _end);
        }

        int headerEnd = pos;
        var hunks = ParseHunks(ref pos, out int added, out int removed);
        DiffFileStatus status = DiffFileStatus.Modified;
        if (oldNull || (hunks.Length == 1 && hunks[0].OldStart == 0 && hunks[0].OldCount == 0 && !newNull))
        {
            status = DiffFileStatus.Added;
            oldPath = null;
        }
        else if (newNull || (hunks.Length == 1 && hunks[0].NewStart == 0 && hunks[0].NewCount == 0))
        {
            status = DiffFileStatus.Deleted;
            newPath = null;
        }

        if (hasNames && hunks.IsEmpty && !isBinary)
        {
            _bag.Warning(DiffDiagnosticCodes.MissingHunks, "Expected a hunk ('@@ -') after the '---'/'+++' lines, found none.", pos);
        }

        return new DiffFile
        {
            Source = _memory,
            OldPath = oldPath,
            NewPath = newPath,
            Status = status,
            Dialect = dialect,
            IsBinary = isBinary,
            Hunks = hunks,
            AddedCount = added,
            RemovedCount = removed,
            Span = SourceSpan.FromBounds(fileStart, pos),
            HeaderSpan = SourceSpan.FromBounds(fileStart, headerEnd),
        };
    }

    // Name of a '---'/'+++' line of a traditional diff: quoted, or up to a TAB (timestamps follow it), else the trimmed rest.
    private string? TraditionalName(ReadOnlySpan<byte> rest, bool strip, int lineOffset, out bool isDevNull)
    {
        rest = DiffScan.TrimEol(rest);
        int tab = rest.IndexOf((byte)'\t');
        ReadOnlySpan<byte> name = tab >= 0 ? rest[..tab] : rest.TrimEnd((byte)' ');
        isDevNull = name.SequenceEqual("/dev/null"u8);
        if (isDevNull)
        {
            return null;
        }

        return MakeName(name, strip, lineOffset);
    }

    // A name as written (C-quoted or not), with one leading component stripped when asked and present.
    private string? MakeName(ReadOnlySpan<byte> name, bool strip, int offset)
    {
        if (!name.IsEmpty && name[0] == (byte)'"')
        {
            var decoded = new List<byte>(name.Length);
            int used = DiffScan.Unquote(name, decoded);
            if (used == 0)
            {
                _bag.Warning(DiffDiagnosticCodes.BadFileName, "Expected a C-quoted file name closed by '\"', found broken quoting; the name is kept as written.", offset);
            }
            else
            {
                ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(decoded);
                return DiffScan.Text(strip ? StripComponent(bytes) : bytes);
            }
        }

        return DiffScan.Text(strip ? StripComponent(name) : name);
    }

    private static ReadOnlySpan<byte> StripComponent(ReadOnlySpan<byte> name)
    {
        int slash = name.IndexOf((byte)'/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }

    private DiffFile ParseGit(int fileStart, int next)
    {
        ReadOnlySpan<byte> rest = DiffScan.TrimEol(_s[(fileStart + 11)..next]);
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
        string? oldId = null;
        string? newId = null;
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
            ReadOnlySpan<byte> t = DiffScan.TrimEol(_s[pos..lineEnd]);
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

        var hunks = isBinary ? ImmutableArray<DiffHunk>.Empty : ParseHunks(ref pos, out int addedLines, out int removedLines);
        int added = isBinary ? 0 : hunks.IsEmpty ? 0 : SumAdded(hunks);
        int removed = isBinary ? 0 : hunks.IsEmpty ? 0 : SumRemoved(hunks);

        if (minusNull || (isNew && !sawMinus))
        {
            isNew = true;
        }

        if (plusNull || (isDeleted && !sawPlus))
        {
            isDeleted = true;
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
            OldObjectId = oldId,
            NewObjectId = newId,
            IsBinary = isBinary,
            BinaryPatch = binaryPatch,
            Hunks = hunks,
            AddedCount = added,
            RemovedCount = removed,
            Span = SourceSpan.FromBounds(fileStart, pos),
            HeaderSpan = SourceSpan.FromBounds(fileStart, headerEnd),
        };
    }

    private static int SumAdded(ImmutableArray<DiffHunk> hunks)
    {
        int n = 0;
        foreach (DiffHunk h in hunks)
        {
            n += h.AddedCount;
        }

        return n;
    }

    private static int SumRemoved(ImmutableArray<DiffHunk> hunks)
    {
        int n = 0;
        foreach (DiffHunk h in hunks)
        {
            n += h.RemovedCount;
        }

        return n;
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
            oldName = newName = DiffScan.Text(rest[..(length / 2)]);
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
                    oldName = newName = DiffScan.Text(left);
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

    private void ParseIndexLine(ReadOnlySpan<byte> value, int offset, ref string? oldId, ref string? newId, ref int? oldMode, ref int? newMode)
    {
        int dots = value.IndexOf(".."u8);
        if (dots <= 0)
        {
            _bag.Warning(DiffDiagnosticCodes.BadHeaderValue, "Expected 'index <old>..<new> [mode]', found '" + DiffScan.Text(value) + "'.", offset);
            return;
        }

        ReadOnlySpan<byte> rest = value[(dots + 2)..];
        int space = rest.IndexOf((byte)' ');
        oldId = DiffScan.Text(value[..dots]);
        newId = DiffScan.Text(space >= 0 ? rest[..space] : rest);
        if (space >= 0)
        {
            int? mode = Mode(rest[(space + 1)..], offset);
            oldMode ??= mode;
            newMode ??= mode;
        }
    }

    private DiffBinaryPatch? ParseBinary(ref int pos)
    {
        int start = pos;
        int p = DiffScan.NextLine(_s, pos, _end);
        DiffBinaryBlock? forward = ParseBinaryBlock(ref p);
        if (forward is null)
        {
            _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected 'literal <size>' or 'delta <size>' after 'GIT binary patch', found '" + DiffScan.Text(DiffScan.TrimEol(LineAt(p))) + "'.", p);
            pos = p;
            return null;
        }

        DiffBinaryBlock? reverse = null;
        if (p < _end && (LineAt(p).StartsWith("literal "u8) || LineAt(p).StartsWith("delta "u8)))
        {
            reverse = ParseBinaryBlock(ref p);
        }

        pos = p;
        return new DiffBinaryPatch { Forward = forward, Reverse = reverse, Span = SourceSpan.FromBounds(start, p) };
    }

    private DiffBinaryBlock? ParseBinaryBlock(ref int pos)
    {
        if (pos >= _end)
        {
            return null;
        }

        int next = DiffScan.NextLine(_s, pos, _end);
        ReadOnlySpan<byte> t = DiffScan.TrimEol(_s[pos..next]);
        DiffBinaryBlockKind kind;
        ReadOnlySpan<byte> number;
        if (t.StartsWith("literal "u8))
        {
            kind = DiffBinaryBlockKind.Literal;
            number = t[8..];
        }
        else if (t.StartsWith("delta "u8))
        {
            kind = DiffBinaryBlockKind.Delta;
            number = t[6..];
        }
        else
        {
            return null;
        }

        if (DiffScan.ParseDecimal(number, out int size) != number.Length || number.IsEmpty)
        {
            _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected a decimal size after '" + (kind == DiffBinaryBlockKind.Literal ? "literal" : "delta") + "', found '" + DiffScan.Text(number) + "'.", pos);
        }

        int blockStart = pos;
        int dataStart = next;
        int p = next;
        int dataEnd = -1;
        while (p < _end)
        {
            int lineEnd = DiffScan.NextLine(_s, p, _end);
            ReadOnlySpan<byte> line = DiffScan.TrimEol(_s[p..lineEnd]);
            if (line.IsEmpty)
            {
                dataEnd = p;
                p = lineEnd;
                break;
            }

            if (!DiffBase85.IsValidLine(line[1..], DiffBase85.LineByteCount(line[0])))
            {
                _bag.Error(DiffDiagnosticCodes.BadBinaryPatch, "Expected a base85 data line (length character, then 5 characters per 4 bytes) or an empty line ending the binary block, found '" + DiffScan.Text(line.Length > 40 ? line[..40] : line) + "'.", p);
                dataEnd = p;
                break;
            }

            p = lineEnd;
        }

        if (dataEnd < 0)
        {
            _bag.Warning(DiffDiagnosticCodes.BadBinaryPatch, "Expected an empty line ending the binary block, found the end of the diff.", p);
            dataEnd = p;
        }

        pos = p;
        return new DiffBinaryBlock
        {
            Source = _memory,
            Kind = kind,
            Size = size,
            Span = SourceSpan.FromBounds(blockStart, p),
            DataSpan = SourceSpan.FromBounds(dataStart, dataEnd),
        };
    }

    /// <summary>Reads consecutive hunks from <paramref name="pos"/> (git <c>parse_fragment</c>). Stops after a corrupt hunk.</summary>
    private ImmutableArray<DiffHunk> ParseHunks(ref int pos, out int added, out int removed)
    {
        added = 0;
        removed = 0;
        ImmutableArray<DiffHunk>.Builder? hunks = null;
        while (pos < _end && _s[pos] == (byte)'@' && LineAt(pos).StartsWith("@@ -"u8))
        {
            int headerEnd = DiffScan.NextLine(_s, pos, _end);
            ReadOnlySpan<byte> header = DiffScan.TrimEol(_s[pos..headerEnd]);
            if (!TryParseHunkHeader(header, pos, out int oldStart, out int oldCount, out int newStart, out int newCount, out int sectionStart))
            {
                _bag.Error(DiffDiagnosticCodes.BadHunkHeader, "Expected a hunk header '@@ -start[,count] +start[,count] @@', found '" + DiffScan.Text(header.Length > 80 ? header[..80] : header) + "'.", pos);
                return Finish(hunks);
            }

            int oldLeft = oldCount;
            int newLeft = newCount;
            int hunkAdded = 0;
            int hunkRemoved = 0;
            int lines = 0;
            int p = headerEnd;
            bool corrupt = false;
            while (oldLeft > 0 || newLeft > 0)
            {
                if (p >= _end)
                {
                    _bag.Error(DiffDiagnosticCodes.CorruptHunk, "Expected " + oldLeft + " more old and " + newLeft + " more new lines in the hunk, found the end of the diff (corrupt patch).", p);
                    corrupt = true;
                    break;
                }

                int lineEnd = DiffScan.NextLine(_s, p, _end);
                byte c = _s[p];
                bool context = c == (byte)' ' || c == (byte)'\n' || (c == (byte)'\r' && lineEnd - p == 2 && _s[p + 1] == (byte)'\n');
                bool ok = context ? oldLeft > 0 && newLeft > 0
                    : c == (byte)'-' ? oldLeft > 0
                    : c == (byte)'+' ? newLeft > 0
                    : c == (byte)'\\' && lines > 0;
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

            hunks ??= ImmutableArray.CreateBuilder<DiffHunk>();
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
                break;
            }
        }

        return Finish(hunks);
    }

    private static ImmutableArray<DiffHunk> Finish(ImmutableArray<DiffHunk>.Builder? hunks) =>
        hunks is null ? ImmutableArray<DiffHunk>.Empty : hunks.DrainToImmutable();

    private void ReportCorrupt(int p, int lineEnd, int oldLeft, int newLeft, byte c)
    {
        ReadOnlySpan<byte> found = DiffScan.TrimEol(_s[p..lineEnd]);
        if (found.Length > 60)
        {
            found = found[..60];
        }

        string what = c switch
        {
            (byte)'-' => "a removed line beyond the old count",
            (byte)'+' => "an added line beyond the new count",
            (byte)' ' or (byte)'\n' or (byte)'\r' => "a context line beyond the counts",
            (byte)'\\' => "a '\\ No newline' marker before any line",
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

    private DiffFile ParseCombined(int fileStart, int next)
    {
        ReadOnlySpan<byte> line = _s[fileStart..next];
        int skip = line.StartsWith("diff --cc "u8) ? 10 : 16;
        string? name = MakeName(DiffScan.TrimEol(line[skip..]), false, fileStart);
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
        ReadOnlySpan<byte> h = DiffScan.TrimEol(_s[pos..headerEnd]);
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
                _bag.Error(DiffDiagnosticCodes.CorruptCombinedHunk, "Expected a combined hunk line with " + parents + " marker columns within the header counts, found '" + DiffScan.Text(DiffScan.TrimEol(l.Length > 60 ? l[..60] : l)) + "'.", p);
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
