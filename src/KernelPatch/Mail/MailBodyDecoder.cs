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
/// As <c>git mailinfo</c>, a multipart body becomes its parts' text, in order: the <c>text/plain</c> and patch parts
/// (<see cref="Wanted"/>) and forwarded messages; HTML alternatives, signatures and binary attachments are left out.
/// A MimeKit exception becomes a diagnostic.
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
        using var mime = MimeInput(input, headers, bodyOffset, end, diagnostics);
        if (mime is null)
        {
            return null;
        }

        var body = source[bodyOffset..end];
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
                if (entity is MessagePart { Message: { } attached })
                {
                    // git mailinfo reads an attached (forwarded) message as text: its headers and its body as sent
                    part.SetLength(0);
                    attached.WriteTo(UnixLines, part);
                    AppendPart(output, part.GetBuffer().AsSpan(0, (int)part.Length), null, ref inPatch);
                    output.Write(BoundaryLineEnd(body, ref bodyHasCrlf)); // the line end before the boundary, as git keeps it
                    parts++;
                    continue;
                }

                var want = entity is MimePart candidate ? Wanted(candidate) : Want.No;
                if (want == Want.No)
                {
                    continue;
                }

                var mimePart = (MimePart)entity;
                var text = mimePart as TextPart;

                // As git mailinfo: the transfer encoding is undone, the commit message is converted from the part's
                // charset to UTF-8, and from the patch's first line on the bytes are kept as they are (a patch may
                // add a file in another encoding; converting it would change the file and its patch-id).
                part.SetLength(0);
                bool flowed = text is { IsFlowed: true };
                bool encodedFlowed = flowed && mimePart.Content is { Encoding: ContentEncoding.QuotedPrintable or ContentEncoding.Base64, Stream: not null };
                if (encodedFlowed)
                {
                    var stream = mimePart.Content!.Stream!;
                    stream.Position = 0;
                    stream.CopyTo(part); // as sent: git decodes and unflows it line by line together
                }
                else
                {
                    mimePart.Content?.DecodeTo(part);
                }

                ReadOnlySpan<byte> content = part.GetBuffer().AsSpan(0, (int)part.Length);
                if (want == Want.IfPatch && !StartsWithPatch(content))
                {
                    continue;
                }

                // git mailinfo's "quoted CRLF detected": git am keeps these CRs (its default --quoted-cr=warn). A mail
                // stored with CRLF decodes quoted-printable with CRLF too, but those CRs are not quoted (git mailsplit
                // takes them off before mailinfo sees them).
                // git looks for them only in a part that is not format=flowed.
                if (!quotedCr && !flowed && content.IndexOf("\r\n"u8) >= 0
                    && (mimePart.ContentTransferEncoding == ContentEncoding.Base64 || (mimePart.ContentTransferEncoding == ContentEncoding.QuotedPrintable && !(bodyHasCrlf ??= body.IndexOf("\r\n"u8) >= 0))))
                {
                    quotedCr = true;
                    diagnostics.Warning(MailDiagnosticCodes.QuotedCr, "Expected LF line ends inside the " + (mimePart.ContentTransferEncoding == ContentEncoding.Base64 ? "base64" : "quoted-printable")
                        + " body, found CRLF (git mailinfo: quoted CRLF detected). git am keeps the CR, and the patch does not apply unless it is run with --quoted-cr=strip; the commit message is read here with LF line ends.", bodyOffset);
                }

                if (flowed)
                {
                    // after the transfer encoding, before the charset, as git mailinfo does
                    bool delSp = MailFlowedText.IsDelSp(mimePart.ContentType.Parameters["delsp"]);
                    int joined;
                    int unstuffed;
                    content = encodedFlowed
                        ? MailFlowedText.UnflowEncoded(content, mimePart.Content!.Encoding == ContentEncoding.Base64, delSp, out joined, out unstuffed).Span
                        : MailFlowedText.Unflow(content, delSp, out joined, out unstuffed).Span;
                    MailFlowedText.Report(diagnostics, joined, unstuffed, bodyOffset);
                }

                AppendPart(output, content, ConversionFrom(CharsetOf(mimePart)), ref inPatch);
                if (message.Body is not Multipart)
                {
                    EndWithNewline(output);
                }
                else if (KeepsBoundaryLineEnd(mimePart))
                {
                    output.Write(BoundaryLineEnd(body, ref bodyHasCrlf));
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

    /// <summary>How an attached message is written out: as parsed, with LF line ends.</summary>
    private static readonly FormatOptions UnixLines = CreateUnixLines();

    private static FormatOptions CreateUnixLines()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        return options;
    }

    /// <summary>
    /// Whether the line end before a part's boundary shows in git's text. MIME gives it to the boundary (MimeKit's
    /// content ends before it), but <c>git mailinfo</c> reads a part up to the boundary line and decodes what it read,
    /// so the line end is text in 7bit, 8bit and quoted-printable parts (unless a soft line break, a last <c>=</c>,
    /// takes it), and decodes to nothing in base64. A part ending without a line end then runs into the next one, as
    /// in git.
    /// </summary>
    private static bool KeepsBoundaryLineEnd(MimePart part)
    {
        switch (part.ContentTransferEncoding)
        {
            case ContentEncoding.Base64:
            case ContentEncoding.UUEncode:
                return false;
            case ContentEncoding.QuotedPrintable:
                var stream = part.Content?.Stream;
                if (stream is null || !stream.CanSeek || stream.Length == 0)
                {
                    return true;
                }

                Span<byte> tail = stackalloc byte[64];
                stream.Position = Math.Max(0, stream.Length - tail.Length);
                int read = stream.ReadAtLeast(tail, (int)Math.Min(tail.Length, stream.Length), throwOnEndOfStream: false);
                stream.Position = 0;
                var last = tail[..read].TrimEnd(" \t"u8);
                return last.IsEmpty || last[^1] != (byte)'=';
            default:
                return true;
        }
    }

    /// <summary>The body's line end (CRLF when it has one anywhere; looked for once).</summary>
    private static ReadOnlySpan<byte> BoundaryLineEnd(ReadOnlySpan<byte> body, ref bool? bodyHasCrlf) =>
        (bodyHasCrlf ??= body.IndexOf("\r\n"u8) >= 0) ? "\r\n"u8 : "\n"u8;

    /// <summary>A decoded single-part body ends with a line end.</summary>
    private static void EndWithNewline(ArrayBufferWriter<byte> output)
    {
        if (output.WrittenCount > 0 && output.WrittenSpan[^1] != (byte)'\n')
        {
            output.Write("\n"u8);
        }
    }

    /// <summary>
    /// What MimeKit is given to decode a body: the message's <c>MIME-Version</c> and <c>Content-*</c> headers, then the
    /// body; null (with KP0213 when <paramref name="diagnostics"/> is given) when a header or a folded run is longer than
    /// <see cref="MaxMimeHeaderLength"/>, where MimeKit's cost grows with the square of the length.
    /// </summary>
    internal static MemoryStream? MimeInput(ReadOnlyMemory<byte> input, MailHeaderList headers, int bodyOffset, int end, DiagnosticBag? diagnostics)
    {
        var source = input.Span;
        var mime = new MemoryStream((end - bodyOffset) + 1024); // the body and a few MIME headers: no regrowth in the usual case
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
                mime.Dispose();
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
            mime.Dispose();
            return null;
        }

        mime.Write(body);
        mime.Position = 0;
        return mime;
    }

    private static void TooLong(DiagnosticBag? diagnostics, int offset, int length) =>
        diagnostics?.Error(MailDiagnosticCodes.MimeHeaderTooLong, "Expected MIME headers of at most " + MaxMimeHeaderLength + " bytes, found one of " + length + "; the body is not decoded and the raw body is kept.", offset);

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

    /// <summary>
    /// The part's charset as git reads its Content-Type: the first <c>charset</c> parameter, a comment after the value
    /// left out (MimeKit keeps <c>latin1 (comment)</c> whole).
    /// </summary>
    private static string? CharsetOf(MimePart part) =>
        part.Headers[HeaderId.ContentType] is { Length: > 0 } raw ? MailContentType.Parse(raw).Charset : part.ContentType.Charset;

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

    /// <summary>
    /// <paramref name="text"/> as git reads it for a commit: the lines before the patch converted from
    /// <paramref name="charset"/> to UTF-8, the patch's bytes as they are; null when the charset does not write ASCII
    /// as ASCII (its lines cannot be found).
    /// </summary>
    internal static byte[]? MessageToUtf8(ReadOnlySpan<byte> text, Encoding charset)
    {
        if (!KeepsAsciiLines(charset))
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(text.Length + 64);
        bool inPatch = false;
        AppendPart(output, text, charset, ref inPatch);
        return output.WrittenSpan.ToArray();
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

        // ISO-2022-JP and the like write their text with ASCII bytes and escapes: every line is converted, not only
        // those with 8-bit bytes
        bool sevenBitStateful = from is { CodePage: (>= 50220 and <= 50229) or 52936 or 65000 };
        while (!part.IsEmpty)
        {
            int end = part.IndexOf((byte)'\n');
            var line = end < 0 ? part : part[..(end + 1)];
            part = part[line.Length..];
            if (!inPatch && from is not null && (sevenBitStateful || line.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0))
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

    /// <summary>Whether a part is read: <see cref="Want.IfPatch"/> when only its content can say.</summary>
    private enum Want
    {
        No,
        Yes,
        IfPatch,
    }

    /// <summary>
    /// Which parts are read, in the order they come. <c>git mailinfo</c> reads every part whatever its type (HTML,
    /// images and signatures included); <c>b4</c> and patchwork read the <c>text/plain</c> and patch parts. Taken here:
    /// every <c>text/plain</c> part, inline or attached (all three read them); any part typed <c>x-patch</c> or
    /// <c>x-diff</c> (<c>text/</c> or <c>application/</c>), or named <c>*.patch</c>/<c>*.diff</c>, whatever its
    /// type (mail clients attach patches as <c>application/octet-stream</c>, and git reads them); and an unnamed
    /// <c>application/octet-stream</c> part whose content starts a patch. HTML, signatures, images and other
    /// binary attachments are left out.
    /// </summary>
    private static Want Wanted(MimePart part)
    {
        var type = part.ContentType;
        string subtype = type.MediaSubtype;
        if (subtype.Equals("x-patch", StringComparison.OrdinalIgnoreCase) || subtype.Equals("x-diff", StringComparison.OrdinalIgnoreCase)
            || type.IsMimeType("text", "plain"))
        {
            return Want.Yes;
        }

        string? name = part.FileName;
        if (name is not null && (name.EndsWith(".patch", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".diff", StringComparison.OrdinalIgnoreCase)))
        {
            return Want.Yes;
        }

        return type.IsMimeType("application", "octet-stream") ? Want.IfPatch : Want.No;
    }

    /// <summary>Whether decoded content starts a patch: its first line that is not blank is a patch break (<c>diff -</c>, <c>--- </c>, <c>Index: </c>).</summary>
    private static bool StartsWithPatch(ReadOnlySpan<byte> content)
    {
        while (!content.IsEmpty)
        {
            int end = content.IndexOf((byte)'\n');
            var line = end < 0 ? content : content[..end];
            line = line.TrimEnd((byte)'\r');
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0)
            {
                return Commit.CommitMessage.IsPatchBreak(line, end >= 0);
            }

            content = end < 0 ? default : content[(end + 1)..];
        }

        return false;
    }
}
