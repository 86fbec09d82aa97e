using System.Text;

namespace KernelPatch.Commit;

/// <summary>Byte helpers shared by the commit-stage parsers (lines end at '\n'; a '\r' before it is not content).</summary>
internal static class ByteLines
{
    /// <summary>Returns the end of the line starting at <paramref name="pos"/> (the '\n' position or the input end) and the start of the next line.</summary>
    public static int LineEnd(ReadOnlySpan<byte> b, int pos, out int next)
    {
        int nl = b[pos..].IndexOf((byte)'\n');
        if (nl < 0)
        {
            next = b.Length;
            return b.Length;
        }

        next = pos + nl + 1;
        return pos + nl;
    }

    /// <summary>The start of the line that holds position <paramref name="pos"/>, not before <paramref name="floor"/> (where the caller's lines begin).</summary>
    public static int LineStart(ReadOnlySpan<byte> b, int floor, int pos) => floor + b[floor..pos].LastIndexOf((byte)'\n') + 1;

    /// <summary>The line without a trailing '\r'.</summary>
    public static ReadOnlySpan<byte> Content(ReadOnlySpan<byte> b, int pos, int end)
    {
        ReadOnlySpan<byte> line = b[pos..end];
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    public static bool IsSpace(byte c) => c == (byte)' ' || c == (byte)'\t' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\v' || c == (byte)'\f';

    public static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte c in line)
        {
            if (!IsSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var (a, e) = TrimBounds(s);
        return s[a..e];
    }

    /// <summary>Start and exclusive end of <paramref name="s"/> without leading and trailing white space.</summary>
    public static (int Start, int End) TrimBounds(ReadOnlySpan<byte> s)
    {
        int a = 0;
        int e = s.Length;
        while (a < e && IsSpace(s[a]))
        {
            a++;
        }

        while (e > a && IsSpace(s[e - 1]))
        {
            e--;
        }

        return (a, e);
    }

    public static bool StartsWithIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> prefix) =>
        s.Length >= prefix.Length && Ascii.EqualsIgnoreCase(s[..prefix.Length], prefix);

    /// <summary>Decodes UTF-8 once, dropping the '\r' of CRLF line ends (as <c>git mailsplit</c> does by default).</summary>
    public static string Decode(ReadOnlySpan<byte> s)
    {
        string text = Encoding.UTF8.GetString(s);
        return text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;
    }

    /// <summary>Like <see cref="Decode"/>, but short text without a '\r' is shared through <see cref="KernelPatch.Text.StringPool"/>.</summary>
    public static string DecodeShared(ReadOnlySpan<byte> s) =>
        s.Length <= KernelPatch.Text.StringPool.MaxLength && s.IndexOf((byte)'\r') < 0 ? KernelPatch.Text.StringPool.Get(s) : Decode(s);

    /// <summary>Decodes a trimmed UTF-8 value.</summary>
    public static string DecodeTrimmed(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(Trim(s));

    public static bool IsHex(byte c) => (c >= (byte)'0' && c <= (byte)'9') || ((c | 0x20) >= (byte)'a' && (c | 0x20) <= (byte)'f');

    public static int HexRun(ReadOnlySpan<byte> s)
    {
        int n = 0;
        while (n < s.Length && IsHex(s[n]))
        {
            n++;
        }

        return n;
    }

    /// <summary>Parses a run of ASCII digits (at most 9) at the start; returns its length.</summary>
    public static int Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        int n = 0;
        while (n < s.Length && n < 9 && s[n] >= (byte)'0' && s[n] <= (byte)'9')
        {
            value = (value * 10) + (s[n] - '0');
            n++;
        }

        return n;
    }
}
