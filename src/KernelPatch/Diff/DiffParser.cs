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
internal ref partial struct DiffParser
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _s;
    private readonly int _end;
    private readonly DiagnosticBag _bag;

    /// <summary>
    /// Whether '---'/'+++' names of a traditional diff lose their first component: unknown (-1) until a file's names
    /// settle it for the rest of the patch, as git apply's <c>guess_p_value</c> does (a name with no '/' means -p0).
    /// </summary>
    private int _traditionalStrip;

    // The hunks of the last file stopped at an error (a corrupt hunk or an unreadable header): the hunk headers after
    // it are that file's, already reported, not hunks without a file.
    private bool _hunksBroken;

    private DiffParser(ReadOnlyMemory<byte> memory, int end, DiagnosticBag bag)
    {
        _memory = memory;
        _s = memory.Span;
        _end = end;
        _bag = bag;
        _traditionalStrip = -1;
    }

    public static PatchDiff Parse(ReadOnlyMemory<byte> source, SourceSpan span, DiagnosticBag bag, int patchIdEnd = -1)
    {
        int start = Math.Clamp(span.Offset, 0, source.Length);
        int end = Math.Clamp(span.End, start, source.Length);
        var parser = new DiffParser(source, end, bag);
        var diff = parser.Run(start);
        if (patchIdEnd > end)
        {
            diff.PatchIdEnd = Math.Min(patchIdEnd, source.Length);
        }

        return diff;
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
            bool brokenBefore = _hunksBroken;
            _hunksBroken = false;
            DiffFile? file = TryParseFile(pos, next);
            if (file is null)
            {
                _hunksBroken = brokenBefore;
            }
            else
            {
                if (preambleEnd < 0)
                {
                    preambleEnd = file.Span.Offset;
                }

                files ??= Scratch<DiffFile>.Rent();
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

            if (!_hunksBroken && _s[pos] == (byte)'@' && IsHunkHeader(pos, next))
            {
                // git apply stops here: a hunk belongs to the file header above it, and text has ended that file
                _bag.Error(DiffDiagnosticCodes.OrphanHunk, "Expected a file header before this hunk, found it after text that ended the file above (git apply: patch fragment without header); the hunk belongs to no file.", pos);
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
            Files = files is null ? ImmutableArray<DiffFile>.Empty : Scratch<DiffFile>.ToImmutableAndReturn(files),
            AddedCount = added,
            RemovedCount = removed,
            Diagnostics = _bag.ToImmutableAndClear(),
        };
    }

    private readonly bool IsHunkHeader(int pos, int next)
    {
        ReadOnlySpan<byte> line = Utf8Lines.TrimEol(_s[pos..next]);
        return line.StartsWith("@@ -"u8) && TryParseHunkHeader(line, pos, out _, out _, out _, out _, out _);
    }

    // "-- " alone on a line, followed by a version line (or nothing): the signature git format-patch appends.
    private readonly bool IsSignature(int pos, int next)
    {
        if (!Utf8Lines.TrimEol(_s[pos..next]).SequenceEqual("-- "u8))
        {
            return false;
        }

        return next >= _end || (uint)(_s[next] - '0') <= 9 || DiffScan.IsBlank(_s[next..DiffScan.NextLine(_s, next, _end)]);
    }

    /// <summary>At most this many git extended header lines are looked past between a plain <c>diff</c> line and its <c>---</c>.</summary>
    private const int MaxExtendedLines = 6;

    private static bool IsExtendedHeaderLine(ReadOnlySpan<byte> line) =>
        line.StartsWith("index "u8) || line.StartsWith("new file mode "u8) || line.StartsWith("deleted file mode "u8)
        || line.StartsWith("old mode "u8) || line.StartsWith("new mode "u8) || line.StartsWith("similarity index "u8)
        || line.StartsWith("dissimilarity index "u8);

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

            if (line.StartsWith("diff "u8))
            {
                // "diff -r -u a b", then a few git extended header lines ("new file mode 100644", "index 1a2b..3c4d",
                // as a git diff edited into this form keeps them), then "---"/"+++": the file starts at the "diff"
                // line, which git patch-id hashes; git apply reads only the '---'/'+++' names of such a diff.
                int minus = next;
                for (int n = 0; n < MaxExtendedLines && IsExtendedHeaderLine(LineAt(minus)); n++)
                {
                    minus = DiffScan.NextLine(_s, minus, _end);
                }

                if (LineAt(minus).StartsWith("--- "u8) && LineAt(DiffScan.NextLine(_s, minus, _end)).StartsWith("+++ "u8))
                {
                    return ParseUnified(pos, minus, DiffDialect.Unified, default);
                }
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
            return ParseUnified(pos, minus, DiffDialect.Index, Utf8Lines.TrimEol(line[7..]));
        }

        if (first == (byte)'B' && line.StartsWith("Binary files "u8) && Utf8Lines.TrimEol(line).EndsWith(" differ"u8))
        {
            return ParseBinaryFilesLine(pos, next);
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
            bool strip = dialect != DiffDialect.Index && StripsTraditionalNames(_s[(pos + 4)..plus], _s[(plus + 4)..after]);
            oldPath = TraditionalName(_s[(pos + 4)..plus], strip, pos, out oldNull);
            newPath = TraditionalName(_s[(plus + 4)..after], strip, plus, out newNull);
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

    // "Binary files A and B differ" on its own (GNU diff -r, debdiff): a binary file of a traditional diff.
    // Null when the line names no file on either side ("Binary files differ": prefix and suffix overlap).
    private DiffFile? ParseBinaryFilesLine(int pos, int next)
    {
        ReadOnlySpan<byte> line = Utf8Lines.TrimEol(_s[pos..next]);
        const int Prefix = 13, Suffix = 7; // "Binary files ", " differ"
        if (line.Length <= Prefix + Suffix)
        {
            return null;
        }

        // The names are written as they are (a tab or quote is part of them, no timestamp follows). Of the " and "s
        // in a line, the one with the same name on both sides past the first component splits it ("a/x and y.bin and
        // b/x and y.bin"), else the first. At most 16 are tried, so a hostile line stays linear.
        ReadOnlySpan<byte> names = line[Prefix..^Suffix];
        int and = names.IndexOf(" and "u8);
        for (int at = and, tried = 0; at >= 0 && tried < 16; tried++)
        {
            if (StripComponent(names[..at]).SequenceEqual(StripComponent(names[(at + 5)..])))
            {
                and = at;
                break;
            }

            int further = names[(at + 1)..].IndexOf(" and "u8);
            at = further < 0 ? -1 : at + 1 + further;
        }

        ReadOnlySpan<byte> oldName = and >= 0 ? names[..and] : names;
        ReadOnlySpan<byte> newName = and >= 0 ? names[(and + 5)..] : names;
        if (oldName.Trim((byte)' ').IsEmpty || newName.Trim((byte)' ').IsEmpty)
        {
            return null;
        }

        bool oldNull = oldName.SequenceEqual("/dev/null"u8);
        bool newNull = newName.SequenceEqual("/dev/null"u8);
        string? oldPath = oldNull ? null : MakeName(oldName, true, pos);
        string? newPath = newNull ? null : MakeName(newName, true, pos);
        return new DiffFile
        {
            Source = _memory,
            OldPath = oldPath,
            NewPath = newPath,
            Status = oldNull ? DiffFileStatus.Added : newNull ? DiffFileStatus.Deleted : DiffFileStatus.Modified,
            Dialect = DiffDialect.Unified,
            IsBinary = true,
            Span = SourceSpan.FromBounds(pos, next),
            HeaderSpan = SourceSpan.FromBounds(pos, next),
        };
    }

    /// <summary>
    /// git apply strips one component (-p1) unless the patch's first traditional file that settles it says otherwise:
    /// both names (or the one that is not <c>/dev/null</c>) without a '/', as in <c>--- configure.in</c>, mean -p0 for
    /// that file and every later one (git <c>guess_p_value</c>; a name with a '/' settles nothing).
    /// </summary>
    private bool StripsTraditionalNames(ReadOnlySpan<byte> minusRest, ReadOnlySpan<byte> plusRest)
    {
        if (_traditionalStrip < 0)
        {
            int p = GuessStrip(minusRest);
            int q = GuessStrip(plusRest);
            if (p < 0)
            {
                p = q;
            }

            if (p >= 0 && p == q)
            {
                _traditionalStrip = p;
            }
        }

        return _traditionalStrip != 0;
    }

    // 0 for a name with no '/', -1 (no guess) for /dev/null and any name with a '/'.
    private static int GuessStrip(ReadOnlySpan<byte> rest)
    {
        rest = Utf8Lines.TrimEol(rest);
        int tab = rest.IndexOf((byte)'\t');
        ReadOnlySpan<byte> name = tab >= 0 ? rest[..tab] : rest.TrimEnd((byte)' ');
        return name.IsEmpty || name.SequenceEqual("/dev/null"u8) || name.Contains((byte)'/') ? -1 : 0;
    }

    // Name of a '---'/'+++' line of a traditional diff: quoted, or up to a TAB (timestamps follow it), else the trimmed rest.
    private string? TraditionalName(ReadOnlySpan<byte> rest, bool strip, int lineOffset, out bool isDevNull)
    {
        rest = Utf8Lines.TrimEol(rest);
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
                return DiffScan.Name(strip ? StripComponent(bytes) : bytes);
            }
        }

        return DiffScan.Name(strip ? StripComponent(name) : name);
    }

    private static ReadOnlySpan<byte> StripComponent(ReadOnlySpan<byte> name)
    {
        int slash = name.IndexOf((byte)'/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }
}
