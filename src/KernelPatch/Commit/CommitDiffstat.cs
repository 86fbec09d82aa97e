using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>The diffstat a mail declares below <c>---</c> (or in a cover letter): per-file lines, the totals line, and the summary lines after it.</summary>
/// <remarks>It is what the mail says, available even when the diff itself was cut off.</remarks>
public sealed record CommitDiffstat
{
    /// <summary>The per-file lines in order.</summary>
    public ImmutableArray<DiffstatEntry> Files { get; init; } = ImmutableArray<DiffstatEntry>.Empty;

    /// <summary>The <c>N files changed</c> number of the totals line.</summary>
    public int FilesChanged { get; init; }

    /// <summary>The <c>N insertions(+)</c> number of the totals line (0 when absent).</summary>
    public int Insertions { get; init; }

    /// <summary>The <c>N deletions(-)</c> number of the totals line (0 when absent).</summary>
    public int Deletions { get; init; }

    /// <summary>The <c>create mode</c> / <c>delete mode</c> / <c>rename</c> / <c>mode change</c> lines after the totals.</summary>
    public ImmutableArray<DiffstatChange> Changes { get; init; } = ImmutableArray<DiffstatChange>.Empty;

    /// <summary>The span of the totals line.</summary>
    public SourceSpan SummarySpan { get; init; }

    /// <summary>The whole diffstat: first file line to the last summary line.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>Up to this many parsed files, a declared path is matched by a scan instead of a map.</summary>
    private const int LinearMatchLimit = 16;

    /// <summary>The first parsed file whose path (new, else old) is <paramref name="path"/>, or -1.</summary>
    private static int IndexOfPath(ReadOnlySpan<DiffstatTarget> parsed, Dictionary<string, int>? byPath, string path)
    {
        if (byPath is not null)
        {
            return byPath.TryGetValue(path, out int found) ? found : -1;
        }

        for (int i = 0; i < parsed.Length; i++)
        {
            if (string.Equals(parsed[i].NewPath ?? parsed[i].OldPath, path, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The end of the new path a <c>.../</c>-shortened diffstat path shows. When the cut went into a rename's braces
    /// (<c>.../asm/a.h =&gt; kvm/b.h}/x</c> or <c>.../kvm/b.h}/x</c>), that is the new side's visible part and what
    /// follows the brace; otherwise the shown path without the dots.
    /// </summary>
    private static string TailOfNewPath(DiffstatEntry entry)
    {
        string raw = entry.RawPath;
        if (entry.OldPath is null && raw.Length > 3 && raw[^1] == '"')
        {
            return QuotedTail(raw.TrimStart('.'));
        }

        int close = raw.LastIndexOf('}');
        if (close < 0 || raw.LastIndexOf('{', close) >= 0)
        {
            return entry.Path.TrimStart('.');
        }

        int arrow = raw.LastIndexOf(" => ", close, StringComparison.Ordinal);
        int from = arrow >= 0 ? arrow + 4 : 0;
        return (raw[from..close] + raw[(close + 1)..]).TrimStart('.');
    }

    /// <summary>
    /// The end of a C-quoted name the diffstat cut from the left (<c>.../dir/caf\303\251.txt"</c>), decoded. git
    /// cuts the quoted text and then moves to the next <c>/</c> when there is one: from there the text decodes
    /// whole. Without one the cut may fall inside an escape, so only what follows the last escape is kept.
    /// </summary>
    private static string QuotedTail(string shown)
    {
        if (shown.StartsWith('/'))
        {
            byte[] quoted = System.Text.Encoding.UTF8.GetBytes("\"" + shown);
            if (DiffstatParser.TryUnquote(quoted, out string name, out int used) && used == quoted.Length)
            {
                return name;
            }
        }

        int start = 0;
        for (int i = shown.IndexOf('\\'); i >= 0 && i < shown.Length - 1;)
        {
            if (shown[i] == '\\')
            {
                i += char.IsAsciiDigit(shown[i + 1]) ? 4 : 2;
                start = Math.Min(i, shown.Length - 1);
            }
            else
            {
                i++;
            }
        }

        return shown[start..^1];
    }

    /// <summary>What <see cref="IndexOfTail"/> answers once its comparison budget is spent.</summary>
    private const int TailBudgetSpent = -2;

    /// <summary>
    /// The first parsed file from <paramref name="start"/> on (then from the first file) whose path ends with
    /// <paramref name="tail"/>; -1 when none does, <see cref="TailBudgetSpent"/> when <paramref name="budget"/>
    /// comparisons ran out first.
    /// </summary>
    private static int IndexOfTail(ReadOnlySpan<DiffstatTarget> parsed, string tail, int start, ref long budget)
    {
        for (int k = 0; k < parsed.Length; k++)
        {
            if (--budget < 0)
            {
                return TailBudgetSpent;
            }

            int i = (start + k) % parsed.Length;
            string? p = parsed[i].NewPath ?? parsed[i].OldPath;
            if (p is not null && p.EndsWith(tail, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Reports where the declared diffstat disagrees with the parsed diff: file count, total insertions
    /// and deletions, and per file (matched by path; <c>.../</c>-shortened paths by suffix) the change count
    /// and binary flag. A mismatch catches truncated or hand-edited patches.
    /// </summary>
    internal static void CrossCheck(CommitDiffstat declared, ReadOnlySpan<DiffstatTarget> parsed, DiagnosticBag diagnostics)
    {
        int added = 0;
        int removed = 0;
        bool omitted = false;
        // Most patches touch a few files: those are matched by a scan, a map only pays off beyond that
        // (and keeps a patch with thousands of files linear).
        var byPath = parsed.Length > LinearMatchLimit ? new Dictionary<string, int>(parsed.Length, StringComparer.Ordinal) : null;
        for (int i = 0; i < parsed.Length; i++)
        {
            var f = parsed[i];
            added += f.Added;
            removed += f.Removed;
            omitted |= f.ContentOmitted;
            string? key = f.NewPath ?? f.OldPath;
            if (key is not null)
            {
                byPath?.TryAdd(key, i);
            }
        }

        int at = declared.SummarySpan.Offset;
        if (parsed.Length != declared.FilesChanged)
        {
            diagnostics.Warning(CommitDiagnosticCodes.DiffstatDiffMismatch, $"Expected {declared.FilesChanged} files in the diff as the diffstat declares; found {parsed.Length}.", at);
        }

        // With a deletion's content left out (git diff -D), the diff shows fewer deletions than the diffstat counts.
        if (added != declared.Insertions || (omitted ? removed > declared.Deletions : removed != declared.Deletions))
        {
            diagnostics.Warning(CommitDiagnosticCodes.DiffstatDiffMismatch, $"Expected {declared.Insertions} insertions and {declared.Deletions} deletions as the diffstat declares; found {added} and {removed} in the diff.", at);
        }

        // git lists the diffstat in the diff's order, so the file after the last one matched is tried first:
        // that tells apart paths the diffstat cut to the same ".../name" tail, and keeps the search short.
        int next = 0;
        long tailLimit = (4L * (parsed.Length + declared.Files.Length)) + 1024;
        long tailBudget = tailLimit;
        for (int e = 0; e < declared.Files.Length; e++)
        {
            DiffstatEntry entry = declared.Files[e];
            int index;
            if (entry.IsTruncated)
            {
                index = IndexOfTail(parsed, TailOfNewPath(entry), next, ref tailBudget);
                if (index == TailBudgetSpent)
                {
                    // Only input built to defeat the order costs this much: the rest is left unchecked, and said so.
                    diagnostics.Info(CommitDiagnosticCodes.DiffstatCheckIncomplete, $"Expected the diffstat's shortened paths to be found in the diff in its order; stopped looking after {tailLimit} comparisons, and the last {declared.Files.Length - e} diffstat lines are not checked.", entry.Span.Offset);
                    break;
                }
            }
            else
            {
                index = next < parsed.Length && string.Equals(parsed[next].NewPath ?? parsed[next].OldPath, entry.Path, StringComparison.Ordinal)
                    ? next
                    : IndexOfPath(parsed, byPath, entry.Path);
                if (index < 0 && entry.OldPath is not null)
                {
                    index = IndexOfPath(parsed, byPath, entry.OldPath);
                }
            }

            if (index < 0)
            {
                diagnostics.Warning(CommitDiagnosticCodes.DiffstatDiffMismatch, $"Expected a diff for '{entry.RawPath}' as the diffstat declares; found none.", entry.Span.Offset);
                continue;
            }

            next = index + 1;
            var file = parsed[index];

            // A bare "Bin" with no sizes is what git prints for a pure rename or mode change of a binary
            // file: the diff then has no binary patch and no lines.
            bool bareBinaryWithoutContent = entry.IsBinary && entry.OldSize is null && !file.Binary && file.Added + file.Removed == 0;
            bool mismatch = file.ContentOmitted
                ? !entry.IsBinary && (file.Binary || file.Added + file.Removed > entry.Changes) // only the deleted side is unseen
                : (!bareBinaryWithoutContent && file.Binary != entry.IsBinary) || (!entry.IsBinary && file.Added + file.Removed != entry.Changes);
            if (mismatch)
            {
                diagnostics.Warning(CommitDiagnosticCodes.DiffstatDiffMismatch, $"Expected {(entry.IsBinary ? "a binary change" : entry.Changes + " changed lines")} for '{entry.RawPath}' as the diffstat declares; found {(file.Binary ? "a binary change" : (file.Added + file.Removed) + " changed lines")} in the diff.", entry.Span.Offset);
            }
        }
    }
}

/// <summary>
/// One file of a parsed diff as a diffstat line counts it (<see cref="CommitDiffstat.CrossCheck"/>). A type change,
/// which git writes as a deletion and an addition of the same path, is one target with both sides' counts.
/// </summary>
/// <param name="OldPath">The path before the change; null for an added file.</param>
/// <param name="NewPath">The path after the change; null for a deleted file.</param>
/// <param name="Added">Added lines in the diff.</param>
/// <param name="Removed">Removed lines in the diff.</param>
/// <param name="Binary">Whether the diff calls the file binary.</param>
/// <param name="ContentOmitted">A deletion shown without its content (<c>git diff -D</c>, <c>--irreversible-delete</c>): the diffstat still counts the deleted lines or bytes.</param>
internal readonly record struct DiffstatTarget(string? OldPath, string? NewPath, int Added, int Removed, bool Binary, bool ContentOmitted = false);
