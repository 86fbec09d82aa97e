using System.Collections.Immutable;
using System.Text;
using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Finds the trailer block of a commit message as <c>git interpret-trailers</c> does
/// (<c>find_trailer_block_start</c> in git's trailer.c): the last paragraph, accepted when all its lines
/// are trailers, or when it holds a git-generated line (<c>Signed-off-by: </c>, <c>(cherry picked from commit </c>)
/// and trailers make at least 25% of it. Kernel practice on top: bracketed maintainer notes
/// (<c>[maz: fixed typo]</c>) neither count against the block nor end it.
/// Invariant: one backward walk and one forward walk over the last paragraph; linear.
/// </summary>
internal static class TrailerParser
{
    private static readonly string[] s_personKeys =
    [
        "Signed-off-by", "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by", "Co-developed-by",
        "Cc", "Reported-and-tested-by", "Requested-by", "Debugged-by", "Originally-by", "Helped-by", "Nacked-by",
        "Bisected-by", "Co-authored-by", "Analyzed-by", "Noticed-by", "Mentored-by", "Based-on-patch-by",
    ];

    /// <summary>Keys common enough that each trailer shares one string instead of decoding its own.</summary>
    private static readonly string[] s_commonKeys =
    [
        "Signed-off-by", "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by", "Co-developed-by",
        "Cc", "Fixes", "Link", "Closes", "Message-ID", "Change-Id", "BugLink",
    ];

    /// <summary>Parses the trailers of the message bytes <c>b[start..end)</c>; offsets are made absolute with <paramref name="baseOffset"/>.</summary>
    public static ImmutableArray<CommitTrailer> Parse(ReadOnlySpan<byte> b, int start, int end, int baseOffset, DiagnosticBag diagnostics)
    {
        // Walk the last paragraph backwards. Lines that start with '#' are comments, as in git (core.commentChar):
        // they neither count nor end the paragraph, and blank lines below the last other line are skipped.
        int e = end;
        int trailerLines = 0;
        int nonTrailerLines = 0;
        int possibleContinuation = 0;
        bool recognized = false;
        bool onlySpaces = true;
        int blockStart = start;
        int cursor = end;
        while (cursor > start)
        {
            int ls = LineStart(b, start, cursor);
            int le = cursor > ls && b[cursor - 1] == (byte)'\n' ? cursor - 1 : cursor;
            ReadOnlySpan<byte> line = ByteLines.Content(b, ls, le);
            if (line.Length > 0 && line[0] == (byte)'#')
            {
                nonTrailerLines += possibleContinuation;
                possibleContinuation = 0;
                cursor = ls;
                blockStart = ls;
                continue;
            }

            if (ByteLines.IsBlank(line))
            {
                if (onlySpaces)
                {
                    cursor = ls;
                    e = ls;
                    blockStart = ls;
                    continue;
                }

                blockStart = cursor;
                break;
            }

            onlySpaces = false;
            if (line.StartsWith("Signed-off-by: "u8) || line.StartsWith("(cherry picked from commit "u8))
            {
                trailerLines++;
                possibleContinuation = 0;
                recognized = true;
            }
            else if (IsBracketNote(line))
            {
                // kernel maintainer note between trailers: ignored
            }
            else if (FindSeparator(line) >= 1)
            {
                trailerLines++;
                possibleContinuation = 0;
            }
            else if (ByteLines.IsSpace(line[0]))
            {
                possibleContinuation++;
            }
            else
            {
                nonTrailerLines += 1 + possibleContinuation;
                possibleContinuation = 0;
            }

            cursor = ls;
            blockStart = ls;
        }

        // Indented lines at the top of the paragraph continue nothing: git counts them against the block.
        nonTrailerLines += possibleContinuation;
        bool isBlock = (trailerLines > 0 && nonTrailerLines == 0) || (recognized && trailerLines * 3 >= nonTrailerLines);
        if (!isBlock)
        {
            return ImmutableArray<CommitTrailer>.Empty;
        }

        var result = Scratch<CommitTrailer>.Rent();
        int pos = blockStart;
        while (pos < e)
        {
            int le = ByteLines.LineEnd(b, pos, out int next);
            if (le > e)
            {
                le = e;
            }

            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            int sep = line.StartsWith("(cherry picked from commit "u8) ? -2 : FindSeparator(line);
            if (sep == -1 || IsBracketNote(line))
            {
                pos = next;
                continue;
            }

            // Gather continuation lines (indented), and the wrapped tail of a Fixes: title.
            int spanEnd = pos + line.Length;
            string key;
            ReadOnlySpan<byte> firstValue;
            if (sep == -2)
            {
                key = "cherry-picked-from";
                firstValue = ByteLines.Trim(line["(cherry picked from commit "u8.Length..].TrimEnd((byte)')'));
            }
            else
            {
                key = KnownKey(ByteLines.Trim(line[..sep]));
                firstValue = ByteLines.Trim(line[(sep + 1)..]);
            }

            // Most trailers are one line: their value is made straight from the bytes; a builder only for continuations.
            StringBuilder? value = null;

            // A Fixes: title wrapped onto unindented lines is joined while its ("...") is open (at most 3 lines).
            bool fixesOpen = key.Equals("Fixes", StringComparison.OrdinalIgnoreCase) && OpenFixesTitle(firstValue) && FixesTitleCloses(b, next, e);
            int fixesTailLines = 0;
            int p = next;
            while (p < e)
            {
                int cle = ByteLines.LineEnd(b, p, out int cnext);
                if (cle > e)
                {
                    cle = e;
                }

                ReadOnlySpan<byte> cont = ByteLines.Content(b, p, cle);
                bool indented = cont.Length > 0 && ByteLines.IsSpace(cont[0]) && !ByteLines.IsBlank(cont);
                bool fixesTail = fixesOpen && !indented && fixesTailLines < 3 && IsFixesTail(cont);
                if (!indented && !fixesTail)
                {
                    break;
                }

                value ??= StringBuilderCache.Acquire().AppendUtf8(firstValue);
                value.Append(' ').AppendUtf8(ByteLines.Trim(cont));
                if (fixesTail)
                {
                    fixesTailLines++;
                }

                if (fixesOpen && ByteLines.Trim(cont).EndsWith("\")"u8))
                {
                    fixesOpen = false;
                }

                spanEnd = p + cont.Length;
                p = cnext;
            }

            string text = value is null ? StringPool.Get(firstValue) : StringBuilderCache.GetPooledStringAndRelease(value);
            result.Add(Build(key, text, SourceSpan.FromBounds(baseOffset + pos, baseOffset + spanEnd), sep == -2, diagnostics));
            pos = p;
        }

        return Scratch<CommitTrailer>.ToImmutableAndReturn(result);
    }

    private static bool OpenFixesTitle(ReadOnlySpan<byte> value) =>
        value.IndexOf("(\""u8) >= 0 && !value.EndsWith("\")"u8);

    /// <summary>An unindented line that may carry on a wrapped Fixes: title: not a trailer, note or comment.</summary>
    private static bool IsFixesTail(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[0] != (byte)'#' && FindSeparator(line) < 1 && !IsBracketNote(line)
        && !line.StartsWith("(cherry picked from commit "u8);

    /// <summary>
    /// Whether the open title of a Fixes: trailer ending before <paramref name="pos"/> is closed (<c>")</c>) by its
    /// indented continuation or within three unindented lines after it; only then are those lines the title's (else
    /// they are what git makes of them). A comment line ends the search, as it ends the joining.
    /// </summary>
    private static bool FixesTitleCloses(ReadOnlySpan<byte> b, int pos, int end)
    {
        int tail = 0;
        while (pos < end)
        {
            int le = ByteLines.LineEnd(b, pos, out int next);
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, Math.Min(le, end));
            pos = next;
            bool indented = line.Length > 0 && ByteLines.IsSpace(line[0]) && !ByteLines.IsBlank(line);
            if (!indented && (++tail > 3 || !IsFixesTail(line)))
            {
                return false;
            }

            if (ByteLines.Trim(line).EndsWith("\")"u8))
            {
                return true;
            }
        }

        return false;
    }

    private static CommitTrailer Build(string key, string value, SourceSpan span, bool cherryPick, DiagnosticBag diagnostics)
    {
        if (IsPersonKey(key))
        {
            string who = value;
            string? comment = null;
            int gt = value.LastIndexOf('>');
            int hash = value.IndexOf('#', gt < 0 ? 0 : gt);
            if (hash >= 0)
            {
                comment = value[(hash + 1)..].Trim();
                who = value[..hash].Trim();
            }

            MailIdentity? person = IdentityParser.Parse(MailEncodedWords.Decode(who));
            if (person is null)
            {
                diagnostics.Info(CommitDiagnosticCodes.TrailerNoEmail, $"Expected an email address in the {key} trailer; found '{value}'.", span.Offset);
            }

            return new CommitTrailer { Key = key, Value = value, Span = span, IsCherryPick = cherryPick, Person = person, Comment = comment };
        }

        if (key.Equals("Fixes", StringComparison.OrdinalIgnoreCase))
        {
            int n = 0;
            while (n < value.Length && char.IsAsciiHexDigit(value[n]))
            {
                n++;
            }

            // a sha is a run of at least 4 hex digits ending at white space, '(' or the end ("commit" is no sha)
            bool isSha = n >= 4 && (n == value.Length || value[n] == ' ' || value[n] == '\t' || value[n] == '(');
            string? sha = isSha ? value[..n] : null;
            string? title = null;
            int open = value.IndexOf("(\"", n, StringComparison.Ordinal);
            int close = value.LastIndexOf("\")", StringComparison.Ordinal);
            if (open >= 0 && close >= open + 2) // in (") the two marks share the quote: no title
            {
                title = value[(open + 2)..close];
            }

            if (sha is null || title is null)
            {
                diagnostics.Warning(CommitDiagnosticCodes.FixesMalformed, $"Expected 'Fixes: <sha> (\"<title>\")'; found '{value}'.", span.Offset);
            }
            else if (n < 12)
            {
                diagnostics.Warning(CommitDiagnosticCodes.FixesShortSha, $"Expected at least 12 hex digits in the Fixes: sha; found {n} ('{sha}').", span.Offset);
            }

            return new CommitTrailer { Key = key, Value = value, Span = span, IsCherryPick = cherryPick, FixesSha = sha, FixesTitle = title };
        }

        if (key.Equals("Link", StringComparison.OrdinalIgnoreCase) || key.Equals("Closes", StringComparison.OrdinalIgnoreCase) || key.Equals("BugLink", StringComparison.OrdinalIgnoreCase))
        {
            int space = value.IndexOfAny([' ', '\t']);
            return new CommitTrailer { Key = key, Value = value, Span = span, IsCherryPick = cherryPick, Url = space < 0 ? value : value[..space] };
        }

        return new CommitTrailer { Key = key, Value = value, Span = span, IsCherryPick = cherryPick };
    }

    private static string KnownKey(ReadOnlySpan<byte> key)
    {
        foreach (string k in s_commonKeys)
        {
            if (k.Length == key.Length && System.Text.Ascii.Equals(key, k))
            {
                return k;
            }
        }

        return System.Text.Encoding.UTF8.GetString(key);
    }

    private static bool IsPersonKey(string key)
    {
        foreach (string k in s_personKeys)
        {
            if (key.Equals(k, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A kernel maintainer note such as <c>[maz: fixed typo]</c>.</summary>
    private static bool IsBracketNote(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> t = ByteLines.Trim(line);
        return t.Length >= 2 && t[0] == (byte)'[' && t[^1] == (byte)']';
    }

    /// <summary>git trailer.c <c>find_separator</c> with ':' : a key of alphanumerics and '-', optional white space, then ':'.</summary>
    internal static int FindSeparator(ReadOnlySpan<byte> line)
    {
        bool whitespaceFound = false;
        for (int i = 0; i < line.Length; i++)
        {
            byte c = line[i];
            if (c == (byte)':')
            {
                return i;
            }

            if (!whitespaceFound && (char.IsAsciiLetterOrDigit((char)c) || c == (byte)'-'))
            {
                continue;
            }

            if (i != 0 && (c == (byte)' ' || c == (byte)'\t'))
            {
                whitespaceFound = true;
                continue;
            }

            break;
        }

        return -1;
    }

    /// <summary>Start of the line that ends at <paramref name="end"/> (exclusive, just past its '\n' or at the region end).</summary>
    private static int LineStart(ReadOnlySpan<byte> b, int start, int end)
    {
        int last = end - 1;
        if (last >= start && b[last] == (byte)'\n')
        {
            last--;
        }

        if (last < start)
        {
            return start;
        }

        int nl = b[start..(last + 1)].LastIndexOf((byte)'\n');
        return nl < 0 ? start : start + nl + 1;
    }
}
