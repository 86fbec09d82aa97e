using System.Text;

namespace KernelPatch.Text;

/// <summary>
/// One reusable <see cref="StringBuilder"/> per thread for the short strings the parsers build
/// (trailer values, titles, names), so building a string costs only the string itself.
/// </summary>
/// <remarks>
/// Acquire takes the cached builder (or makes a new one when it is in use, so nested use is
/// safe); <c>GetStringAndRelease</c> returns the text and puts the builder back. Builders
/// that grew large are not kept.
/// </remarks>
internal static class StringBuilderCache
{
    private const int MaxKeptCapacity = 1024;

    [ThreadStatic]
    private static StringBuilder? t_cached;

    public static StringBuilder Acquire(int capacity = 64)
    {
        var sb = t_cached;
        if (sb is not null && capacity <= sb.Capacity)
        {
            t_cached = null;
            sb.Clear();
            return sb;
        }

        return new StringBuilder(Math.Max(capacity, 16));
    }

    public static string GetStringAndRelease(StringBuilder sb) => GetStringAndRelease(sb, 0, sb.Length);

    /// <summary>Like <see cref="GetStringAndRelease(StringBuilder)"/>, but the text is shared through <see cref="StringPool"/>.</summary>
    public static string GetPooledStringAndRelease(StringBuilder sb)
    {
        string result = StringPool.Get(sb);
        Release(sb);
        return result;
    }

    public static string GetStringAndRelease(StringBuilder sb, int start, int length)
    {
        string result = sb.ToString(start, length);
        Release(sb);
        return result;
    }

    private static void Release(StringBuilder sb)
    {
        if (sb.Capacity <= MaxKeptCapacity)
        {
            t_cached = sb;
        }
    }

    /// <summary>Appends UTF-8 bytes as text without making an intermediate string (ASCII is copied byte by byte).</summary>
    public static StringBuilder AppendUtf8(this StringBuilder sb, ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Ascii.IsValid(utf8))
        {
            foreach (byte b in utf8)
            {
                sb.Append((char)b);
            }

            return sb;
        }

        return sb.Append(Encoding.UTF8.GetString(utf8));
    }
}
