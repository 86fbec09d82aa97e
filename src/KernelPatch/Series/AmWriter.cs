using System.Buffers;
using System.Text;
using KernelPatch.Commit;

namespace KernelPatch.Series;

/// <summary>
/// Writes patches for <c>git am</c>: adds follow-up trailers to a format-patch mail, byte for byte
/// otherwise, and writes several mails as one mbox.
/// </summary>
/// <remarks>
/// The commit message ends where <c>git mailinfo</c> ends it: at the first line that is exactly
/// <c>---</c>, else at the first <c>diff --git </c> or <c>Index: </c> line, else at the end of the
/// mail. New trailers go right after the last non-blank line before that point, which is the end of
/// the trailer block in format-patch output. As <c>b4 am</c> does (trailer-order <c>*</c>, its default),
/// the existing trailers stay as they are and the new ones follow in the order given, each left out
/// when the message already has it or it came earlier in the list (key and value compared without case).
/// </remarks>
internal static class AmWriter
{
    /// <summary>The separator line git format-patch writes before each message when it has no commit id at hand.</summary>
    internal static ReadOnlySpan<byte> MboxFromLine => "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"u8;

    /// <summary>Returns <paramref name="message"/> with <paramref name="trailers"/> appended to the commit message's trailer block.</summary>
    /// <param name="message">One format-patch mail (LF or CRLF), with or without a leading <c>From </c> line.</param>
    /// <param name="trailers">Trailers to add, in order.</param>
    /// <param name="added">How many trailers were added (0 when the commit message is in no part that can take a line:
    /// a UTF-16 body, a multipart mail opening with a nested multipart).</param>
    /// <remarks>
    /// A single-part text body in base64 or quoted-printable is first decoded and the message written with
    /// <c>Content-Transfer-Encoding: 8bit</c>, as <c>b4 am</c> writes every patch; other headers are kept as they are.
    /// A body in another charset than UTF-8 or US-ASCII is written as git reads it: the commit message in UTF-8, the
    /// patch's bytes as sent, <c>charset=UTF-8</c>; a <c>format=flowed</c> body is written unflowed, as git reads it. A
    /// quoted-printable body that would show an mbox <c>From </c> line once decoded gets the trailers in place, with
    /// <c>=</c> written <c>=3D</c>. In a multipart mail the trailers go where git's commit message ends as it reads the
    /// parts in turn.
    /// </remarks>
    public static byte[] AddTrailers(ReadOnlyMemory<byte> message, IReadOnlyList<(string Key, string Value)> trailers, out int added) =>
        AddTrailers(message, trailers, null, false, out added);

    /// <summary>
    /// <see cref="AddTrailers(ReadOnlyMemory{byte}, IReadOnlyList{ValueTuple{string, string}}, out int)"/>, then the applier's
    /// sign-off as <c>b4 am</c> writes it: when the trailer block holds <paramref name="signOff"/>, it moves to the bottom,
    /// below the added trailers; when it does not and <paramref name="addSignOff"/> is set, it is added there.
    /// </summary>
    /// <param name="message">One format-patch mail.</param>
    /// <param name="trailers">Trailers to add, in order (the sign-off among them is left out by the caller).</param>
    /// <param name="signOff">The applier's <c>Signed-off-by</c> pair; null for none.</param>
    /// <param name="addSignOff">Whether to add <paramref name="signOff"/> when the patch does not have it (<c>b4 am -s</c>).</param>
    /// <param name="added">How many trailers were added (a moved sign-off does not count).</param>
    public static byte[] AddTrailers(ReadOnlyMemory<byte> message, IReadOnlyList<(string Key, string Value)> trailers, (string Key, string Value)? signOff, bool addSignOff, out int added)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + 256);
        bool changed = AddTrailersTo(output, message, trailers, signOff, addSignOff, out added);
        return changed ? output.WrittenSpan.ToArray() : message.ToArray(); // nothing changed: the message as it came, not a decoded copy
    }

    /// <summary>
    /// Writes <paramref name="message"/> with the trailers added into <paramref name="output"/>, as
    /// <see cref="AddTrailers(ReadOnlyMemory{byte}, IReadOnlyList{ValueTuple{string, string}}, ValueTuple{string, string}?, bool, out int)"/>
    /// returns it; false when nothing was added or moved (the message is then to be written as it came, and what
    /// <paramref name="output"/> holds means nothing).
    /// </summary>
    /// <param name="output">Where the changed message goes; it is emptied first, so one writer serves every message of a series.</param>
    /// <param name="message">One format-patch mail; it is parsed in place, not copied.</param>
    /// <param name="trailers">Trailers to add, in order.</param>
    /// <param name="signOff">The applier's <c>Signed-off-by</c> pair; null for none.</param>
    /// <param name="addSignOff">Whether to add <paramref name="signOff"/> when the patch does not have it.</param>
    /// <param name="added">How many trailers were added (a moved sign-off does not count).</param>
    public static bool AddTrailersTo(ArrayBufferWriter<byte> output, ReadOnlyMemory<byte> message, IReadOnlyList<(string Key, string Value)> trailers, (string Key, string Value)? signOff, bool addSignOff, out int added)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.ResetWrittenCount(); // not cleared: every byte read back is written first
        return AddTrailersCore(output, message, trailers, signOff, addSignOff, out added, out bool moved) && (added > 0 || moved);
    }

    private static bool AddTrailersCore(ArrayBufferWriter<byte> output, ReadOnlyMemory<byte> source, IReadOnlyList<(string Key, string Value)> trailers, (string Key, string Value)? signOff, bool addSignOff, out int added, out bool moved)
    {
        ArgumentNullException.ThrowIfNull(trailers);
        added = 0;
        moved = false;
        var message = source.Span;
        int bodyStart = FindBodyStart(message, out var encoding);
        if (trailers.Count == 0 && signOff is null)
        {
            return false;
        }

        // parsed once, in place: the body's type, transfer encoding and flowing decide how a line can go in
        var mail = Mail.MailDocument.Parse(source);
        if (encoding != TransferEncoding.Plain || Mail.MailFlowedText.IsFlowed(mail.ContentType, out _))
        {
            if (DecodeToEightBit(message, mail, encoding) is { } eightBit)
            {
                // decoded once; whatever the decoded body holds, it is not decoded again
                message = eightBit;
                bodyStart = FindBodyStart(message, out _);
                encoding = TransferEncoding.Plain;
            }
            else if (encoding == TransferEncoding.Base64)
            {
                return false;
            }
        }

        int end = message.Length;
        if (encoding == TransferEncoding.Plain && MultipartBoundary(mail) is { } boundary)
        {
            // git reads a multipart mail's parts in turn as one text: the commit message, and its trailer block, end
            // where the first part with a patch break has it, or with the last text before that part
            // (a multipart body is never rewritten above: the message is still the source)
            var rewritten = MultipartMessageEnd(source.ToArray(), bodyStart, boundary, out int partStart, out int partCut);
            if (rewritten is null)
            {
                return false; // the message ends in a part that cannot take a line as it is: nothing is added, and the count says so
            }

            message = rewritten;
            (bodyStart, end) = (partStart, partCut);
        }

        int cut = FindCommitMessageEnd(message, bodyStart, end);

        // Back up over blank lines to just after the last line of text before the cut.
        int insertAt = cut;
        while (insertAt > bodyStart)
        {
            int lineStart = LineStartBefore(message, insertAt, bodyStart);
            if (!IsBlank(message[lineStart..insertAt]))
            {
                break;
            }

            insertAt = lineStart;
        }

        // The paragraph ending at insertAt: is it a trailer block, and which trailers does it hold?
        var existing = new HashSet<(string Key, string Value)>(TrailerPairComparer.Instance);
        int paragraphLines = 0;
        int trailerLines = 0;
        bool gitTrailer = false;
        int liftStart = -1; // the applier's sign-off in the block (the top-most, as b4 removes the first one it lists)
        int liftEnd = -1;
        int pos = insertAt;
        while (pos > bodyStart)
        {
            int lineStart = LineStartBefore(message, pos, bodyStart);
            var line = TrimLineEnd(message[lineStart..pos]);
            if (IsBlank(line))
            {
                break;
            }

            paragraphLines++;
            if (TrySplitTrailer(line, out var key, out var value))
            {
                trailerLines++;
                string keyText = Encoding.UTF8.GetString(key);
                var pair = (keyText, Encoding.UTF8.GetString(value));
                if (signOff is { } mine && TrailerPairComparer.Instance.Equals(pair, mine))
                {
                    (liftStart, liftEnd) = (lineStart, pos);
                }
                else
                {
                    existing.Add(pair);
                }

                gitTrailer |= keyText.Equals("Signed-off-by", StringComparison.OrdinalIgnoreCase);
            }
            else if (line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t'))
            {
                trailerLines++; // continuation of a folded trailer
            }

            pos = lineStart;
        }

        // git interpret-trailers: all lines are trailers, or a git-made trailer and at least 25% trailers.
        bool isTrailerBlock = trailerLines > 0 && (trailerLines == paragraphLines || (gitTrailer && trailerLines * 4 >= paragraphLines));
        if (!isTrailerBlock)
        {
            liftStart = -1; // only a trailer block's sign-off moves
        }

        bool crlf = UsesCrlf(message, bodyStart);
        ReadOnlySpan<byte> newline = crlf ? "\r\n"u8 : "\n"u8;

        if (liftStart >= 0)
        {
            output.Write(message[..liftStart]);
            output.Write(message[liftEnd..insertAt]);
        }
        else
        {
            output.Write(message[..insertAt]);
        }

        bool needsNewline = insertAt > 0 && message[insertAt - 1] != (byte)'\n';
        if (needsNewline)
        {
            output.Write(newline);
        }

        bool separated = isTrailerBlock || insertAt <= bodyStart;
        var quotedCharset = encoding == TransferEncoding.QuotedPrintable ? QuotedPrintableCharset(mail.ContentType.Charset) : null;
        int count = trailers.Count + (signOff is not null && (liftStart >= 0 || addSignOff) ? 1 : 0);
        for (int k = 0; k < count; k++)
        {
            bool isSignOff = k == trailers.Count;
            var (key, value) = isSignOff ? signOff!.Value : trailers[k];
            if (!isSignOff && !existing.Add((key, value)))
            {
                continue;
            }

            // A value of several lines (a trailer and the note below it) is written one line at a time.
            string[] lines = (key.Trim() + ": " + value.Trim()).Split('\n');
            byte[]?[] quoted = new byte[]?[lines.Length];
            bool fits = true;
            for (int l = 0; l < lines.Length && encoding == TransferEncoding.QuotedPrintable; l++)
            {
                fits &= (quoted[l] = QuotedPrintableLine(lines[l], quotedCharset)) is not null;
            }

            if (!fits)
            {
                continue; // the body's charset cannot hold it: not added, and the count says so
            }

            if (!separated)
            {
                output.Write(newline);
                separated = true;
            }

            for (int l = 0; l < lines.Length; l++)
            {
                if (quoted[l] is { } q)
                {
                    output.Write(q);
                }
                else
                {
                    Write(output, lines[l]);
                }

                output.Write(newline);
            }

            if (isSignOff && liftStart >= 0)
            {
                moved = true;
            }
            else
            {
                added++;
            }
        }

        if (added == 0 && !moved)
        {
            return false;
        }

        output.Write(message[insertAt..]);
        return true;
    }

    /// <summary>Writes <paramref name="messages"/> as one mbox for <c>git am</c>.</summary>
    /// <remarks>
    /// A message that starts with a <c>From </c> line keeps it; one that does not gets git format-patch's
    /// <c>From 0000…0000 Mon Sep 17 00:00:00 2001</c> line. A message that does not end with a newline
    /// gets one, so the next separator starts a line. Nothing else is changed (bodies are not
    /// <c>&gt;From</c>-quoted, as in format-patch output).
    /// </remarks>
    public static void WriteMbox(Stream output, IEnumerable<ReadOnlyMemory<byte>> messages)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var memory in messages)
        {
            WriteMboxMessage(output, memory.Span);
        }
    }

    /// <summary>Writes one message of an mbox for <c>git am</c>, as <see cref="WriteMbox(Stream, IEnumerable{ReadOnlyMemory{byte}})"/> writes each.</summary>
    public static void WriteMboxMessage(Stream output, ReadOnlySpan<byte> message)
    {
        bool crlf = UsesCrlf(message, 0);
        if (!message.StartsWith("From "u8))
        {
            output.Write(MboxFromLine);
            output.Write(crlf ? "\r\n"u8 : "\n"u8);
        }

        output.Write(message);
        if (message.Length > 0 && message[^1] != (byte)'\n')
        {
            output.Write(crlf ? "\r\n"u8 : "\n"u8);
        }
    }

    /// <summary>Writes <paramref name="messages"/> as one mbox and returns its bytes.</summary>
    public static byte[] WriteMbox(IEnumerable<ReadOnlyMemory<byte>> messages)
    {
        using var stream = new MemoryStream();
        WriteMbox(stream, messages);
        return stream.ToArray();
    }

    /// <summary>How a body is written on the wire, as far as adding lines to it goes.</summary>
    internal enum TransferEncoding
    {
        /// <summary>7bit, 8bit, binary or none given: lines can be added as they are.</summary>
        Plain,

        /// <summary>base64.</summary>
        Base64,

        /// <summary>quoted-printable.</summary>
        QuotedPrintable,
    }

    /// <summary>
    /// The message as git reads it, for a single-part text body that is encoded, in another charset or flowed: the body
    /// decoded (the commit message in UTF-8, the patch's bytes as sent, a flowed body unflowed) under
    /// <c>Content-Transfer-Encoding: 8bit</c>, and <c>Content-Type: text/plain; charset=UTF-8</c> when the charset or
    /// the flowing changed; null for any other body, one that does not decode, or one that would then show an mbox
    /// separator line.
    /// </summary>
    internal static byte[]? DecodeToEightBit(ReadOnlySpan<byte> message, Mail.MailDocument mail, TransferEncoding encoding)
    {
        var type = mail.ContentType;
        if (!type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // A body in another charset is written as git reads it: the commit message in UTF-8, the patch's bytes as sent
        // (a patch may add a file in that charset), and the Content-Type then says UTF-8.
        Encoding? charset = null;
        if (!Mail.MailContentType.IsUtf8(type.Charset) && (charset = Mail.MailEncodedWords.GetEncoding(type.Charset)) is null)
        {
            return null;
        }

        byte[]? decoded;
        bool retype = charset is not null;
        if (Mail.MailFlowedText.IsFlowed(type, out _))
        {
            // A flowed body is written as git reads it too: unflowed (git unflows an encoded body line by line as it
            // decodes it, which the parse did the same way), and no longer flowed. Written flowed, an added trailer
            // would join a last line ending in a blank (a soft break).
            decoded = mail.IsBodyDecoded ? mail.Body.ToArray() : null;
            retype = true;
        }
        else
        {
            decoded = encoding == TransferEncoding.Plain ? null : DecodeBody(message[mail.BodyOffset..], encoding);
            if (decoded is not null && charset is not null)
            {
                decoded = Mail.MailBodyDecoder.MessageToUtf8(decoded, charset);
            }
        }

        if (decoded is null || HasSeparatorLine(decoded))
        {
            return null;
        }

        bool crlf = UsesCrlf(message, 0);
        var output = new ArrayBufferWriter<byte>(message.Length + decoded.Length);
        var headers = mail.Headers;
        int headersStart = headers.Count > 0 ? headers.GetSpan(0).Offset : mail.BodyOffset;
        output.Write(message[..headersStart]); // a leading "From " line
        for (int i = 0; i < headers.Count; i++)
        {
            var field = headers.GetSpan(i).Slice(message);
            if (headers.NameEquals(i, "Content-Transfer-Encoding"))
            {
                output.Write("Content-Transfer-Encoding: 8bit"u8);
                output.Write(crlf ? "\r\n"u8 : "\n"u8);
                continue;
            }

            if (retype && headers.NameEquals(i, "Content-Type"))
            {
                output.Write("Content-Type: text/plain; charset=UTF-8"u8);
                output.Write(crlf ? "\r\n"u8 : "\n"u8);
                continue;
            }

            output.Write(field);
            if (field.IsEmpty || field[^1] != (byte)'\n')
            {
                output.Write(crlf ? "\r\n"u8 : "\n"u8);
            }
        }

        output.Write(crlf ? "\r\n"u8 : "\n"u8);
        output.Write(decoded);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The encoding of a quoted-printable body's charset (UTF-8 for none, UTF-8 and US-ASCII); null when .NET does not know it.</summary>
    private static Encoding? QuotedPrintableCharset(string? charset)
    {
        if (Mail.MailContentType.IsUtf8(charset))
        {
            return Encoding.UTF8;
        }

        if (Mail.MailEncodedWords.GetEncoding(charset) is not { } known)
        {
            return null;
        }

        // a copy with the fallbacks set: Encoding.GetEncoding(codePage, ...) finds code-page encodings only when the
        // process has registered their provider, which the library does not do
        var strict = (Encoding)known.Clone();
        strict.EncoderFallback = EncoderFallback.ExceptionFallback;
        strict.DecoderFallback = DecoderFallback.ReplacementFallback;
        return strict;
    }

    /// <summary><paramref name="text"/> in <paramref name="charset"/>, quoted-printable (<c>=XX</c> for <c>=</c>, controls and
    /// bytes above 0x7E); null when the charset is unknown or cannot hold the text.</summary>
    private static byte[]? QuotedPrintableLine(string text, Encoding? charset)
    {
        if (charset is null)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = charset.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }

        var output = new List<byte>(bytes.Length + 8);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'=')
            {
                output.Add(b);
            }
            else
            {
                output.Add((byte)'=');
                output.Add((byte)"0123456789ABCDEF"[b >> 4]);
                output.Add((byte)"0123456789ABCDEF"[b & 0xF]);
            }
        }

        return [.. output];
    }

    // A decoded line git mailsplit would take for an mbox separator ("From <sha> Mon Sep 17 00:00:00 2001" quoted in a
    // commit message) would cut the message in two in the mbox written for git am; encoded, it cannot.
    private static bool HasSeparatorLine(ReadOnlySpan<byte> body)
    {
        int pos = 0;
        while (pos < body.Length)
        {
            int found = body[pos..].IndexOf("From "u8);
            if (found < 0)
            {
                return false;
            }

            int start = pos + found;
            if (start == 0 || body[start - 1] == (byte)'\n')
            {
                int nl = body[start..].IndexOf((byte)'\n');
                int end = nl < 0 ? body.Length : start + nl;
                var text = body[start..end].TrimEnd((byte)'\r');
                if (Mailbox.MailboxLines.IsFromLine(text, end - start - text.Length + (nl < 0 ? 0 : 1)))
                {
                    return true;
                }

                pos = end; // the rest of this line starts no line
                continue;
            }

            pos = start + 5;
        }

        return false;
    }

    // Its own method: MimeKit is loaded only when a body needs decoding.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static byte[]? DecodeBody(ReadOnlySpan<byte> body, TransferEncoding encoding)
    {
        MimeKit.Encodings.IMimeDecoder decoder = encoding == TransferEncoding.Base64
            ? new MimeKit.Encodings.Base64Decoder()
            : new MimeKit.Encodings.QuotedPrintableDecoder();
        byte[] input = body.ToArray();
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        int length = decoder.Decode(input, 0, input.Length, output);
        return length == 0 && input.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) >= 0 ? null : output.AsSpan(0, length).ToArray();
    }

    /// <summary>Offset just after the blank line ending the headers (or the end); says how the body is encoded.</summary>
    internal static int FindBodyStart(ReadOnlySpan<byte> message, out TransferEncoding encoding)
    {
        encoding = TransferEncoding.Plain;
        int pos = 0;
        while (pos < message.Length)
        {
            int nl = message[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? message.Length : pos + nl + 1;
            var line = TrimLineEnd(message[pos..end]);
            if (line.Length == 0)
            {
                return end;
            }

            if (TrySplitHeader(line, "Content-Transfer-Encoding"u8, out var value))
            {
                value = value.Trim(" \t"u8);
                encoding = Ascii.EqualsIgnoreCase(value, "base64"u8) ? TransferEncoding.Base64
                    : Ascii.EqualsIgnoreCase(value, "quoted-printable"u8) ? TransferEncoding.QuotedPrintable
                    : TransferEncoding.Plain;
            }

            pos = end;
        }

        return message.Length;
    }

    /// <summary>Offset of the line ending the commit message, or the end of the message.</summary>
    /// <remarks>Matches git mailinfo's <c>patchbreak()</c>: a line starting with <c>diff -</c> or <c>Index: </c>,
    /// <c>--- </c> followed by a file name, or <c>---</c> followed by nothing but white space.</remarks>
    internal static int FindCommitMessageEnd(ReadOnlySpan<byte> message, int bodyStart, int end = -1)
    {
        if (end < 0)
        {
            end = message.Length;
        }

        int pos = bodyStart;
        while (pos < end)
        {
            int le = ByteLines.LineEnd(message[..end], pos, out int next);
            if (CommitMessage.IsPatchBreak(ByteLines.Content(message, pos, le), hasNewline: le < end))
            {
                return pos;
            }

            pos = next;
        }

        return end;
    }

    /// <summary>The boundary of a <c>multipart/*</c> message; null for any other.</summary>
    private static string? MultipartBoundary(Mail.MailDocument mail)
    {
        var type = mail.ContentType;
        return type.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(type.Boundary) ? type.Boundary : null;
    }

    /// <summary>A top-level part of a multipart body: its header block, and its body up to the start of the next boundary line.</summary>
    private readonly record struct MimePart(int HeaderStart, int BodyStart, int BodyEnd, Mail.MailContentType Type, string? Transfer)
    {
        public bool IsEncoded => Transfer is not null && (Transfer.Equals("base64", StringComparison.OrdinalIgnoreCase) || Transfer.Equals("quoted-printable", StringComparison.OrdinalIgnoreCase));

        // what git reads as text: any part but a nested multipart (git keeps its boundaries as text, see
        // docs/differences-from-git.md); an encoded part only once decoded
        public bool IsText => !Type.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Where the commit message of a multipart mail ends, as git reads the parts in turn: before the patch break of the
    /// first part that has one (when text comes before it in that part), else at the end of the last part before it
    /// that holds text. An encoded UTF-8 or US-ASCII text part met on the way is first written out as 8bit (as b4 does
    /// with a whole body), so its lines can be read and added to; returns the message (rewritten or not) and the
    /// range to work in, or null when the message ends in a part that cannot take a line as it is.
    /// </summary>
    private static byte[]? MultipartMessageEnd(byte[] message, int bodyStart, string boundary, out int partStart, out int partCut)
    {
        partStart = partCut = -1;
        byte[] delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        for (int rewrites = 0; rewrites <= 64; rewrites++)
        {
            var parts = TopLevelParts(message, bodyStart, delimiter);
            int last = -1; // the last part so far with text in it
            bool rewritten = false;
            for (int k = 0; k < parts.Count; k++)
            {
                var part = parts[k];
                if (!part.IsText)
                {
                    break; // a nested multipart: the message is taken to end before it
                }

                if (part.IsEncoded)
                {
                    if (Mail.MailContentType.IsUtf8(part.Type.Charset) && part.Type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase)
                        && !Mail.MailFlowedText.IsFlowed(part.Type, out _) && DecodePart(message, part) is { } decoded)
                    {
                        message = decoded;
                        rewritten = true;
                        break; // read the parts again from the start
                    }

                    break; // an encoded part that stays so: the message is taken to end before it
                }

                int cut = FindCommitMessageEnd(message, part.BodyStart, part.BodyEnd);
                bool text = !ByteLines.IsBlank(message.AsSpan(part.BodyStart, cut - part.BodyStart));
                if (cut < part.BodyEnd)
                {
                    if (text)
                    {
                        (partStart, partCut) = (part.BodyStart, cut);
                        return message;
                    }

                    break; // the patch starts this part: the message ends with the text before it
                }

                if (text)
                {
                    last = k;
                }
            }

            if (rewritten)
            {
                continue;
            }

            if (last < 0)
            {
                return null;
            }

            (partStart, partCut) = (parts[last].BodyStart, parts[last].BodyEnd);
            return message;
        }

        return null;
    }

    private static List<MimePart> TopLevelParts(ReadOnlySpan<byte> message, int bodyStart, ReadOnlySpan<byte> delimiter)
    {
        var parts = new List<MimePart>();
        int pos = bodyStart;
        int partHeaders = -1;
        while (pos < message.Length)
        {
            int le = ByteLines.LineEnd(message, pos, out int next);
            var line = ByteLines.Content(message, pos, le);
            if (IsDelimiter(line, delimiter))
            {
                if (partHeaders >= 0 && Part(message, partHeaders, pos) is { } part)
                {
                    parts.Add(part);
                }

                bool closing = line[delimiter.Length..].StartsWith("--"u8);
                partHeaders = closing ? -1 : next;
                if (closing)
                {
                    break;
                }
            }

            pos = next;
        }

        return parts;
    }

    // A part from its header block to the start of the next boundary line; null when its headers never end.
    private static MimePart? Part(ReadOnlySpan<byte> message, int headerStart, int bodyEnd)
    {
        var type = Mail.MailContentType.Default;
        string? transfer = null;
        int pos = headerStart;
        while (pos < bodyEnd)
        {
            int le = ByteLines.LineEnd(message, pos, out int next);
            var line = ByteLines.Content(message, pos, le);
            if (line.IsEmpty)
            {
                return new MimePart(headerStart, next, bodyEnd, type, transfer);
            }

            // a header with its folded lines
            int valueEnd = next;
            while (valueEnd < bodyEnd && message[valueEnd] is (byte)' ' or (byte)'\t')
            {
                ByteLines.LineEnd(message, valueEnd, out valueEnd);
            }

            var field = message[pos..valueEnd];
            if (TrySplitHeader(field, "Content-Type"u8, out var value))
            {
                type = Mail.MailContentType.Parse(Unfold(value));
            }
            else if (TrySplitHeader(field, "Content-Transfer-Encoding"u8, out value))
            {
                transfer = Unfold(value).Trim();
            }

            pos = valueEnd;
        }

        return null;
    }

    private static string Unfold(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value).ReplaceLineEndings(string.Empty).Trim();

    /// <summary>The message with <paramref name="part"/> decoded and marked 8bit; null when it does not decode or would show a separator line.</summary>
    private static byte[]? DecodePart(byte[] message, MimePart part)
    {
        var encoding = part.Transfer!.Equals("base64", StringComparison.OrdinalIgnoreCase) ? TransferEncoding.Base64 : TransferEncoding.QuotedPrintable;
        byte[]? decoded = DecodeBody(message.AsSpan(part.BodyStart, part.BodyEnd - part.BodyStart), encoding);
        if (decoded is null || HasSeparatorLine(decoded))
        {
            return null;
        }

        bool crlf = UsesCrlf(message, part.HeaderStart);
        ReadOnlySpan<byte> newline = crlf ? "\r\n"u8 : "\n"u8;
        var output = new ArrayBufferWriter<byte>(message.Length + decoded.Length);
        output.Write(message.AsSpan(0, part.HeaderStart));
        int pos = part.HeaderStart;
        while (pos < part.BodyStart)
        {
            int le = ByteLines.LineEnd(message, pos, out int next);
            var line = ByteLines.Content(message, pos, le);
            if (TrySplitHeader(line, "Content-Transfer-Encoding"u8, out _))
            {
                output.Write("Content-Transfer-Encoding: 8bit"u8);
                output.Write(newline);
                while (next < part.BodyStart && message[next] is (byte)' ' or (byte)'\t')
                {
                    ByteLines.LineEnd(message, next, out next); // its folded lines go with it
                }
            }
            else
            {
                output.Write(message.AsSpan(pos, next - pos));
            }

            pos = next;
        }

        // the decoded text's last line end is the one before the boundary, which the boundary's own stands for
        var text = decoded.AsSpan();
        if (text.EndsWith("\r\n"u8))
        {
            text = text[..^2];
        }
        else if (text.EndsWith("\n"u8))
        {
            text = text[..^1];
        }

        output.Write(text);
        output.Write(newline);
        output.Write(message.AsSpan(part.BodyEnd));
        return output.WrittenSpan.ToArray();
    }

    // "--boundary" (or the closing "--boundary--"), blanks allowed after it.
    private static bool IsDelimiter(ReadOnlySpan<byte> line, ReadOnlySpan<byte> delimiter) =>
        line.StartsWith(delimiter) && line[delimiter.Length..].TrimStart("-"u8).Trim(" \t"u8).IsEmpty;

    private static int LineStartBefore(ReadOnlySpan<byte> message, int lineEnd, int floor)
    {
        // lineEnd is just after a '\n' (or the end of text); find the start of that line.
        int searchEnd = lineEnd > floor && message[lineEnd - 1] == (byte)'\n' ? lineEnd - 1 : lineEnd;
        int nl = message[floor..searchEnd].LastIndexOf((byte)'\n');
        return nl < 0 ? floor : floor + nl + 1;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\n"u8).Length == 0;

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> line)
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

    private static bool UsesCrlf(ReadOnlySpan<byte> message, int from)
    {
        int nl = message[from..].IndexOf((byte)'\n');
        if (nl < 0 && from > 0)
        {
            nl = message.IndexOf((byte)'\n');
            from = 0;
        }

        return nl > 0 && message[from + nl - 1] == (byte)'\r';
    }

    /// <summary>A trailer line: a key of letters, digits and '-', a colon, a value.</summary>
    private static bool TrySplitTrailer(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        int colon = line.IndexOf((byte)':');
        if (colon < 1)
        {
            return false;
        }

        foreach (byte b in line[..colon])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == (byte)'-'))
            {
                return false;
            }
        }

        key = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    private static bool TrySplitHeader(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (line.Length <= name.Length || line[name.Length] != (byte)':' || !Ascii.EqualsIgnoreCase(line[..name.Length], name))
        {
            return false;
        }

        value = line[(name.Length + 1)..];
        return true;
    }

    private static void Write(ArrayBufferWriter<byte> output, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        int written = Encoding.UTF8.GetBytes(text, output.GetSpan(max));
        output.Advance(written);
    }
}
