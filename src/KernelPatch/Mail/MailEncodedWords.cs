using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Decodes RFC 2047 encoded words (<c>=?charset?Q|B?text?=</c>) in header text to a string.
/// </summary>
/// <remarks>
/// Q and B encodings; utf-8, us-ascii, iso-8859-* and windows-125x (and every code page .NET knows). Whitespace
/// between two adjacent encoded words is dropped (RFC 2047 §6.2); consecutive words in the same charset are joined
/// as bytes before decoding, so a character split across two words survives. A malformed word is kept as written.
/// Text outside encoded words is read as UTF-8. Cost is linear in the input length.
/// </remarks>
public static class MailEncodedWords
{
    /// <summary>Decodes the encoded words of unfolded header text given as UTF-8 bytes.</summary>
    /// <param name="text">The header text (already unfolded).</param>
    /// <returns>The decoded text.</returns>
    public static string Decode(ReadOnlySpan<byte> text) => Decode(text, null, 0);

    /// <summary>Decodes the encoded words of unfolded header text.</summary>
    /// <param name="text">The header text (already unfolded).</param>
    /// <returns>The decoded text.</returns>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("=?", StringComparison.Ordinal) ? Decode(Encoding.UTF8.GetBytes(text), null, 0) : text;
    }

    /// <summary>Decodes, reporting malformed words and unknown charsets at <paramref name="offset"/> into <paramref name="diagnostics"/>.</summary>
    internal static string Decode(ReadOnlySpan<byte> text, DiagnosticBag? diagnostics, int offset)
    {
        int first = text.IndexOf("=?"u8);
        if (first < 0)
        {
            return StringPool.Get(text); // short plain values repeat from mail to mail ("8bit", list ids)
        }

        var result = new StringBuilder(text.Length);
        var pending = new ArrayBufferWriter<byte>(64);
        string? pendingCharset = null;
        bool lastWasWord = false;
        int pos = 0;
        while (pos < text.Length)
        {
            int rel = text[pos..].IndexOf("=?"u8);
            if (rel < 0)
            {
                break;
            }

            int start = pos + rel;
            ReadOnlySpan<byte> literal = text[pos..start];
            if (!TryParseWord(text, start, out var charset, out byte encoding, out var payload, out int end))
            {
                Flush(result, pending, ref pendingCharset, diagnostics, offset);
                result.Append(Encoding.UTF8.GetString(text[pos..(start + 2)]));
                diagnostics?.Warning(MailDiagnosticCodes.BadEncodedWord, "Expected an encoded word '=?charset?Q|B?text?=', found a malformed one; it is kept as written.", offset + start);
                pos = start + 2;
                lastWasWord = false;
                continue;
            }

            if (!(lastWasWord && IsWhitespace(literal)))
            {
                Flush(result, pending, ref pendingCharset, diagnostics, offset);
                result.Append(Encoding.UTF8.GetString(literal));
            }

            string charsetName = charset.IndexOf((byte)' ') < 0 ? Encoding.ASCII.GetString(charset) : Encoding.ASCII.GetString(charset).Replace(" ", string.Empty, StringComparison.Ordinal);
            if (pendingCharset is not null && !string.Equals(pendingCharset, charsetName, StringComparison.OrdinalIgnoreCase))
            {
                Flush(result, pending, ref pendingCharset, diagnostics, offset);
            }

            pendingCharset = charsetName;
            if (!DecodePayload(encoding, payload, pending))
            {
                diagnostics?.Warning(MailDiagnosticCodes.BadEncodedWord, "Expected base64 text in a B encoded word, found invalid characters; it is kept as written.", offset + start);
                Flush(result, pending, ref pendingCharset, diagnostics, offset);
                result.Append(Encoding.UTF8.GetString(text[start..end]));
            }

            lastWasWord = true;
            pos = end;
        }

        Flush(result, pending, ref pendingCharset, diagnostics, offset);
        result.Append(Encoding.UTF8.GetString(text[pos..]));
        return result.ToString();
    }

    /// <summary>Returns the encoding for a MIME charset name (or one of glibc's aliases for it, <see cref="MailCharsets"/>), or null when neither .NET nor glibc knows it.</summary>
    internal static Encoding? GetEncoding(string charset)
    {
        int star = charset.IndexOf('*', StringComparison.Ordinal); // RFC 2231 language suffix
        if (star >= 0)
        {
            charset = charset[..star];
        }

        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || charset.Equals("ascii", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8;
        }

        if (charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || charset.Equals("latin1", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.Latin1;
        }

        return FromCodePages(charset) ?? MailCharsets.FromAlias(charset);
    }

    // A method of its own: the JIT loads System.Text.Encoding.CodePages when it compiles a method that names the
    // provider, so naming it in GetEncoding loaded it for every UTF-8 encoded word.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Encoding? FromCodePages(string charset) => CodePagesEncodingProvider.Instance.GetEncoding(charset);

    private static void Flush(StringBuilder result, ArrayBufferWriter<byte> pending, ref string? charset, DiagnosticBag? diagnostics, int offset)
    {
        if (charset is null)
        {
            return;
        }

        var encoding = GetEncoding(charset);
        if (encoding is null)
        {
            diagnostics?.Warning(MailDiagnosticCodes.UnknownCharset, "Expected a known charset in an encoded word, found '" + charset + "'; the bytes are read as UTF-8.", offset);
            encoding = Encoding.UTF8;
        }

        result.Append(encoding.GetString(pending.WrittenSpan));
        pending.Clear();
        charset = null;
    }

    private static bool TryParseWord(ReadOnlySpan<byte> text, int start, out ReadOnlySpan<byte> charset, out byte encoding, out ReadOnlySpan<byte> payload, out int end)
    {
        charset = default;
        payload = default;
        encoding = 0;
        end = 0;
        // A blank inside a word is where a mailer folded the line in the middle of it ("=?UTF-8?Q?t=C3=AF" then " tle?=");
        // git mailinfo reads such a word up to its "?=" all the same, and so does this: blanks in the charset name
        // are dropped, in Q text kept, in B text skipped. A word still ends at the first '?' after its text starts.
        int i = start + 2;
        int charsetStart = i;
        while (i < text.Length && text[i] != (byte)'?' && text[i] >= 32 && text[i] < 127)
        {
            i++;
        }

        if (i == charsetStart || i + 2 >= text.Length || text[i] != (byte)'?' || text[i + 2] != (byte)'?')
        {
            return false;
        }

        charset = text[charsetStart..i];
        encoding = (byte)(text[i + 1] | 0x20);
        if (encoding != (byte)'q' && encoding != (byte)'b')
        {
            return false;
        }

        i += 3;
        int payloadStart = i;
        while (i < text.Length && text[i] != (byte)'?' && (text[i] > 32 || text[i] == (byte)' ' || text[i] == (byte)'\t'))
        {
            i++;
        }

        if (i + 1 >= text.Length || text[i] != (byte)'?' || text[i + 1] != (byte)'=')
        {
            return false;
        }

        payload = text[payloadStart..i];
        end = i + 2;
        return true;
    }

    private static bool DecodePayload(byte encoding, ReadOnlySpan<byte> payload, ArrayBufferWriter<byte> output)
    {
        if (encoding == (byte)'q')
        {
            var span = output.GetSpan(payload.Length);
            int n = 0;
            for (int i = 0; i < payload.Length; i++)
            {
                byte b = payload[i];
                if (b == (byte)'_')
                {
                    span[n++] = (byte)' ';
                }
                else if (b == (byte)'=' && i + 2 < payload.Length && HexValue(payload[i + 1]) >= 0 && HexValue(payload[i + 2]) >= 0)
                {
                    span[n++] = (byte)((HexValue(payload[i + 1]) << 4) | HexValue(payload[i + 2]));
                    i += 2;
                }
                else
                {
                    span[n++] = b;
                }
            }

            output.Advance(n);
            return true;
        }

        // B: tolerate missing padding, as mail clients do, and blanks (a fold inside the word).
        int length = payload.Length - payload.Count((byte)' ') - payload.Count((byte)'\t');
        int padded = (length + 3) / 4 * 4;
        byte[] rented = ArrayPool<byte>.Shared.Rent(padded);
        try
        {
            int n = 0;
            foreach (byte b in payload)
            {
                if (b != (byte)' ' && b != (byte)'\t')
                {
                    rented[n++] = b;
                }
            }

            rented.AsSpan(length, padded - length).Fill((byte)'=');
            var span = output.GetSpan(Base64.GetMaxDecodedFromUtf8Length(padded));
            var status = Base64.DecodeFromUtf8(rented.AsSpan(0, padded), span, out _, out int written);
            if (status != OperationStatus.Done)
            {
                return false;
            }

            output.Advance(written);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool IsWhitespace(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
