namespace KernelPatch.Commit;

/// <summary>git mailinfo's <c>is_scissors_line</c>: a perforation of dashes and <c>&gt;8</c>/<c>8&lt;</c>/<c>&gt;%</c>/<c>%&lt;</c> marks.</summary>
internal static class ScissorsLine
{
    /// <summary>Whether <paramref name="line"/> (without its line end) is a scissors line; <paramref name="hasNewline"/> counts the '\n' git sees.</summary>
    public static bool IsScissors(ReadOnlySpan<byte> line, bool hasNewline)
    {
        // Every message line comes here: reject at once what cannot qualify (fewer than 8 visible bytes, or no
        // '8' or '%' for a mark) with one vectorised search instead of the byte-by-byte walk below.
        if (line.Length < 8 || line.IndexOfAny((byte)'8', (byte)'%') < 0)
        {
            return false;
        }

        int scissors = 0;
        int gap = 0;
        int perforation = 0;
        int first = -1;
        int last = -1;
        bool inPerforation = false;
        for (int i = 0; i < line.Length; i++)
        {
            byte c = line[i];
            if (ByteLines.IsSpace(c))
            {
                if (inPerforation)
                {
                    perforation++;
                    gap++;
                }

                continue;
            }

            last = i;
            if (first < 0)
            {
                first = i;
            }

            if (c == (byte)'-')
            {
                inPerforation = true;
                perforation++;
                continue;
            }

            if (i + 1 < line.Length && IsMark(c, line[i + 1]))
            {
                inPerforation = true;
                perforation += 2;
                scissors += 2;
                i++; // git leaves the last visible byte on the mark's first byte
                continue;
            }

            inPerforation = false;
        }

        if (hasNewline && inPerforation)
        {
            perforation++;
            gap++;
        }

        int visible = first >= 0 ? last - first + 1 : 0;
        return scissors > 0 && visible >= 8 && visible < perforation * 3 && gap * 2 < perforation;
    }

    /// <summary>Whether <paramref name="a"/> then <paramref name="b"/> is a scissors mark: <c>&gt;8</c>, <c>8&lt;</c>, <c>&gt;%</c> or <c>%&lt;</c>.</summary>
    internal static bool IsMark(byte a, byte b) =>
        (a == (byte)'>' && b == (byte)'8') || (a == (byte)'8' && b == (byte)'<') ||
        (a == (byte)'>' && b == (byte)'%') || (a == (byte)'%' && b == (byte)'<');
}
