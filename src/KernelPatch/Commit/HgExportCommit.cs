using System.Globalization;
using System.Text;
using KernelPatch.Diff;
using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Reads one changeset of <c>hg export</c> output as <c>git am --patch-format=hg</c> does: its <c># </c> lines up to the
/// first other line (<c># User</c> is the author, <c># Date &lt;seconds&gt; &lt;offset west of UTC in seconds&gt;</c> the date,
/// the others are passed over), then the message and the diff, read as a mail body with no subject is: the commit
/// message runs to the patch break (<c>diff -r</c>), and its first paragraph is the title (git's subject).
/// </summary>
/// <remarks>Nothing is copied: the message and the diff are read where they are.</remarks>
internal static class HgExportCommit
{
    /// <summary>Parses the changeset in <paramref name="content"/> of <paramref name="input"/>; its diff, if any, comes back in <paramref name="diff"/>.</summary>
    public static CommitMessage Parse(ReadOnlyMemory<byte> input, SourceSpan content, DiagnosticBag bag, out PatchDiff? diff)
    {
        ReadOnlySpan<byte> s = input.Span;
        int end = content.End;
        int pos = content.Offset;
        MailIdentity? author = null;
        DateTimeOffset? date = null;
        while (pos < end && s[pos..end].StartsWith("# "u8))
        {
            int next = DiffScan.NextLine(s, pos, end);
            ReadOnlySpan<byte> line = Utf8Lines.TrimEol(s[pos..next]);
            if (line.StartsWith("# User "u8))
            {
                string value = Encoding.UTF8.GetString(line["# User "u8.Length..]);
                author = IdentityParser.Sane(IdentityParser.Parse(value) ?? IdentityParser.ParseBracketed(value));
                if (author is null)
                {
                    bag.Warning(CommitDiagnosticCodes.GitLogHeaderInvalid, "Expected an address in the changeset's '# User' line, found '" + value + "'; the changeset has no author (git am refuses it).", pos);
                }
            }
            else if (line.StartsWith("# Date "u8))
            {
                date = ReadDate(line["# Date "u8.Length..], pos, bag);
            }

            pos = next;
        }

        CommitMessage commit = CommitMessage.Parse(input[pos..end], pos, string.Empty, author, date, bag);
        diff = commit.HasDiff ? PatchDiff.Parse(input, new SourceSpan(commit.PatchOffset, commit.Patch.Length), bag, end) : null;

        // git am makes the whole message the commit message (the mail had no subject): its first paragraph is the title,
        // unless an in-body Subject: gave one.
        if (commit.Title.Length == 0)
        {
            ReadOnlySpan<byte> message = commit.RawBody.Span;
            var title = new StringBuilder();
            int at = 0;
            while (at < message.Length)
            {
                int next = DiffScan.NextLine(message, at, message.Length);
                ReadOnlySpan<byte> text = ByteLines.Trim(message[at..next]);
                if (text.IsEmpty)
                {
                    if (title.Length > 0)
                    {
                        break;
                    }
                }
                else
                {
                    title.Append(title.Length > 0 ? " " : string.Empty).Append(Encoding.UTF8.GetString(text));
                }

                at = next;
            }

            while (at < message.Length)
            {
                // the blank lines below the title (not the blanks that indent the body's first line)
                int next = DiffScan.NextLine(message, at, message.Length);
                if (!ByteLines.IsBlank(message[at..next]))
                {
                    break;
                }

                at = next;
            }

            commit = commit with { Title = title.ToString(), RawBody = commit.RawBody[at..] };
        }

        return commit with { Kind = MessageKind.Patch };
    }

    /// <summary><c>&lt;seconds&gt; &lt;offset&gt;</c>, the offset in seconds west of UTC, as git am reads it (a blank between, nothing after).</summary>
    private static DateTimeOffset? ReadDate(ReadOnlySpan<byte> value, int offset, DiagnosticBag bag)
    {
        int blank = value.IndexOf((byte)' ');
        if (blank > 0
            && long.TryParse(value[..blank], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            && int.TryParse(value[(blank + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int west)
            && west != int.MinValue
            && MailDate.TryFromUnixSeconds(seconds, (west > 0 ? -1 : 1) * ((Math.Abs(west) / 3600 * 60) + (Math.Abs(west) % 3600 / 60)), out var date))
        {
            return date; // git: hours and minutes of the offset east of UTC, the seconds dropped
        }

        bag.Warning(CommitDiagnosticCodes.GitLogHeaderInvalid, "Expected '<seconds> <offset>' in the changeset's '# Date' line, found '" + Encoding.UTF8.GetString(value) + "'; the changeset has no date (git am refuses it).", offset);
        return null;
    }
}
