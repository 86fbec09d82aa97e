using KernelPatch.Diff;

namespace KernelPatch.Benchmarks;

/// <summary>
/// The end-to-end work a user does: parse the mailbox and visit every header, trailer, file, hunk
/// and line, so lazy work is not mistaken for speed. Returns a checksum so nothing is optimised away.
/// </summary>
internal static class EndToEnd
{
    public static long VisitAll(byte[] input) => Visit(PatchMailbox.Parse(input));

    public static long Visit(PatchMailbox mailbox)
    {
        long sum = mailbox.Series.Length;
        foreach (var m in mailbox.Messages)
        {
            sum += VisitMessage(m);
        }

        return sum;
    }

    public static long VisitMessage(PatchMessage m)
    {
        long sum = m.Span.Length + m.Diagnostics.Length;
        if (m.Mail is { } mail)
        {
            foreach (var h in mail.Headers)
            {
                sum += h.Span.Length + h.RawValue.Length;
            }

            sum += mail.Subject.Length + (mail.MessageId?.Length ?? 0) + mail.References.Length + (mail.Date?.Offset.Minutes ?? 0);
            sum += mail.Sender?.Email.Length ?? 0;
        }

        if (m.Commit is { } commit)
        {
            sum += commit.Title.Length + commit.RawBody.Length + (commit.Author?.Name.Length ?? 0);
            foreach (var t in commit.Trailers)
            {
                sum += t.Key.Length + t.Value.Length + (t.Person?.Email.Length ?? 0);
            }

            if (commit.Diffstat is { } stat)
            {
                sum += stat.Files.Length + stat.Insertions + stat.Deletions;
            }
        }

        if (m.Diff is { } diff)
        {
            sum += VisitDiff(diff);
        }

        return sum;
    }

    public static long VisitDiff(PatchDiff diff)
    {
        long sum = 0;
        foreach (var f in diff.Files)
        {
            sum += (f.OldPath?.Length ?? 0) + (f.NewPath?.Length ?? 0) + (int)f.Status + f.AddedCount + f.RemovedCount;
            foreach (var h in f.Hunks)
            {
                sum += h.OldStart + h.NewStart;
                foreach (var line in h.EnumerateLines())
                {
                    sum += (int)line.Kind + line.Length + line.OldNumber + line.NewNumber;
                }
            }
        }

        return sum;
    }
}
