using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using KernelPatch.Text;
using MimeKit;

namespace KernelPatch.Mail;

/// <summary>
/// The MimeKit fallback for bodies that are not plain 7bit/8bit UTF-8: quoted-printable, base64, other charsets,
/// multipart with the patch as an attachment. The result is a new UTF-8 buffer that then takes the fast path.
/// </summary>
/// <remarks>
/// As <c>git mailinfo</c>, a multipart body becomes the inline <c>text/plain</c> parts followed by the patch
/// attachments (<c>text/x-patch</c>, <c>text/x-diff</c>, or text named <c>*.patch</c>/<c>*.diff</c>), in order;
/// HTML alternatives, signatures and binary attachments are left out. A MimeKit exception becomes a diagnostic.
/// </remarks>
internal static class MailBodyDecoder
{
    /// <summary>
    /// The longest MIME header (name, value and folds) handed to MimeKit. Its parser's cost grows with the
    /// square of a header's length (a 250 KB folded header allocated 450 MB), so a body with a longer one is
    /// not decoded; real ones (a Content-Type with its boundary and file name) are well under 1 KB.
    /// </summary>
    internal const int MaxMimeHeaderLength = 16 * 1024;

    /// <summary>
    /// Decodes the body of the message whose headers are <paramref name="headers"/> and whose body is
    /// <paramref name="input"/>[<paramref name="bodyOffset"/>..<paramref name="end"/>]; null (with a diagnostic) when it cannot.
    /// MimeKit is given only what decoding reads: the message's <c>MIME-Version</c> and <c>Content-*</c> headers, then the body.
    /// </summary>
    // Never inlined: the JIT loads MimeKit whenever it compiles a method that names its types, so inlining this into
    // MailDocument.Parse loaded MimeKit into processes that never decode a MIME body (seen on the 1 GB stream).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static byte[]? Decode(ReadOnlyMemory<byte> input, MailHeaderList headers, int bodyOffset, int end, DiagnosticBag diagnostics)
    {
        var source = input.Span;
        using var mime = new MemoryStream((end - bodyOffset) + 1024); // the body and a few MIME headers: no regrowth in the usual case
        for (int i = 0; i < headers.Count; i++)
        {
            if (!headers.IsMimeHeader(i))
            {
                continue;
            }

            var span = headers.GetSpan(i);
            if (span.Length > MaxMimeHeaderLength)
            {
                TooLong(diagnostics, span.Offset, span.Length);
                return null;
            }

            var field = source.Slice(span.Offset, span.Length);
            mime.Write(field);
            if (field.IsEmpty || field[^1] != (byte)'\n')
            {
                mime.WriteByte((byte)'\n');
            }
        }

        mime.WriteByte((byte)'\n');
        var body = source[bodyOffset..end];
        if (FindOverlongHeaderRun(body, out int runLength) is int at and >= 0)
        {
            TooLong(diagnostics, bodyOffset + at, runLength);
            return null;
        }

        mime.Write(body);
        mime.Position = 0;
        try
        {
            using var message = MimeMessage.Load(mime);
            var output = new ArrayBufferWriter<byte>(body.Length + 64);
            using var part = new MemoryStream();
            bool inPatch = false;
            bool quotedCr = false;
            bool? bodyHasCrlf = null; // looked for once: a part per line would make it quadratic
            int parts = 0;
            foreach (var entity in message.BodyParts)
            {
                if (entity is not TextPart text || !IsWanted(text))
                {
                    continue;
                }

                // As git mailinfo: the transfer encoding is undone, the commit message is converted from the part's
                // charset to UTF-8, and from the patch's first line on the bytes are kept as they are (a patch may
                // add a file in another encoding; converting it would change the file and its patch-id).
                part.SetLength(0);
                bool encodedFlowed = text.IsFlowed && text.Content is { Encoding: ContentEncoding.QuotedPrintable or ContentEncoding.Base64, Stream: not null };
                if (encodedFlowed)
                {
                    var stream = text.Content!.Stream!;
                    stream.Position = 0;
                    stream.CopyTo(part); // as sent: git decodes and unflows it line by line together
                }
                else
                {
                    text.Content?.DecodeTo(part);
                }

                ReadOnlySpan<byte> content = part.GetBuffer().AsSpan(0, (int)part.Length);
                // git mailinfo's "quoted CRLF detected": git am keeps these CRs (its default --quoted-cr=warn). A mail
                // stored with CRLF decodes quoted-printable with CRLF too, but those CRs are not quoted (git mailsplit
                // takes them off before mailinfo sees them).
                // git looks for them only in a part that is not format=flowed.
                if (!quotedCr && !text.IsFlowed && content.IndexOf("\r\n"u8) >= 0
                    && (text.ContentTransferEncoding == ContentEncoding.Base64 || (text.ContentTransferEncoding == ContentEncoding.QuotedPrintable && !(bodyHasCrlf ??= body.IndexOf("\r\n"u8) >= 0))))
                {
                    quotedCr = true;
                    diagnostics.Warning(MailDiagnosticCodes.QuotedCr, "Expected LF line ends inside the " + (text.ContentTransferEncoding == ContentEncoding.Base64 ? "base64" : "quoted-printable")
                        + " body, found CRLF (git mailinfo: quoted CRLF detected). git am keeps the CR, and the patch does not apply unless it is run with --quoted-cr=strip; the commit message is read here with LF line ends.", bodyOffset);
                }

                if (text.IsFlowed)
                {
                    // after the transfer encoding, before the charset, as git mailinfo does
                    bool delSp = MailFlowedText.IsDelSp(text.ContentType.Parameters["delsp"]);
                    int joined;
                    int unstuffed;
                    content = encodedFlowed
                        ? MailFlowedText.UnflowEncoded(content, text.Content!.Encoding == ContentEncoding.Base64, delSp, out joined, out unstuffed).Span
                        : MailFlowedText.Unflow(content, delSp, out joined, out unstuffed).Span;
                    MailFlowedText.Report(diagnostics, joined, unstuffed, bodyOffset);
                }

                AppendPart(output, content, ConversionFrom(text.ContentType.Charset), ref inPatch);

                // the line end before a boundary belongs to the boundary: end every part with one
                if (output.WrittenCount > 0 && output.WrittenSpan[^1] != (byte)'\n')
                {
                    output.Write("\n"u8);
                }

                parts++;
            }

            if (parts == 0)
            {
                diagnostics.Warning(MailDiagnosticCodes.NoTextPart, "Expected a text/plain part or a patch attachment in the " + message.Body?.ContentType.MimeType + " body, found none; the raw body is kept.", bodyOffset);
                return null;
            }

            return output.WrittenSpan.ToArray();
        }
#pragma warning disable CA1031 // any MimeKit failure must become a diagnostic, never a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Error(MailDiagnosticCodes.BodyDecodeFailed, "Expected a MIME body MimeKit can decode, found one it rejected (" + ex.GetType().Name + ": " + ex.Message + "); the raw body is kept.", bodyOffset);
            return null;
        }
    }

    private static void TooLong(DiagnosticBag diagnostics, int offset, int length) =>
        diagnostics.Error(MailDiagnosticCodes.MimeHeaderTooLong, "Expected MIME headers of at most " + MaxMimeHeaderLength + " bytes, found one of " + length + "; the body is not decoded and the raw body is kept.", offset);

    /// <summary>
    /// The start of the first run in a MIME body longer than <see cref="MaxMimeHeaderLength"/>: a line with the lines
    /// folded under it (starting with a blank or a tab), which MimeKit reads as one header wherever a header may
    /// start (after a boundary, in an attached message), even when the first line has no colon; -1 when there is
    /// none. Text rarely has 16 KiB of indented lines under one line; a patch never does (its lines start with
    /// <c>+</c>, <c>-</c> or a blank, and context runs are short). One pass over the body.
    /// </summary>
    internal static int FindOverlongHeaderRun(ReadOnlySpan<byte> body, out int length)
    {
        int runStart = -1;
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            int next = nl < 0 ? body.Length : pos + nl + 1;
            byte first = body[pos];
            if (first is (byte)'\n' or (byte)'\r')
            {
                runStart = -1; // a blank line ends a header block
            }
            else if (first is not ((byte)' ' or (byte)'\t'))
            {
                runStart = pos; // a folded line continues the run above it
            }

            if (runStart >= 0 && next - runStart > MaxMimeHeaderLength)
            {
                while (next < body.Length && body[next] is (byte)' ' or (byte)'\t')
                {
                    int more = body[next..].IndexOf((byte)'\n');
                    next = more < 0 ? body.Length : next + more + 1;
                }

                length = next - runStart;
                return runStart;
            }

            pos = next;
        }

        length = 0;
        return -1;
    }

    /// <summary>The encoding to convert a part's commit message from: null for UTF-8, US-ASCII, no charset (git converts none of these) and a charset .NET does not know.</summary>
    private static Encoding? ConversionFrom(string? charset)
    {
        if (string.IsNullOrEmpty(charset))
        {
            return null;
        }

        var encoding = MailEncodedWords.GetEncoding(charset);
        return encoding is null || encoding.CodePage == Encoding.UTF8.CodePage ? null : encoding;
    }

    /// <summary>Appends a decoded part line by line: converted to UTF-8 until the patch starts, as they are after that.</summary>
    private static void AppendPart(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> part, Encoding? from, ref bool inPatch)
    {
        if (from is not null && !KeepsAsciiLines(from))
        {
            // UTF-16 and the like: a line end is not the byte 0x0A there, so the part is converted whole.
            string whole = from.GetString(part);
            int length = Encoding.UTF8.GetByteCount(whole);
            Encoding.UTF8.GetBytes(whole, output.GetSpan(length));
            output.Advance(length);
            return;
        }

        while (!part.IsEmpty)
        {
            int end = part.IndexOf((byte)'\n');
            var line = end < 0 ? part : part[..(end + 1)];
            part = part[line.Length..];
            if (!inPatch && from is not null && line.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0)
            {
                string converted = from.GetString(line);
                int length = Encoding.UTF8.GetByteCount(converted);
                Encoding.UTF8.GetBytes(converted, output.GetSpan(length));
                output.Advance(length);
            }
            else
            {
                output.Write(line);
            }

            bool hasNewline = line.Length > 0 && line[^1] == (byte)'\n';
            inPatch = inPatch || Commit.CommitMessage.IsPatchBreak(hasNewline ? line[..^1] : line, hasNewline);
        }
    }

    /// <summary>Whether the encoding writes ASCII as ASCII (line ends, <c>diff -</c>, <c>---</c>), so its lines can be found and converted one by one.</summary>
    private static bool KeepsAsciiLines(Encoding encoding)
    {
        const string Ascii = "\n-+ diff";
        Span<byte> probe = stackalloc byte[16];
        return encoding.GetByteCount(Ascii) == Ascii.Length && encoding.GetBytes(Ascii, probe) == Ascii.Length && probe[..Ascii.Length].SequenceEqual("\n-+ diff"u8);
    }

    private static bool IsWanted(TextPart part)
    {
        var type = part.ContentType;
        if (type.IsMimeType("text", "x-patch") || type.IsMimeType("text", "x-diff"))
        {
            return true;
        }

        if (!type.IsMimeType("text", "plain"))
        {
            return false;
        }

        string? name = part.FileName;
        if (name is not null && (name.EndsWith(".patch", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".diff", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return !part.IsAttachment;
    }
}
