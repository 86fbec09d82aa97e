using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>Small byte helpers shared by the diff parser and its records.</summary>
internal static class DiffScan
{
    /// <summary>Position just after the '\n' ending the line at <paramref name="start"/>, or <paramref name="end"/>.</summary>
    public static int NextLine(ReadOnlySpan<byte> s, int start, int end)
    {
        int i = s[start..end].IndexOf((byte)'\n');
        return i < 0 ? end : start + i + 1;
    }

    /// <summary>Whether the line is empty (only a line end).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => Utf8Lines.TrimEol(line).IsEmpty;

    /// <summary>Parses a non-negative decimal number at the start of <paramref name="s"/>; returns the digits consumed (0 when none).</summary>
    public static int ParseDecimal(ReadOnlySpan<byte> s, out int value)
    {
        long v = 0;
        int i = 0;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            if (v <= int.MaxValue)
            {
                v = (v * 10) + (s[i] - '0');
            }

            i++;
        }

        value = v > int.MaxValue ? int.MaxValue : (int)v;
        return i;
    }

    /// <summary>Parses an octal number making up all of <paramref name="s"/>; false when empty, not octal or too large.</summary>
    public static bool TryParseOctal(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 10)
        {
            return false;
        }

        foreach (byte b in s)
        {
            if ((uint)(b - '0') > 7)
            {
                value = 0;
                return false;
            }

            value = (value << 3) | (b - '0');
        }

        return true;
    }

    /// <summary>Whether two spans of two sources hold the same bytes at the same offsets (record value equality).</summary>
    public static bool SameBytes(ReadOnlyMemory<byte> a, SourceSpan spanA, ReadOnlyMemory<byte> b, SourceSpan spanB) =>
        spanA == spanB && spanA.End <= a.Length && spanB.End <= b.Length && spanA.Slice(a.Span).SequenceEqual(spanB.Slice(b.Span));

    /// <summary>Decodes UTF-8 (invalid bytes become U+FFFD).</summary>
    public static string Text(ReadOnlySpan<byte> s) => s.IsEmpty ? string.Empty : Encoding.UTF8.GetString(s);

    /// <summary>A name or id that repeats (paths, blob ids): shared through <see cref="StringPool"/>.</summary>
    public static string Name(ReadOnlySpan<byte> s) => StringPool.Get(s);

    /// <summary>
    /// Reads a C-quoted name (git <c>unquote_c_style</c>) starting at the opening quote; returns the bytes
    /// consumed including both quotes, or 0 when the quoting is broken. Decoded bytes go to <paramref name="decoded"/>.
    /// </summary>
    public static int Unquote(ReadOnlySpan<byte> s, List<byte>? decoded)
    {
        if (s.IsEmpty || s[0] != (byte)'"')
        {
            return 0;
        }

        int i = 1;
        while (i < s.Length)
        {
            byte b = s[i];
            if (b == (byte)'"')
            {
                return i + 1;
            }

            if (b == (byte)'\n')
            {
                return 0;
            }

            if (b != (byte)'\\')
            {
                decoded?.Add(b);
                i++;
                continue;
            }

            if (i + 1 >= s.Length)
            {
                return 0;
            }

            byte e = s[i + 1];
            i += 2;
            switch (e)
            {
                case (byte)'a': decoded?.Add(7); break;
                case (byte)'b': decoded?.Add(8); break;
                case (byte)'f': decoded?.Add(12); break;
                case (byte)'n': decoded?.Add(10); break;
                case (byte)'r': decoded?.Add(13); break;
                case (byte)'t': decoded?.Add(9); break;
                case (byte)'v': decoded?.Add(11); break;
                case (byte)'\\': decoded?.Add((byte)'\\'); break;
                case (byte)'"': decoded?.Add((byte)'"'); break;
                default:
                    if ((uint)(e - '0') <= 3 && i + 1 < s.Length && (uint)(s[i] - '0') <= 7 && (uint)(s[i + 1] - '0') <= 7)
                    {
                        decoded?.Add((byte)(((e - '0') << 6) | ((s[i] - '0') << 3) | (s[i + 1] - '0')));
                        i += 2;
                        break;
                    }

                    return 0;
            }
        }

        return 0;
    }
}
