namespace KernelPatch.Mailbox;

/// <summary>
/// Classifies single lines of a container. Shared by <see cref="MailboxSplitter"/> and
/// <see cref="MailboxStreamReader"/> (through <see cref="MailboxScanner"/>), so both split alike.
/// Every method looks at one line only and costs at most its length.
/// </summary>
internal static class MailboxLines
{
    /// <summary>
    /// Whether a line (without its line end) is an mbox separator. Decided by the shape of the whole line as
    /// <c>git mailsplit</c>'s <c>is_from_line</c> does: <c>From </c>, then somewhere a time <c>d?:dd:dd</c> whose
    /// last colon is followed by two digits and, after them, a year above 90. A body line that merely starts with
    /// <c>From </c> is not a separator.
    /// </summary>
    public static bool IsFromLine(ReadOnlySpan<byte> line)
    {
        // git counts the newline in its length check (len < 20 rejects), hence 19 here.
        if (line.Length < 19 || !line.StartsWith("From "u8))
        {
            return false;
        }

        int colon = line[..^1].LastIndexOf((byte)':');
        if (colon < 5 || colon + 2 >= line.Length)
        {
            return false;
        }

        if (!IsDigit(line[colon - 4]) || !IsDigit(line[colon - 2]) || !IsDigit(line[colon - 1])
            || !IsDigit(line[colon + 1]) || !IsDigit(line[colon + 2]))
        {
            return false;
        }

        int i = colon + 3;
        while (i < line.Length && (line[i] == (byte)' ' || line[i] == (byte)'\t'))
        {
            i++;
        }

        bool negative = false;
        if (i < line.Length && (line[i] == (byte)'+' || line[i] == (byte)'-'))
        {
            negative = line[i] == (byte)'-';
            i++;
        }

        int year = 0;
        while (i < line.Length && IsDigit(line[i]) && year < 100_000)
        {
            year = (year * 10) + (line[i] - '0');
            i++;
        }

        return !negative && year > 90;
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
