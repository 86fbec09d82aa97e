using System.Collections.Immutable;
using System.Text;
using KernelPatch.Commit;
using KernelPatch.Diff;
using KernelPatch.Mail;
using KernelPatch.Mailbox;
using KernelPatch.Series;
using KernelPatch.Subject;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>
/// What each stage benchmark consumes, pre-extracted from one input in <c>[GlobalSetup]</c> with
/// the same calls <see cref="PatchMessage"/> makes, so each benchmark measures one stage alone.
/// </summary>
internal static class StageInputs
{
    /// <summary>One message's bytes as the mail stage receives them (an unquoted copy for mboxrd <c>&gt;From </c> lines).</summary>
    public readonly record struct MailInput(ReadOnlyMemory<byte> Source, SourceSpan Content);

    /// <summary>One mail body as the commit stage receives it.</summary>
    public readonly record struct CommitInput(ReadOnlyMemory<byte> Body, int BodyOffset, string Subject, MailIdentity? Sender, DateTimeOffset? Date);

    /// <summary>One patch part as the diff stage receives it.</summary>
    public readonly record struct DiffInput(ReadOnlyMemory<byte> Source, SourceSpan Span);

    /// <summary>The entries of every mail message (bare diffs are not mail), as <c>PatchMessage.FromEntry</c> passes them.</summary>
    public static MailInput[] Mails(byte[] input)
    {
        var options = PatchParseOptions.Default;
        var entries = MailboxSplitter.Split(input, options, new DiagnosticBag(options));
        var result = new List<MailInput>(entries.Length);
        foreach (var entry in entries)
        {
            if (entry.Format == PatchInputFormat.Diff)
            {
                continue;
            }

            if (entry.NeedsUnquoting)
            {
                var content = MailboxSplitter.GetContent(input, entry);
                result.Add(new MailInput(content, new SourceSpan(0, content.Length)));
            }
            else
            {
                result.Add(new MailInput(input, entry.Content));
            }
        }

        return result.ToArray();
    }

    /// <summary>The decoded Subject header of every mail message.</summary>
    public static string[] Subjects(byte[] input)
    {
        var messages = PatchMailbox.Parse(input).Messages;
        var result = new List<string>(messages.Length);
        foreach (var m in messages)
        {
            if (m.Mail is { } mail)
            {
                result.Add(mail.Subject);
            }
        }

        return result.ToArray();
    }

    /// <summary>The body of every mail message with what the commit stage is given beside it.</summary>
    public static CommitInput[] Commits(byte[] input)
    {
        var messages = PatchMailbox.Parse(input).Messages;
        var result = new List<CommitInput>(messages.Length);
        foreach (var m in messages)
        {
            if (m.Mail is { } mail)
            {
                result.Add(new CommitInput(mail.Body, mail.BodyOffset, mail.Subject, mail.Sender, mail.Date));
            }
        }

        return result.ToArray();
    }

    /// <summary>The patch part (from the first diff line to the signature) of every message that has one.</summary>
    public static DiffInput[] Diffs(byte[] input)
    {
        var messages = PatchMailbox.Parse(input).Messages;
        var result = new List<DiffInput>(messages.Length);
        foreach (var m in messages)
        {
            if (m.Diff is { } diff)
            {
                result.Add(new DiffInput(diff.Source, diff.Span));
            }
        }

        return result.ToArray();
    }

    /// <summary>
    /// The series stage's view of every message, built from the public <see cref="PatchMessage"/>
    /// fields as <c>PatchMailbox</c> builds it (its mapping is private; this one follows it line by line).
    /// </summary>
    public static SeriesMessageInfo[] SeriesInfos(ImmutableArray<PatchMessage> messages)
    {
        var infos = new SeriesMessageInfo[messages.Length];
        for (int i = 0; i < messages.Length; i++)
        {
            infos[i] = ToInfo(messages[i]);
        }

        return infos;
    }

    /// <summary>The mapping <c>PatchMailbox</c> does from a parsed message to the series stage's input (the library's own).</summary>
    public static SeriesMessageInfo ToInfo(PatchMessage m) => PatchMailbox.ToInfo(m);

    /// <summary>A checksum of a diff's files, hunks and every line (what a user of the diff visits).</summary>
    public static long VisitDiff(PatchDiff diff) => EndToEnd.VisitDiff(diff);

    /// <summary>A checksum of a commit message's title, body, trailers and diffstat.</summary>
    public static long VisitCommit(CommitMessage commit)
    {
        long sum = commit.Title.Length + commit.Body.Length + (commit.Author?.Name.Length ?? 0) + (int)commit.Kind;
        foreach (var t in commit.Trailers)
        {
            sum += t.Key.Length + t.Value.Length + (t.Person?.Email.Length ?? 0);
        }

        if (commit.Diffstat is { } stat)
        {
            sum += stat.FilesChanged + stat.Insertions + stat.Deletions;
            foreach (var entry in stat.Files)
            {
                sum += entry.Path.Length + entry.PlusCount + entry.MinusCount;
            }
        }

        sum += commit.Notes?.Length ?? 0;
        return sum;
    }
}
