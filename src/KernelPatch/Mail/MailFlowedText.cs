using System.Buffers;

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

        delSp = IsDelSp(type.Parameters.GetValueOrDefault("delsp"));
        return true;
    }

    /// <summary>Whether a <c>delsp</c> parameter's value is <c>yes</c>.</summary>
    public static bool IsDelSp(string? value) => value is not null && value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>Says what unflowing changed (KP0214, info), when it changed anything.</summary>
    public static void Report(Text.DiagnosticBag diagnostics, int joined, int unstuffed, int offset)
    {
        if (joined > 0 || unstuffed > 0)
        {
            diagnostics.Info(MailDiagnosticCodes.FlowedBody, "Expected a body without format=flowed (mail clients should send patches as they are), found a flowed one: "
                + joined + " soft line breaks joined and " + unstuffed + " stuffed spaces removed, as git mailinfo does; a patch line that ended in a space is joined to the next.", offset);
        }
    }

    /// <summary>
    /// A quoted-printable or base64 flowed body, decoded and unflowed together as <c>git mailinfo</c> does it: each raw
    /// line is decoded on its own and put after what is pending (a line cut by a soft break of the encoding, or a
    /// soft-broken flowed line), and only then split into lines and unflowed. So the line after a flowed soft break
    /// that ends a raw line keeps its stuffed space, and a stuffed soft-broken line can lose two spaces; within one raw
    /// line (base64's are 76 characters of several text lines) the usual rules hold.
    /// </summary>
    /// <param name="raw">The encoded body; <c>\r\n</c> is taken as <c>\n</c>, as git mailsplit gives it to mailinfo.</param>
    /// <param name="base64">Base64 (else quoted-printable).</param>
    /// <param name="delSp">Whether the space before a soft break is dropped (<c>delsp=yes</c>).</param>
    /// <param name="joined">How many soft line breaks were joined.</param>
    /// <param name="unstuffed">How many leading spaces were removed.</param>
    public static ReadOnlyMemory<byte> UnflowEncoded(ReadOnlySpan<byte> raw, bool base64, bool delSp, out int joined, out int unstuffed)
    {
        var output = new ArrayBufferWriter<byte>(raw.Length + 16);
        var pending = new PendingText();
        var decoded = new ArrayBufferWriter<byte>(128);
        joined = 0;
        unstuffed = 0;
        int pos = 0;
        while (pos < raw.Length)
        {
            int nl = raw[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? raw.Length : pos + nl + 1;
            var line = raw[pos..next];
            pos = next;
            decoded.ResetWrittenCount();
            if (base64)
            {
                DecodeBase64Line(line, decoded);
            }
            else
            {
                DecodeQuotedPrintableLine(line, decoded);
            }

            // The first text line of this raw line continues what is pending: stuffing and soft breaks are judged on the whole.
            var text = decoded.WrittenSpan;
            bool first = true;
            while (true)
            {
                int end = text.IndexOf((byte)'\n');
                if (end < 0)
                {
                    pending.Append(text); // a cut line: waits for the next raw line
                    break;
                }

                Filter(text[..(end + 1)], first, ref pending, output, delSp, ref joined, ref unstuffed);
                first = false;
                text = text[(end + 1)..];
            }
        }

        pending.WriteTo(output);
        return output.WrittenMemory;
    }

    // git mailinfo's flowed filter on one text line; when `first`, the line is what is pending followed by `chunk`.
    private static void Filter(ReadOnlySpan<byte> chunk, bool first, ref PendingText pending, ArrayBufferWriter<byte> output, bool delSp, ref int joined, ref int unstuffed)
    {
        // The content: without "\n", and without a "\r" before it ("\r" alone at the very end is content).
        int length = chunk.Length;
        if (length > 0 && chunk[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && chunk[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        int pendingLength = first ? pending.Length : 0;
        int total = pendingLength + length;
        if (total == 3 && IsSignatureSeparator(first ? pending.Span : default, chunk[..length]))
        {
            pending.WriteTo(output);
            output.Write(chunk);
            return;
        }

        // one stuffed space off the front of the whole line
        if (total > 0 && (pendingLength > 0 ? pending.Span[0] : chunk[0]) == (byte)' ')
        {
            unstuffed++;
            total--;
            if (pendingLength > 0)
            {
                pending.DropFirst();
            }
            else
            {
                chunk = chunk[1..];
                length--;
            }
        }

        if (total > 0 && (length > 0 ? chunk[length - 1] : pending.Span[^1]) == (byte)' ')
        {
            joined++;
            if (length > 0)
            {
                pending.Append(chunk[..(delSp ? length - 1 : length)]);
            }
            else if (delSp)
            {
                pending.DropLast();
            }

            return;
        }

        pending.WriteTo(output);
        output.Write(chunk);
    }

    private static bool IsSignatureSeparator(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        Span<byte> whole = stackalloc byte[3];
        head.CopyTo(whole);
        tail.CopyTo(whole[head.Length..]);
        return whole.SequenceEqual("-- "u8);
    }

    // git's quoted-printable decoding of one raw line: "=XX" a byte, "=" before the line end (or at the end) a soft
    // break that drops the line end, "=" before anything else itself; a NUL byte ends the line.
    private static void DecodeQuotedPrintableLine(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output)
    {
        // "\r\n" is a line end, as git mailsplit leaves it
        bool newline = line.Length > 0 && line[^1] == (byte)'\n';
        var text = newline ? line[..^1] : line;
        if (newline && text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        int i = 0;
        while (i < text.Length)
        {
            byte c = text[i++];
            if (c == 0)
            {
                return;
            }

            if (c == (byte)'=')
            {
                if (i >= text.Length || text[i] == 0)
                {
                    return; // a soft break: the line end goes
                }

                if (i + 1 < text.Length && HexValue(text[i]) is int high and >= 0 && HexValue(text[i + 1]) is int low and >= 0)
                {
                    output.GetSpan(1)[0] = (byte)((high << 4) | low);
                    output.Advance(1);
                    i += 2;
                    continue;
                }
            }

            output.GetSpan(1)[0] = c;
            output.Advance(1);
        }

        if (newline)
        {
            output.Write("\n"u8);
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    // git's base64 decoding of one raw line: characters outside the alphabet (padding too) are skipped, and a group cut
    // by the line end is dropped, since each line is decoded on its own.
    private static void DecodeBase64Line(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output)
    {
        int position = 0;
        int accumulator = 0;
        foreach (byte b in line)
        {
            if (b == 0)
            {
                return;
            }

            int value = b switch
            {
                >= (byte)'A' and <= (byte)'Z' => b - 'A',
                >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
                >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
                (byte)'+' => 62,
                (byte)'/' => 63,
                _ => -1,
            };
            if (value < 0)
            {
                continue;
            }

            switch (position++)
            {
                case 0:
                    accumulator = value << 2;
                    break;
                case 1:
                    Emit(output, accumulator | (value >> 4));
                    accumulator = (value & 15) << 4;
                    break;
                case 2:
                    Emit(output, accumulator | (value >> 2));
                    accumulator = (value & 3) << 6;
                    break;
                default:
                    Emit(output, accumulator | value);
                    position = 0;
                    accumulator = 0;
                    break;
            }
        }

        static void Emit(ArrayBufferWriter<byte> output, int value)
        {
            output.GetSpan(1)[0] = (byte)value;
            output.Advance(1);
        }
    }

    /// <summary>Text waiting for the rest of its line: appended at the end, taken off the front by a start index (linear).</summary>
    private struct PendingText
    {
        private byte[] _buffer;
        private int _start;
        private int _end;

        public readonly int Length => _end - _start;

        public readonly ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(_start, _end - _start);

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                return;
            }

            _buffer ??= new byte[Math.Max(64, bytes.Length)];
            if (_end + bytes.Length > _buffer.Length)
            {
                var grown = new byte[Math.Max(_buffer.Length * 2, Length + bytes.Length)];
                Span.CopyTo(grown);
                _end = Length;
                _start = 0;
                _buffer = grown;
            }

            bytes.CopyTo(_buffer.AsSpan(_end));
            _end += bytes.Length;
        }

        public void DropFirst() => _start++;

        public void DropLast() => _end--;

        public void WriteTo(ArrayBufferWriter<byte> output)
        {
            output.Write(Span);
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>The body with soft line breaks joined and stuffed spaces removed (an 8bit body: each line on its own).</summary>
    /// <param name="body">The body, transfer encoding already undone.</param>
    /// <param name="delSp">Whether the space before a soft break is dropped (<c>delsp=yes</c>).</param>
    /// <param name="joined">How many soft line breaks were joined.</param>
    /// <param name="unstuffed">How many leading spaces were removed.</param>
    public static ReadOnlyMemory<byte> Unflow(ReadOnlySpan<byte> body, bool delSp, out int joined, out int unstuffed)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 16);
        var pending = new PendingText();
        joined = 0;
        unstuffed = 0;
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? body.Length : pos + nl + 1;
            Filter(body[pos..next], first: false, ref pending, output, delSp, ref joined, ref unstuffed);
            pos = next;
        }

        pending.WriteTo(output);
        return output.WrittenMemory;
    }
}
