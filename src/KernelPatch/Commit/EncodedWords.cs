using System.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Decodes RFC 2047 encoded words (<c>=?utf-8?q?Philippe_Mathieu-Daud=C3=A9?=</c>) in an in-body header
/// value; UTF-8, US-ASCII and ISO-8859-1 charsets; other charsets and malformed words are kept as written.
/// White space between two encoded words is dropped, as RFC 2047 says.
/// </summary>
internal static class EncodedWords
{
    public static string Decode(string value)
    {
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        int pos = 0;
        bool lastWasEncoded = false;
        int cachedClose = -1;
        while (pos < value.Length)
        {
            int open = value.IndexOf("=?", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(value, pos, value.Length - pos);
                break;
            }

            if (TryWord(value, open, ref cachedClose, out string? text, out int end))
            {
                ReadOnlySpan<char> between = value.AsSpan(pos, open - pos);
                if (!(lastWasEncoded && between.IsWhiteSpace()))
                {
                    sb.Append(between);
                }

                sb.Append(text);
                pos = end;
                lastWasEncoded = true;
            }
            else if (cachedClose == int.MaxValue)
            {
                // no "?=" left: no later word can be complete
                sb.Append(value, pos, value.Length - pos);
                break;
            }
            else
            {
                sb.Append(value, pos, open + 2 - pos);
                pos = open + 2;
                lastWasEncoded = false;
            }
        }

        return sb.ToString();
    }

    // cachedClose: the first "?=" found after an earlier start; it is still the first one for any later
    // start before it, so each byte is searched once (linear for hostile input). int.MaxValue: none left.
    private static bool TryWord(string s, int open, ref int cachedClose, out string? text, out int end)
    {
        text = null;
        end = 0;
        int window = Math.Min(s.Length - (open + 2), 64);
        int q1 = window > 0 ? s.IndexOf('?', open + 2, window) : -1;
        if (q1 < 0 || q1 + 2 >= s.Length || s[q1 + 2] != '?')
        {
            return false;
        }

        int close;
        if (cachedClose != -1 && cachedClose >= q1 + 3)
        {
            close = cachedClose;
        }
        else
        {
            close = s.IndexOf("?=", q1 + 3, StringComparison.Ordinal);
            cachedClose = close < 0 ? int.MaxValue : close;
        }

        if (close == int.MaxValue || close < 0)
        {
            return false;
        }

        string charset = s[(open + 2)..q1];
        int star = charset.IndexOf('*'); // RFC 2231 language suffix
        if (star >= 0)
        {
            charset = charset[..star];
        }

        Encoding? encoding = charset.ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => Encoding.UTF8,
            "US-ASCII" or "ASCII" => Encoding.ASCII,
            "ISO-8859-1" or "LATIN1" => Encoding.Latin1,
            _ => null,
        };
        if (encoding is null)
        {
            return false;
        }

        char mode = char.ToUpperInvariant(s[q1 + 1]);
        ReadOnlySpan<char> payload = s.AsSpan(q1 + 3, close - q1 - 3);
        byte[] bytes;
        if (mode == 'B')
        {
            bytes = new byte[(payload.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64Chars(payload, bytes, out int written))
            {
                return false;
            }

            Array.Resize(ref bytes, written);
        }
        else if (mode == 'Q')
        {
            bytes = new byte[payload.Length];
            int n = 0;
            for (int i = 0; i < payload.Length; i++)
            {
                char c = payload[i];
                if (c == '_')
                {
                    bytes[n++] = (byte)' ';
                }
                else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1]) && char.IsAsciiHexDigit(payload[i + 2]))
                {
                    bytes[n++] = (byte)((HexValue(payload[i + 1]) << 4) | HexValue(payload[i + 2]));
                    i += 2;
                }
                else
                {
                    bytes[n++] = (byte)c;
                }
            }

            Array.Resize(ref bytes, n);
        }
        else
        {
            return false;
        }

        text = encoding.GetString(bytes);
        end = close + 2;
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
