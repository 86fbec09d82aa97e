namespace KernelPatch.Text;

/// <summary>Line helpers shared by every stage that walks UTF-8 bytes line by line.</summary>
internal static class Utf8Lines
{
    /// <summary>
    /// The line without its line end: a final <c>\n</c>, then a final <c>\r</c> (so <c>\r\n</c>, and a
    /// lone <c>\r</c> on the last line of an input, are both removed).
    /// </summary>
    public static ReadOnlySpan<byte> TrimEol(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\n')
        {
            line = line[..^1];
        }

        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return line;
    }
}
