namespace KernelPatch.Tests.Diff;

/// <summary>Test-side helpers to cut the b4 history mailbox into messages and their patch parts.</summary>
internal static class DiffCorpus
{
    /// <summary>Message ranges of a format-patch mbox, split on <c>From &lt;40 hex&gt; Mon Sep 17 00:00:00 2001</c> lines.</summary>
    public static List<(int Start, int End)> SplitMbox(byte[] mbox)
    {
        var starts = new List<int>();
        int pos = 0;
        while (pos < mbox.Length)
        {
            int nl = Array.IndexOf(mbox, (byte)'\n', pos);
            int next = nl < 0 ? mbox.Length : nl + 1;
            if (IsFromLine(mbox.AsSpan(pos, next - pos)))
            {
                starts.Add(pos);
            }

            pos = next;
        }

        var result = new List<(int, int)>();
        for (int i = 0; i < starts.Count; i++)
        {
            result.Add((starts[i], i + 1 < starts.Count ? starts[i + 1] : mbox.Length));
        }

        return result;
    }

    private static bool IsFromLine(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("From "u8) || line.Length < 45 + 25)
        {
            return false;
        }

        for (int i = 5; i < 45; i++)
        {
            if (!char.IsAsciiHexDigit((char)line[i]))
            {
                return false;
            }
        }

        return line[45..].StartsWith(" Mon Sep 17 00:00:00 2001"u8);
    }

    /// <summary>
    /// The patch part of one message: from the first line starting <c>diff --git </c> after the <c>---</c> line
    /// to before the final <c>-- </c> signature line; null when the message has no diff.
    /// </summary>
    public static (int Start, int End)? PatchPart(byte[] mbox, int start, int end)
    {
        int pos = start;
        bool afterSeparator = false;
        int diffStart = -1;
        int signature = -1;
        while (pos < end)
        {
            int nl = Array.IndexOf(mbox, (byte)'\n', pos, end - pos);
            int next = nl < 0 ? end : nl + 1;
            var line = mbox.AsSpan(pos, next - pos);
            if (!afterSeparator && line.SequenceEqual("---\n"u8))
            {
                afterSeparator = true;
            }
            else if (afterSeparator && diffStart < 0 && line.StartsWith("diff --git "u8))
            {
                diffStart = pos;
            }
            else if (diffStart >= 0 && line.SequenceEqual("-- \n"u8))
            {
                signature = pos;
            }

            pos = next;
        }

        if (diffStart < 0)
        {
            return null;
        }

        return (diffStart, signature > 0 ? signature : end);
    }
}
