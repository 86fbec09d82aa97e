using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Splits a header block into fields: one pass over the lines, one array of small structs per message.
/// </summary>
/// <remarks>
/// Invariants: a field is a line <c>Name: value</c> (a name of printable ASCII without blanks; blanks before the colon
/// are tolerated) plus every following line that starts with a space or tab. The block ends at the first empty line
/// (the body starts after it), or at the first line that is neither (the body starts at that line, as git mailinfo does).
/// </remarks>
internal static class MailHeaderParser
{
    [ThreadStatic]
    private static MailHeaderList.Field[]? t_scratch;

    private static MailHeaderList Finish(ReadOnlyMemory<byte> input, MailHeaderList.Field[] scratch, int count)
    {
        var exact = scratch.AsSpan(0, count).ToArray();
        if (scratch.Length <= 4096)
        {
            t_scratch = scratch;
        }

        return new MailHeaderList(input, exact, count);
    }

    public static MailHeaderList Parse(ReadOnlyMemory<byte> input, int start, int end, int maxHeaders, DiagnosticBag diagnostics, out int bodyOffset)
    {
        var span = input.Span;
        // The table is built in a per-thread scratch array and copied once at its exact size.
        var fields = t_scratch ?? new MailHeaderList.Field[64];
        t_scratch = null;
        int count = 0;
        bool skipping = false; // beyond MaxHeaderCount
        bool inField = false;
        int pos = start;
        bodyOffset = end;
        var cursor = new NewlineCursor(span, end);
        while (pos < end)
        {
            int lineEnd = cursor.NextLine(pos);
            bool hasNewline = span[lineEnd - 1] == (byte)'\n';
            var text = span[pos..lineEnd];
            int textLength = text.Length - (hasNewline ? 1 : 0);
            if (textLength > 0 && text[textLength - 1] == (byte)'\r')
            {
                textLength--;
            }

            if (textLength == 0)
            {
                bodyOffset = lineEnd;
                return Finish(input, fields, count);
            }

            byte first = text[0];
            if (first == (byte)' ' || first == (byte)'\t')
            {
                if (inField)
                {
                    if (!skipping)
                    {
                        fields[count - 1].SpanEnd = lineEnd;
                    }
                }
                else
                {
                    diagnostics.Warning(MailDiagnosticCodes.OrphanContinuation, "Expected a header field, found a continuation line before any field; it is skipped.", pos);
                }

                pos = lineEnd;
                continue;
            }

            int colon = NameEnd(text[..textLength], out int nameLength);
            if (colon < 0)
            {
                diagnostics.Warning(MailDiagnosticCodes.NotAHeaderLine, "Expected a header field 'Name: value' or an empty line ending the headers, found a line that is neither; the body starts here.", pos);
                bodyOffset = pos;
                return Finish(input, fields, count);
            }

            inField = true;
            if (count >= maxHeaders)
            {
                if (!skipping)
                {
                    diagnostics.Warning(MailDiagnosticCodes.TooManyHeaders, "Expected at most " + maxHeaders + " header fields, found more; the rest are skipped.", pos);
                }

                skipping = true;
                pos = lineEnd;
                continue;
            }

            if (count == fields.Length)
            {
                Array.Resize(ref fields, fields.Length * 2);
            }

            fields[count++] = new MailHeaderList.Field
            {
                NameOffset = pos,
                NameLength = nameLength,
                ValueOffset = pos + colon + 1,
                SpanEnd = lineEnd,
            };
            pos = lineEnd;
        }

        if (count > 0 || start < end)
        {
            diagnostics.Info(MailDiagnosticCodes.NoBody, "Expected an empty line ending the headers, found the end of the message; the body is empty.", end);
        }

        bodyOffset = end;
        return Finish(input, fields, count);
    }

    /// <summary>Returns the colon position of a field line and the name length (trailing blanks excluded), or -1.</summary>
    private static int NameEnd(ReadOnlySpan<byte> line, out int nameLength)
    {
        nameLength = 0;
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (b == (byte)':')
            {
                return nameLength > 0 ? i : -1;
            }

            if (b == (byte)' ' || b == (byte)'\t')
            {
                // obsolete "Name : value": only blanks may follow the name before the colon
                int j = i;
                while (j < line.Length && (line[j] == (byte)' ' || line[j] == (byte)'\t'))
                {
                    j++;
                }

                if (j < line.Length && line[j] == (byte)':' && nameLength > 0)
                {
                    return j;
                }

                return -1;
            }

            if (b < 33 || b > 126)
            {
                return -1;
            }

            nameLength++;
        }

        return -1;
    }
}
