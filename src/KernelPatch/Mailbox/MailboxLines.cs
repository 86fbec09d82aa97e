using KernelPatch.Commit;

namespace KernelPatch.Mailbox;

/// <summary>
/// Classifies single lines of a container. Shared by <see cref="MailboxSplitter"/> and
/// <see cref="MailboxStreamReader"/> (through <see cref="MailboxScanner"/>), so both split alike.
/// Every method looks at one line only and costs at most its length.
/// </summary>
internal static class MailboxLines
{
    /// <summary>
    /// Whether a line is an mbox separator. Decided by the shape of the whole line as <c>git mailsplit</c>'s
    /// <c>is_from_line</c> does: <c>From </c>, then somewhere a time <c>d?:dd:dd</c> whose last colon is followed by two
    /// digits and, after them, a year above 90. A body line that merely starts with <c>From </c> is not a separator.
    /// </summary>
    /// <param name="text">The line without its line end.</param>
    /// <param name="lineEnd">How many line-end bytes followed it (1 for <c>\n</c>, 2 for <c>\r\n</c>, 0 at the end of the
    /// input): git counts them in its length check (at least 20 bytes) and starts its search for the colon two bytes
    /// before the end of the whole line, so <c>From 12:34:56 2000</c> is a separator with CRLF and not with LF.</param>
    // Never inlined: called for a message's first line and for "From " lines only, and kept out of MailDocument.Parse, whose
    // optimized size moves the streaming peak (docs/performance.md, "Code size counts too").
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static bool IsFromLine(ReadOnlySpan<byte> text, int lineEnd = 1)
    {
        if (text.Length + lineEnd < 20 || !text.StartsWith("From "u8))
        {
            return false;
        }

        // git: colon = line + len - 2, then it steps back before looking, so the search starts at len - 3.
        int searchEnd = Math.Min(text.Length, text.Length + lineEnd - 2);
        int colon = searchEnd <= 0 ? -1 : text[..searchEnd].LastIndexOf((byte)':');
        if (colon < 5 || colon + 2 >= text.Length)
        {
            return false;
        }

        if (!IsDigit(text[colon - 4]) || !IsDigit(text[colon - 2]) || !IsDigit(text[colon - 1])
            || !IsDigit(text[colon + 1]) || !IsDigit(text[colon + 2]))
        {
            return false;
        }

        int i = colon + 3;
        while (i < text.Length && (text[i] == (byte)' ' || text[i] == (byte)'\t'))
        {
            i++;
        }

        bool negative = false;
        if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
        {
            negative = text[i] == (byte)'-';
            i++;
        }

        int year = 0;
        while (i < text.Length && IsDigit(text[i]) && year < 100_000)
        {
            year = (year * 10) + (text[i] - '0');
            i++;
        }

        return !negative && year > 90;
    }

    /// <summary>Whether the line at <paramref name="start"/> (its '\n' at <paramref name="newline"/>, -1 when none before <paramref name="end"/>) is a separator.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static bool IsMessageFromLine(ReadOnlySpan<byte> input, int start, int end, int newline)
    {
        var whole = newline < 0 ? input[start..end] : input.Slice(start, newline + 1);
        var text = Text.Utf8Lines.TrimEol(whole);
        return IsFromLine(text, whole.Length - text.Length);
    }

    /// <summary>
    /// Whether a line (without its line end) starts a commit of <c>git log</c> output: <c>commit </c>, a full object id
    /// (40 or 64 hex digits), then the line's end or a blank (decorations, parents). <c>git patch-id</c> starts a new
    /// commit at the same lines.
    /// </summary>
    public static bool IsGitLogCommitLine(ReadOnlySpan<byte> text) => text.StartsWith("commit "u8) && ObjectIdEnd(text, 7) > 0;

    /// <summary>Whether a line (without its line end) is <c># HG changeset patch</c>, which starts each changeset of <c>hg export</c> output (git am's test too).</summary>
    public static bool IsHgChangesetLine(ReadOnlySpan<byte> text) => text.SequenceEqual("# HG changeset patch"u8);

    /// <summary>
    /// Where a full object id (40 or 64 hex digits) starting at <paramref name="start"/> ends, when the line ends or a blank
    /// follows it; -1 otherwise.
    /// </summary>
    public static int ObjectIdEnd(ReadOnlySpan<byte> line, int start)
    {
        int i = start;
        while (i < line.Length && ByteLines.IsHex(line[i]))
        {
            i++;
        }

        int digits = i - start;
        bool ends = i == line.Length || line[i] is (byte)' ' or (byte)'\n' or (byte)'\r';
        return (digits == 40 || digits == 64) && ends ? i : -1;
    }

    /// <summary>Whether a line matches <c>^&gt;+From </c> (an mboxrd-quoted <c>From </c> line).</summary>
    public static bool IsQuotedFrom(ReadOnlySpan<byte> line)
    {
        int n = 0;
        while (n < line.Length && line[n] == (byte)'>')
        {
            n++;
        }

        return n > 0 && line[n..].StartsWith("From "u8);
    }

    /// <summary>Whether a line opens a Markdown code fence (three backquotes, maybe followed by a language).</summary>
    public static bool IsFenceOpen(ReadOnlySpan<byte> line) => line.StartsWith("```"u8);

    /// <summary>Whether a line (without its line end) closes a Markdown code fence: three backquotes and nothing but blanks.</summary>
    public static bool IsFenceClose(ReadOnlySpan<byte> line) => line.TrimEnd(" \t"u8).SequenceEqual("```"u8);

    /// <summary>Whether a line holds nothing but blanks.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.TrimEnd(" \t\r\n"u8).IsEmpty;

    /// <summary>Whether a line starts like a header field: a name of printable ASCII without blanks, then a colon.</summary>
    public static bool IsHeaderField(ReadOnlySpan<byte> line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (b == (byte)':')
            {
                return i > 0;
            }

            if (b <= 32 || b >= 127)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
