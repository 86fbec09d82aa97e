using System.Text;
using KernelPatch.Diff;
using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Reads one commit of <c>git log -p</c> / <c>git show</c> output (the part after its <c>commit &lt;id&gt;</c> line):
/// the header lines up to the first empty line (<c>Author:</c> and <c>Date:</c> of the <c>medium</c> and <c>full</c>
/// formats, <c>AuthorDate:</c> of <c>fuller</c>, <c>author</c> of <c>raw</c>; the others are passed over), the message
/// indented by four blanks, then what git writes below it: notes (<c>Notes:</c> and indented lines), a <c>---</c> line
/// and the diffstat (<c>--stat</c>), and the diff.
/// </summary>
/// <remarks>
/// The message is unindented into a copy laid out as <c>git format-patch</c> lays out a mail body above the diff (the
/// message, then <c>---</c>, the notes and the diffstat), which <see cref="CommitMessage"/> then reads as it reads mail,
/// with the first paragraph of the message as the subject (git's subject: its lines joined by blanks). The commit
/// message's spans count from that copy, as those of an unquoted mboxrd message do; the diff, which git writes
/// unindented, is read from the input itself and not copied, so its offsets are exact.
/// </remarks>
internal static class GitLogCommit
{
    private const int Indent = 4;

    /// <summary>Parses the commit in <paramref name="content"/> of <paramref name="input"/>; its diff, if any, comes back in <paramref name="diff"/>.</summary>
    public static CommitMessage Parse(ReadOnlyMemory<byte> input, SourceSpan content, DiagnosticBag bag, out PatchDiff? diff)
    {
        ReadOnlySpan<byte> s = input.Span;
        int end = content.End;
        int pos = content.Offset;
        MailIdentity? author = null;
        DateTimeOffset? date = null;

        // Header lines, up to the first empty line. Continuation lines (gpgsig, mergetag in --format=raw) start with a blank.
        while (pos < end)
        {
            int next = DiffScan.NextLine(s, pos, end);
            ReadOnlySpan<byte> line = Utf8Lines.TrimEol(s[pos..next]);
            if (line.IsEmpty)
            {
                pos = next;
                break;
            }

            if (TryField(line, "Author:"u8, out var value))
            {
                author = ReadIdentity(value, pos, bag);
            }
            else if (TryField(line, "AuthorDate:"u8, out value) || TryField(line, "Date:"u8, out value))
            {
                date = ReadDate(value, pos, bag);
            }
            else if (line.StartsWith("author "u8))
            {
                (author, date) = ReadRawAuthor(line[7..], pos, bag);
            }

            pos = next;
        }

        // The diff, which git writes unindented, stays in the input (and out of the copy): it starts at the first line
        // that starts a diff, as in a mail below '---' (the message and notes above it are indented, so never one).
        int diffStart = CommitMessage.FindDiffStart(s[..end], pos);
        int statEnd = diffStart >= 0 ? diffStart : end;

        // The copy: title, body, then "---" and what follows the message up to the diff. Unindenting only shortens lines,
        // and the "---" added is at most one line more than the one left out.
        var copy = new byte[statEnd - pos + Indent];
        int written = 0;
        int bodyOrigStart = pos;

        // The title: the message's first paragraph, its lines joined by blanks (leading empty lines skipped).
        bool inTitle = true;
        bool titleSeen = false;
        int titleLength = 0;
        int bodyCopyStart = 0;
        while (pos < end)
        {
            int next = DiffScan.NextLine(s, pos, end);
            ReadOnlySpan<byte> raw = s[pos..next];
            if (!raw.StartsWith("    "u8))
            {
                break; // git indents every line of the message, its empty lines too: the message ends here
            }

            ReadOnlySpan<byte> line = raw[Indent..];
            if (inTitle)
            {
                ReadOnlySpan<byte> text = Utf8Lines.TrimEol(line).Trim(" \t"u8);
                if (text.IsEmpty)
                {
                    if (titleSeen)
                    {
                        inTitle = false;
                        titleLength = written;
                        bodyCopyStart = written;
                        bodyOrigStart = next;
                    }
                }
                else
                {
                    if (titleSeen)
                    {
                        copy[written++] = (byte)' ';
                    }

                    text.CopyTo(copy.AsSpan(written));
                    written += text.Length;
                    titleSeen = true;
                }
            }
            else
            {
                line.CopyTo(copy.AsSpan(written));
                written += line.Length;
            }

            pos = next;
        }

        if (inTitle)
        {
            titleLength = written;
            bodyCopyStart = written;
            bodyOrigStart = pos;
        }

        // Below the message: empty lines, notes, a "---" line (git log --stat), the diffstat and the diff.
        int notesStart = -1;
        int notesEnd = -1;
        int lineEnd = DiffScan.NextLine(s, pos, end);
        while (pos < end && ByteLines.IsBlank(s[pos..lineEnd]))
        {
            pos = lineEnd;
            lineEnd = DiffScan.NextLine(s, pos, end);
        }

        if (pos < end && IsNotesHeading(Utf8Lines.TrimEol(s[pos..lineEnd])))
        {
            notesStart = pos;
            pos = lineEnd;
            lineEnd = DiffScan.NextLine(s, pos, end);
            while (pos < end && (s[pos..].StartsWith("    "u8) || ByteLines.IsBlank(s[pos..lineEnd])))
            {
                pos = lineEnd;
                lineEnd = DiffScan.NextLine(s, pos, end);
            }

            notesEnd = pos;
        }

        int restOrigStart = pos;
        if (pos < end && Utf8Lines.TrimEol(s[pos..lineEnd]).SequenceEqual("---"u8))
        {
            restOrigStart = lineEnd;
        }

        restOrigStart = Math.Min(restOrigStart, statEnd); // (the lines above never pass the diff: it is neither indented nor blank)

        int messageEnd = written - bodyCopyStart; // in the body's coordinates: everything before it is message
        if (notesStart >= 0 || restOrigStart < statEnd)
        {
            "---\n"u8.CopyTo(copy.AsSpan(written));
            written += 4;
            if (notesStart >= 0)
            {
                s[notesStart..notesEnd].CopyTo(copy.AsSpan(written));
                written += notesEnd - notesStart;
            }

            s[restOrigStart..statEnd].CopyTo(copy.AsSpan(written));
            written += statEnd - restOrigStart;
        }

        string title = StringPool.Get(copy.AsSpan(0, titleLength));
        var body = new ReadOnlyMemory<byte>(copy, bodyCopyStart, written - bodyCopyStart);
        CommitMessage commit;
        bag.OffsetShift = bodyOrigStart; // the copy's offsets, less exact by the indents removed
        try
        {
            commit = CommitMessage.Parse(body, 0, title, author, date, bag, messageEnd);
        }
        finally
        {
            bag.OffsetShift = 0;
        }

        diff = null;
        if (diffStart >= 0)
        {
            // Read from the input, with exact offsets, to the end of the commit (the patch-id reads that far, as git's).
            diff = PatchDiff.Parse(input, SourceSpan.FromBounds(diffStart, end), bag, end);
            commit = commit with
            {
                Patch = input[diffStart..end],
                PatchOffset = diffStart,
                HasDiff = true,
                DiffstatCountsPatch = commit.Diffstat is not null, // a diffstat below the message counts this diff
            };
        }

        // A commit is a patch, whatever its title says (git log titles carry no [PATCH n/m] prefix to tell); its title is
        // git's subject as written (a mail subject's blanks would be squeezed).
        return commit with { Kind = MessageKind.Patch, Title = title };
    }

    /// <summary><c>Name &lt;email&gt;</c> as git writes an identity; null (with a warning) when there are no brackets.</summary>
    private static MailIdentity? ReadIdentity(ReadOnlySpan<byte> value, int offset, DiagnosticBag bag)
    {
        int open = value.LastIndexOf((byte)'<');
        int close = open < 0 ? -1 : value[open..].IndexOf((byte)'>');
        if (close < 0)
        {
            bag.Warning(CommitDiagnosticCodes.GitLogHeaderInvalid, "Expected 'Name <email>' in the commit's author line, found '" + Encoding.UTF8.GetString(value) + "'; the commit has no author.", offset);
            return null;
        }

        string name = StringPool.Get(value[..open].TrimEnd(" \t"u8));
        string email = StringPool.Get(value.Slice(open + 1, close - 1));
        return StringPool.Identity(name, email);
    }

    private static DateTimeOffset? ReadDate(ReadOnlySpan<byte> value, int offset, DiagnosticBag bag)
    {
        if (MailDate.TryParse(value, out var date))
        {
            return date;
        }

        bag.Warning(CommitDiagnosticCodes.GitLogHeaderInvalid, "Expected a date in the commit's date line, found '" + Encoding.UTF8.GetString(value) + "' (git log --date=relative, --date=human and --date=short cannot be read back); the commit has no date.", offset);
        return null;
    }

    /// <summary><c>--format=raw</c>: <c>author Name &lt;email&gt; 1700000000 +0100</c> (seconds since 1970 and the zone).</summary>
    private static (MailIdentity? Author, DateTimeOffset? Date) ReadRawAuthor(ReadOnlySpan<byte> value, int offset, DiagnosticBag bag)
    {
        int close = value.LastIndexOf((byte)'>');
        MailIdentity? author = ReadIdentity(close < 0 ? value : value[..(close + 1)], offset, bag);
        ReadOnlySpan<byte> when = close < 0 ? default : value[(close + 1)..].Trim(" \t"u8);
        if (MailDate.TryObjectHeaderDate(when, out var date))
        {
            return (author, date); // git's own "<seconds> <zone>", as in the commit object
        }

        bag.Warning(CommitDiagnosticCodes.GitLogHeaderInvalid, "Expected '<seconds> <zone>' after the author of a raw commit header, found '" + Encoding.UTF8.GetString(when) + "'; the commit has no date.", offset);
        return (author, null);
    }

    /// <summary>The value of a header line <c>Key: value</c> (blanks around it left out); false for another key.</summary>
    private static bool TryField(ReadOnlySpan<byte> line, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        bool found = line.StartsWith(key);
        value = found ? line[key.Length..].Trim(" \t"u8) : default;
        return found;
    }

    /// <summary><c>Notes:</c> or <c>Notes (ref):</c>, as git log writes above a commit's notes.</summary>
    private static bool IsNotesHeading(ReadOnlySpan<byte> line) =>
        line.StartsWith("Notes"u8) && line.Length > 5 && line[^1] == (byte)':' && (line.Length == 6 || line[5] == (byte)' ');
}
