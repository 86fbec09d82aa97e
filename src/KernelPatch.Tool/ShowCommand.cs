using System.Globalization;
using KernelPatch.Series;

namespace KernelPatch.Tool;

/// <summary><c>kernelpatch show</c>: a readable tree of every series in the input.</summary>
internal static class ShowCommand
{
    /// <summary>At most this many other revisions are named on a series' "other revisions" line.</summary>
    internal const int MaxRevisionsListed = 10;

    public static int Run(PatchMailbox mailbox, bool explain, TextWriter o)
    {
        var why = explain ? DecisionsByMessage(mailbox) : null;
        if (mailbox.Series.IsEmpty)
        {
            o.WriteLine($"no series: {mailbox.Messages.Length} message(s)");
            foreach (var m in mailbox.Messages)
            {
                o.WriteLine($"  #{m.Index} {m.Mail?.Subject ?? "(bare diff)"}  {Who(m.Author)}  {When(m.Date)}");
            }
        }

        foreach (var submission in mailbox.Submissions)
        {
            foreach (var s in submission.Revisions)
            {
                WriteSeries(o, s, submission, why);
            }
        }

        int errors = 0;
        foreach (var m in mailbox.Messages)
        {
            foreach (var d in m.Diagnostics)
            {
                errors += d.Severity == PatchDiagnosticSeverity.Error ? 1 : 0;
            }
        }

        if (errors > 0 || !mailbox.Diagnostics.IsEmpty)
        {
            o.WriteLine($"diagnostics: {errors} error(s) in messages; {mailbox.Diagnostics.Length} about the mailbox");
            foreach (var d in mailbox.Diagnostics)
            {
                o.WriteLine($"  {d}");
            }
        }

        return CommandLine.ExitOk;
    }

    private static void WriteSeries(TextWriter o, PatchSeries s, PatchSubmission submission, List<SeriesDecision>?[]? why)
    {
        string flags = (s.IsRfc ? " RFC" : "") + (s.IsResend ? " RESEND" : "");
        o.WriteLine($"{s.Title}");
        o.WriteLine($"  v{s.Version}{flags}, {s.Patches.Length}/{s.Total} patches{(s.IsComplete ? "" : ", incomplete")}, by {Who(s.Author)}, {When(s.Date)}");
        if (s.BaseCommit is not null)
        {
            o.WriteLine($"  base-commit: {s.BaseCommit}");
        }

        if (s.CoverLetter is { } cover)
        {
            // A partial re-roll takes the cover letter of the revision it completes from, when it has none of its own.
            o.WriteLine($"  [0/{s.Total}] cover letter: {cover.Title}{(s.CoverLetterFromVersion is int from ? $"  (from v{from})" : "")}");
            if (cover.Commit?.Diffstat is { } stat)
            {
                var sum = s.CombinedDiffstat;
                o.WriteLine($"        declared: {Files(stat.FilesChanged)}, +{stat.Insertions} -{stat.Deletions}; the patches present: {Files(sum.Files)}, +{sum.Insertions} -{sum.Deletions}");
            }

            Explain(o, cover, why);
        }
        else
        {
            o.WriteLine("  (no cover letter)");
        }

        int next = 0;
        int end = Math.Max(s.Total, s.Patches.IsEmpty ? 0 : s.Patches[^1].Number);
        for (int n = 1; n > 0 && n <= end; n++) // n > 0: after a run that ends at int.MaxValue, n++ wraps
        {
            SeriesPatch? patch = next < s.Patches.Length && s.Patches[next].Number == n ? s.Patches[next++] : null;
            if (patch is null)
            {
                // Collapse a run of missing patches into one line: "[3-5/5] MISSING". The run ends before the
                // next present patch or at the total, whichever is first (a subject may claim two billion).
                int runEnd = next < s.Patches.Length ? s.Patches[next].Number - 1 : s.Total;
                int last = Math.Max(n, Math.Min(runEnd, s.Total));
                o.WriteLine(last == n ? $"  [{n}/{s.Total}] MISSING" : $"  [{n}-{last}/{s.Total}] MISSING");
                n = last;
                continue;
            }

            var m = patch.Message;
            o.WriteLine($"  [{n}/{s.Total}] {m.Title}{(patch.FromVersion is int from ? $"  (from v{from}: a partial re-roll)" : "")}");
            o.WriteLine($"        author: {Who(m.Author)}, {When(m.Date)}");
            foreach (var f in m.Files)
            {
                string path = f.OldPath is not null && f.NewPath is not null && f.OldPath != f.NewPath ? $"{f.OldPath} => {f.NewPath}" : f.NewPath ?? f.OldPath ?? "?";
                string counts = f.IsBinary ? "binary" : $"+{f.AddedCount} -{f.RemovedCount}";
                o.WriteLine($"        {path} ({Status(f.Status)}) {counts}");
            }

            if (m.Diff is null && m.Commit?.Diffstat is { } declared)
            {
                o.WriteLine($"        (diff absent) declared: {Files(declared.FilesChanged)}, +{declared.Insertions} -{declared.Deletions}");
            }

            foreach (var t in m.Trailers)
            {
                o.WriteLine($"        {t.Key}: {t.Value}");
            }

            foreach (var t in patch.FollowUpTrailers)
            {
                // Neither this patch's nor the cover letter's: written for the same patch (same patch-id) in another revision.
                bool carried = t.TargetIndex != m.Index && t.TargetIndex != s.CoverLetter?.Index;
                o.WriteLine(carried
                    ? $"        {t.Key}: {t.Value}  (follow-up, from reply #{t.FromReplyIndex} to message #{t.TargetIndex}, the same patch in another revision)"
                    : $"        {t.Key}: {t.Value}  (follow-up, from reply #{t.FromReplyIndex})");
                if (t.Note is { } note)
                {
                    o.WriteLine($"        {note.Trim()}");
                }
            }

            Explain(o, m, why);
        }

        if (!s.Replies.IsEmpty)
        {
            o.WriteLine($"  replies: {s.Replies.Length}");
            foreach (var r in s.Replies)
            {
                o.WriteLine($"    #{r.Index} {Who(r.Mail?.Sender)}: {r.Mail?.Subject}");
                Explain(o, r, why);
            }
        }

        if (submission.Revisions.Length > 1)
        {
            o.WriteLine($"  other revisions in this input: {string.Join(", ", VersionList(s, submission))}");
        }

        o.WriteLine();
    }

    private static IEnumerable<string> VersionList(PatchSeries s, PatchSubmission submission)
    {
        // Named up to a limit, from the submission's one list: thousands of copies of one patch are thousands
        // of revisions, and a list of all the others under each (or each revision's OlderRevisions, made per
        // revision) would make the output and the work grow with their square.
        int named = 0;
        foreach (var other in submission.Revisions)
        {
            if (named == MaxRevisionsListed)
            {
                break;
            }

            if (!ReferenceEquals(other, s))
            {
                named++;
                yield return "v" + other.Version.ToString(CultureInfo.InvariantCulture) + (other.IsResend ? " RESEND" : "");
            }
        }

        int others = submission.Revisions.Length - 1;
        if (others > MaxRevisionsListed)
        {
            yield return "and " + (others - MaxRevisionsListed).ToString(CultureInfo.InvariantCulture) + " more";
        }
    }

    /// <summary>The series decisions grouped by message, in one pass (a scan of every decision per message would be quadratic).</summary>
    private static List<SeriesDecision>?[] DecisionsByMessage(PatchMailbox mailbox)
    {
        var byMessage = new List<SeriesDecision>?[mailbox.Messages.Length];
        foreach (SeriesDecision d in mailbox.Decisions)
        {
            if ((uint)d.MessageIndex < (uint)byMessage.Length)
            {
                (byMessage[d.MessageIndex] ??= []).Add(d);
            }
        }

        return byMessage;
    }

    private static void Explain(TextWriter o, PatchMessage m, List<SeriesDecision>?[]? why)
    {
        if (why is null || (uint)m.Index >= (uint)why.Length || why[m.Index] is not { } decisions)
        {
            return;
        }

        foreach (SeriesDecision d in decisions)
        {
            o.WriteLine($"        why: {d.Kind}: {d.Reason}");
        }
    }

    private static string Files(int n) => n == 1 ? "1 file" : n.ToString(CultureInfo.InvariantCulture) + " files";

    private static string Status(Diff.DiffFileStatus status) => MessageJson.StatusName(status);

    private static string Who(Mail.MailIdentity? who) => who?.ToString() ?? "(unknown)";

    private static string When(DateTimeOffset? date) => date is { } d ? MessageJson.FormatDate(d) : "(no date)";
}
