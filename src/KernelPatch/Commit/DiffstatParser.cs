using System.Collections.Immutable;
using KernelPatch.Diff;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Finds the first diffstat in a region: a run of <c> path | N +-</c> lines ended by the totals line
/// (<c> 2 files changed, 3 insertions(+), 1 deletion(-)</c>), then the <c>create mode</c>/<c>delete mode</c>/
/// <c>rename</c>/<c>copy</c>/<c>mode change</c>/<c>rewrite</c> lines (git diff.c <c>show_stats</c>,
/// <c>print_stat_summary</c>, <c>diff_summary</c>). Invariant: linear (a byte is searched at most three times).
/// </summary>
internal static class DiffstatParser
{
    /// <summary>Returns the diffstat in <c>b[start..end)</c> or null; <paramref name="statStart"/> is its first byte (relative).</summary>
    /// <remarks>
    /// Only a totals line makes a diffstat, and every totals line holds <c>changed</c>: a vectorised search for that
    /// finds the candidates, and the file lines are the run just above the first totals line, read upwards. A region
    /// without one (a reply, a message with no diffstat) is not read line by line. The result is the one a forward walk
    /// over every line gives: the first totals line, with the unbroken run of file lines before it.
    /// </remarks>
    public static CommitDiffstat? Find(ReadOnlySpan<byte> b, int start, int end, int baseOffset, DiagnosticBag diagnostics, out int statStart)
    {
        statStart = -1;
        int search = start; // a line start: the region's, or the one after a line that was not a totals line
        while (search < end)
        {
            int hit = b[search..end].IndexOf("changed"u8); // not " changed": a blank then a 'd' seven bytes on is all over prose
            if (hit < 0)
            {
                return null;
            }

            int pos = ByteLines.LineStart(b, search, search + hit);
            int le = Math.Min(ByteLines.LineEnd(b, pos, out int next), end);
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            if (TryTotals(line, out int filesChanged, out int insertions, out int deletions))
            {
                var files = Scratch<DiffstatEntry>.Rent();
                int first = RunAbove(b, start, pos, baseOffset, files);
                var changes = Scratch<DiffstatChange>.Rent();
                int last = pos + line.Length;
                int p = next;
                while (p < end)
                {
                    int cle = Math.Min(ByteLines.LineEnd(b, p, out int cnext), end);
                    ReadOnlySpan<byte> cl = ByteLines.Content(b, p, cle);
                    DiffstatChange? change = TryChange(cl, baseOffset + p);
                    if (change is null)
                    {
                        break;
                    }

                    changes.Add(change);
                    last = p + cl.Length;
                    p = cnext;
                }

                var stat = new CommitDiffstat
                {
                    Files = Scratch<DiffstatEntry>.ToImmutableAndReturn(files),
                    FilesChanged = filesChanged,
                    Insertions = insertions,
                    Deletions = deletions,
                    Changes = Scratch<DiffstatChange>.ToImmutableAndReturn(changes),
                    SummarySpan = new SourceSpan(baseOffset + pos, line.Length),
                    Span = SourceSpan.FromBounds(baseOffset + first, baseOffset + last),
                };
                CheckTotals(stat, diagnostics);
                statStart = first;
                return stat;
            }

            search = next;
        }

        return null;
    }

    /// <summary>
    /// Adds to <paramref name="files"/>, in order, the unbroken run of file lines that ends on the line before
    /// <paramref name="totals"/> (none before <paramref name="start"/>), and returns where the run starts
    /// (<paramref name="totals"/> when there is none).
    /// </summary>
    private static int RunAbove(ReadOnlySpan<byte> b, int start, int totals, int baseOffset, ImmutableArray<DiffstatEntry>.Builder files)
    {
        int first = totals;
        while (first > start)
        {
            int le = first - 1; // the '\n' that ends the line above
            int pos = ByteLines.LineStart(b, start, le);
            DiffstatEntry? entry = TryEntry(ByteLines.Content(b, pos, le), baseOffset + pos);
            if (entry is null)
            {
                break;
            }

            files.Add(entry);
            first = pos;
        }

        files.Reverse();
        return first;
    }

    private static void CheckTotals(CommitDiffstat stat, DiagnosticBag diagnostics)
    {
        if (stat.Files.Length == 0)
        {
            return;
        }

        long sum = 0;
        foreach (DiffstatEntry f in stat.Files)
        {
            sum += f.Changes;
        }

        if (stat.Files.Length != stat.FilesChanged || sum != (long)stat.Insertions + stat.Deletions)
        {
            diagnostics.Warning(CommitDiagnosticCodes.DiffstatTotalsMismatch, $"Expected the diffstat totals line to match its {stat.Files.Length} file lines ({sum} changed lines); found {stat.FilesChanged} files, {stat.Insertions} insertions, {stat.Deletions} deletions.", stat.SummarySpan.Offset);
        }
    }

    /// <summary>Reads <c> N file(s) changed[, N insertion(s)(+)][, N deletion(s)(-)]</c>.</summary>
    internal static bool TryTotals(ReadOnlySpan<byte> line, out int files, out int insertions, out int deletions)
    {
        insertions = 0;
        deletions = 0;
        ReadOnlySpan<byte> t = ByteLines.Trim(line);
        int n = ByteLines.Digits(t, out files);
        if (n == 0 || line.Length == 0 || line[0] != (byte)' ')
        {
            return false;
        }

        t = t[n..];
        if (t.StartsWith(" files changed"u8))
        {
            t = t[" files changed"u8.Length..];
        }
        else if (t.StartsWith(" file changed"u8))
        {
            t = t[" file changed"u8.Length..];
        }
        else
        {
            return false;
        }

        while (t.StartsWith(", "u8))
        {
            t = t[2..];
            n = ByteLines.Digits(t, out int count);
            if (n == 0)
            {
                return false;
            }

            t = t[n..];
            if (t.StartsWith(" insertions(+)"u8) || t.StartsWith(" insertion(+)"u8))
            {
                insertions = count;
                t = t[(t.IndexOf((byte)')') + 1)..];
            }
            else if (t.StartsWith(" deletions(-)"u8) || t.StartsWith(" deletion(-)"u8))
            {
                deletions = count;
                t = t[(t.IndexOf((byte)')') + 1)..];
            }
            else
            {
                return false;
            }
        }

        return t.IsEmpty;
    }

    /// <summary>Reads <c> path | 12 +++--</c>, <c> path | Bin 0 -&gt; 1234 bytes</c>, <c> path | Bin</c>.</summary>
    internal static DiffstatEntry? TryEntry(ReadOnlySpan<byte> line, int offset)
    {
        if (line.Length < 4 || line[0] != (byte)' ')
        {
            return null;
        }

        int bar = line.LastIndexOf(" | "u8);
        if (bar < 0)
        {
            return null;
        }

        ReadOnlySpan<byte> path = ByteLines.Trim(line[..bar]);
        ReadOnlySpan<byte> stat = ByteLines.Trim(line[(bar + 3)..]);
        if (path.IsEmpty || stat.IsEmpty)
        {
            return null;
        }

        int changes = 0;
        int plus = 0;
        int minus = 0;
        bool binary = false;
        long? oldSize = null;
        long? newSize = null;
        if (stat.StartsWith("Bin"u8))
        {
            binary = true;
            ReadOnlySpan<byte> rest = ByteLines.Trim(stat[3..]);
            if (!rest.IsEmpty)
            {
                int a = ByteLines.Digits(rest, out int oldValue);
                int arrow = rest.IndexOf(" -> "u8);
                if (a == 0 || arrow != a)
                {
                    return null;
                }

                ReadOnlySpan<byte> after = rest[(arrow + 4)..];
                int bn = ByteLines.Digits(after, out int newValue);
                if (bn == 0 || !after[bn..].SequenceEqual(" bytes"u8))
                {
                    return null;
                }

                oldSize = oldValue;
                newSize = newValue;
            }
        }
        else
        {
            int n = ByteLines.Digits(stat, out changes);
            if (n == 0)
            {
                return null;
            }

            ReadOnlySpan<byte> graph = ByteLines.Trim(stat[n..]);
            foreach (byte c in graph)
            {
                if (c == (byte)'+')
                {
                    plus++;
                }
                else if (c == (byte)'-')
                {
                    minus++;
                }
                else
                {
                    return null;
                }
            }
        }

        string raw = StringPool.Get(path);
        string? oldPath;
        string newPath;
        if (path.IndexOf((byte)'"') < 0 || !TrySplitQuoted(path, out oldPath, out newPath))
        {
            SplitRename(raw, out oldPath, out newPath);
        }

        return new DiffstatEntry
        {
            RawPath = raw,
            Path = newPath,
            OldPath = oldPath,
            IsTruncated = raw.StartsWith("...", StringComparison.Ordinal),
            Changes = changes,
            PlusCount = plus,
            MinusCount = minus,
            IsBinary = binary,
            OldSize = oldSize,
            NewSize = newSize,
            Span = new SourceSpan(offset, line.Length),
        };
    }

    /// <summary>
    /// Reads a name git C-quoted (<c>"caf\303\251.txt"</c>: git quotes a name with a quote, backslash, control
    /// character or, by default, a non-ASCII byte), or a rename of which either side is quoted: git then writes
    /// <c>"a" =&gt; "b"</c>, each side quoted only when it needs it, with no braces. The names are decoded as the
    /// diff's are. False when the text is not quoted that way (a name cut to <c>...</c> by the diffstat's width).
    /// </summary>
    internal static bool TrySplitQuoted(ReadOnlySpan<byte> text, out string? oldPath, out string newPath)
    {
        oldPath = null;
        newPath = string.Empty;
        string first;
        ReadOnlySpan<byte> rest;
        if (text[0] == (byte)'"')
        {
            if (!TryUnquote(text, out first, out int used))
            {
                return false;
            }

            rest = text[used..];
        }
        else
        {
            int arrow = text.IndexOf(" => \""u8);
            if (arrow <= 0)
            {
                return false;
            }

            first = StringPool.Get(text[..arrow]);
            rest = text[arrow..];
        }

        if (rest.IsEmpty)
        {
            newPath = first;
            return true;
        }

        if (!rest.StartsWith(" => "u8) || rest.Length == 4)
        {
            return false;
        }

        rest = rest[4..];
        string second;
        if (rest[0] == (byte)'"')
        {
            if (!TryUnquote(rest, out second, out int used) || used != rest.Length)
            {
                return false;
            }
        }
        else
        {
            second = StringPool.Get(rest);
        }

        oldPath = first;
        newPath = second;
        return true;
    }

    /// <summary>A name written as <c>"..."</c> with git's C escapes, decoded (UTF-8) as the diff's file names are.</summary>
    internal static bool TryUnquote(ReadOnlySpan<byte> text, out string name, out int used)
    {
        var decoded = new List<byte>(text.Length);
        used = DiffScan.Unquote(text, decoded);
        name = used == 0 ? string.Empty : DiffScan.Name(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(decoded));
        return used != 0;
    }

    /// <summary>A summary line's name (<c>create mode 100644 NAME</c>): C-quoted names decoded.</summary>
    private static string SummaryName(ReadOnlySpan<byte> text) =>
        !text.IsEmpty && text[0] == (byte)'"' && TryUnquote(text, out string name, out int used) && used == text.Length ? name : StringPool.Get(text);

    /// <summary>Splits <c>a =&gt; b</c> and <c>dir/{old =&gt; new}/f</c> (git diff.c <c>pprint_rename</c>).</summary>
    internal static void SplitRename(string raw, out string? oldPath, out string newPath)
    {
        int arrow = raw.IndexOf(" => ", StringComparison.Ordinal);
        if (arrow < 0)
        {
            oldPath = null;
            newPath = raw;
            return;
        }

        int open = raw.LastIndexOf('{', arrow);
        int close = raw.IndexOf('}', arrow);
        if (open >= 0 && close > arrow)
        {
            ReadOnlySpan<char> prefix = raw.AsSpan(0, open);
            ReadOnlySpan<char> suffix = raw.AsSpan(close + 1);
            oldPath = Join(prefix, raw.AsSpan(open + 1, arrow - open - 1), suffix);
            newPath = Join(prefix, raw.AsSpan(arrow + 4, close - arrow - 4), suffix);
            return;
        }

        // The diff's own lines name the same paths: shared.
        oldPath = StringPool.Get(raw.AsSpan(0, arrow));
        newPath = StringPool.Get(raw.AsSpan(arrow + 4));
    }

    private static string Join(ReadOnlySpan<char> prefix, ReadOnlySpan<char> middle, ReadOnlySpan<char> suffix)
    {
        if (middle.Length == 0 && prefix.EndsWith('/') && suffix.StartsWith('/'))
        {
            suffix = suffix[1..];
        }

        int length = prefix.Length + middle.Length + suffix.Length;
        if (length > StringPool.MaxLength)
        {
            return string.Concat(prefix, middle, suffix);
        }

        Span<char> joined = stackalloc char[StringPool.MaxLength];
        prefix.CopyTo(joined);
        middle.CopyTo(joined[prefix.Length..]);
        suffix.CopyTo(joined[(prefix.Length + middle.Length)..]);
        return StringPool.Get(joined[..length]);
    }

    /// <summary>Reads a summary line after the totals.</summary>
    internal static DiffstatChange? TryChange(ReadOnlySpan<byte> line, int offset)
    {
        if (line.Length < 2 || line[0] != (byte)' ')
        {
            return null;
        }

        ReadOnlySpan<byte> t = line[1..];
        var span = new SourceSpan(offset, line.Length);
        if (t.StartsWith("create mode "u8) || t.StartsWith("delete mode "u8))
        {
            bool create = t[0] == (byte)'c';
            ReadOnlySpan<byte> rest = t["create mode "u8.Length..];
            int sp = rest.IndexOf((byte)' ');
            if (sp <= 0)
            {
                return null;
            }

            return new DiffstatChange
            {
                Kind = create ? DiffstatChangeKind.Create : DiffstatChangeKind.Delete,
                Mode = StringPool.Get(rest[..sp]),
                Path = SummaryName(rest[(sp + 1)..]),
                Span = span,
            };
        }

        if (t.StartsWith("mode change "u8))
        {
            ReadOnlySpan<byte> rest = t["mode change "u8.Length..];
            int arrow = rest.IndexOf(" => "u8);
            if (arrow <= 0)
            {
                return null;
            }

            ReadOnlySpan<byte> after = rest[(arrow + 4)..];
            int sp = after.IndexOf((byte)' ');
            if (sp <= 0)
            {
                return null;
            }

            return new DiffstatChange
            {
                Kind = DiffstatChangeKind.ModeChange,
                OldMode = StringPool.Get(rest[..arrow]),
                Mode = StringPool.Get(after[..sp]),
                Path = SummaryName(after[(sp + 1)..]),
                Span = span,
            };
        }

        DiffstatChangeKind kind;
        ReadOnlySpan<byte> body;
        if (t.StartsWith("rename "u8))
        {
            kind = DiffstatChangeKind.Rename;
            body = t["rename "u8.Length..];
        }
        else if (t.StartsWith("copy "u8))
        {
            kind = DiffstatChangeKind.Copy;
            body = t["copy "u8.Length..];
        }
        else if (t.StartsWith("rewrite "u8))
        {
            kind = DiffstatChangeKind.Rewrite;
            body = t["rewrite "u8.Length..];
        }
        else
        {
            return null;
        }

        int? similarity = null;
        if (body.Length > 0 && body[^1] == (byte)')')
        {
            int paren = body.LastIndexOf(" ("u8);
            if (paren >= 0 && body[^2] == (byte)'%' && ByteLines.Digits(body[(paren + 2)..], out int sim) > 0)
            {
                similarity = sim;
                body = body[..paren];
            }
        }

        string? oldPath = null;
        string newPath;
        if (kind == DiffstatChangeKind.Rewrite)
        {
            newPath = SummaryName(body);
        }
        else if (body.IsEmpty || body.IndexOf((byte)'"') < 0 || !TrySplitQuoted(body, out oldPath, out newPath))
        {
            SplitRename(StringPool.Get(body), out oldPath, out newPath);
        }

        return new DiffstatChange { Kind = kind, Path = newPath, OldPath = oldPath, Similarity = similarity, Span = span };
    }
}
