namespace KernelPatch.Mail;

/// <summary>
/// Undoes RFC 3676 <c>format=flowed</c> the way <c>git mailinfo</c> does (since git 2.18), so a patch sent by a mail
/// client with flowed text on reads as git would apply it.
/// </summary>
/// <remarks>
/// Line by line, over the whole body (the patch too, as git does):
/// <list type="bullet">
/// <item>a line that is exactly <c>-- </c> (the signature separator) is kept as it is;</item>
/// <item>one leading space is removed (space-stuffing: a client stuffs lines starting with a space, <c>From </c> or <c>&gt;</c>);</item>
/// <item>a line that then ends in a space is a soft break: it is joined to the next line without its line end
/// (with <c>delsp=yes</c> the space is dropped too);</item>
/// <item>a soft-broken line at the end of the body stays without a line end.</item>
/// </list>
/// Quote depth is not compared (git does not), and the line end of a joined run is the last line's (<c>\r\n</c> stays).
/// Linear: every byte is copied at most once, into a buffer no larger than the body.
/// </remarks>
internal static class MailFlowedText
{
    /// <summary>Whether <paramref name="type"/> says <c>format=flowed</c>; <paramref name="delSp"/> is its <c>delsp=yes</c>.</summary>
    public static bool IsFlowed(MailContentType type, out bool delSp)
    {
        delSp = false;
        if (type.Parameters.Count == 0 || !type.Parameters.TryGetValue("format", out var format)
            || !format.Trim().Equals("flowed", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        delSp = type.Parameters.TryGetValue("delsp", out var value) && value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
        return true;
    }

    /// <summary>Says what unflowing changed (KP0214, info), when it changed anything.</summary>
    public static void Report(Text.DiagnosticBag diagnostics, int joined, int unstuffed, int offset)
    {
        if (joined > 0 || unstuffed > 0)
        {
            diagnostics.Info(MailDiagnosticCodes.FlowedBody, "Expected a body without format=flowed (mail clients should send patches as they are), found a flowed one: "
                + joined + " soft line breaks joined and " + unstuffed + " stuffed spaces removed, as git mailinfo does; a patch line that ended in a space is joined to the next.", offset);
        }
    }

    /// <summary>The body with soft line breaks joined and stuffed spaces removed.</summary>
    /// <param name="body">The body, transfer encoding already undone.</param>
    /// <param name="delSp">Whether the space before a soft break is dropped (<c>delsp=yes</c>).</param>
    /// <param name="joined">How many soft line breaks were joined.</param>
    /// <param name="unstuffed">How many leading spaces were removed.</param>
    public static ReadOnlyMemory<byte> Unflow(ReadOnlySpan<byte> body, bool delSp, out int joined, out int unstuffed)
    {
        var output = new byte[body.Length];
        int written = 0;
        joined = 0;
        unstuffed = 0;
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? body.Length : pos + nl + 1;
            var line = body[pos..next];
            pos = next;

            // The content: without "\n", and without a "\r" before it ("\r" alone at the very end is content).
            int length = line.Length;
            if (nl >= 0)
            {
                length--;
                if (length > 0 && line[length - 1] == (byte)'\r')
                {
                    length--;
                }
            }

            if (!line[..length].SequenceEqual("-- "u8))
            {
                if (length > 0 && line[0] == (byte)' ')
                {
                    line = line[1..];
                    length--;
                    unstuffed++;
                }

                if (length > 0 && line[length - 1] == (byte)' ')
                {
                    int keep = delSp ? length - 1 : length;
                    line[..keep].CopyTo(output.AsSpan(written));
                    written += keep;
                    joined++;
                    continue;
                }
            }

            line.CopyTo(output.AsSpan(written));
            written += line.Length;
        }

        return new ReadOnlyMemory<byte>(output, 0, written);
    }
}
