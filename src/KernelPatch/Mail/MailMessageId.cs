using System.Collections.Immutable;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>Normalises Message-ID, In-Reply-To and References values: ids without angle brackets.</summary>
public static class MailMessageId
{
    /// <summary>
    /// Returns the first id of <paramref name="value"/> without angle brackets (<c>&lt;a@b&gt;</c> gives <c>a@b</c>);
    /// a value without brackets is trimmed and its first word returned; null when there is none.
    /// </summary>
    /// <param name="value">A header value such as <c>&lt;20191217204041.10815-2-x@intel.com&gt;</c>.</param>
    public static string? Normalize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        string? first = null;
        ForEachId(Encoding.UTF8.GetBytes(value), ref first, null);
        return first;
    }

    /// <summary>
    /// Returns every id of <paramref name="value"/> in order, without angle brackets (References); words outside brackets
    /// are ids only when the value holds no bracket at all. Never default.
    /// </summary>
    /// <param name="value">A header value such as <c>&lt;a@b&gt; &lt;c@d&gt;</c>.</param>
    public static ImmutableArray<string> ParseList(string? value)
        => string.IsNullOrWhiteSpace(value) ? ImmutableArray<string>.Empty : ParseList(Encoding.UTF8.GetBytes(value));

    /// <summary>The first id of a raw (undecoded, possibly folded) header value; null when there is none.</summary>
    internal static string? Normalize(ReadOnlySpan<byte> raw)
    {
        string? first = null;
        ForEachId(raw, ref first, null);
        return first;
    }

    /// <summary>Every id of a raw (undecoded, possibly folded) header value, in order.</summary>
    internal static ImmutableArray<string> ParseList(ReadOnlySpan<byte> raw)
    {
        string? first = null;
        var builder = Scratch<string>.Rent();
        ForEachId(raw, ref first, builder);
        return Scratch<string>.ToImmutableAndReturn(builder);
    }

    // Ids in angle brackets when there are any (text between them, comments included, is not an
    // id); else white-space or comma separated words. Ids are ASCII in practice; bytes are decoded
    // as UTF-8 one id at a time, so no string of the whole value is made. With a null builder only
    // the first id is made.
    private static void ForEachId(ReadOnlySpan<byte> span, ref string? first, ImmutableArray<string>.Builder? all)
    {
        if (span.IndexOf((byte)'<') >= 0)
        {
            int pos = 0;
            while (pos < span.Length)
            {
                int open = span[pos..].IndexOf((byte)'<');
                if (open < 0)
                {
                    break;
                }

                int start = pos + open + 1;
                int close = span[start..].IndexOfAny((byte)'>', (byte)'<');
                int end = close < 0 ? span.Length : start + close;
                if (Add(span[start..end], ref first, all))
                {
                    return;
                }

                pos = close >= 0 && span[end] == (byte)'>' ? end + 1 : end;
            }

            return;
        }

        int p = 0;
        while (p < span.Length)
        {
            int stop = span[p..].IndexOfAny(" \t\r\n,"u8);
            int e = stop < 0 ? span.Length : p + stop;
            if (e > p && Add(span[p..e], ref first, all))
            {
                return;
            }

            p = e + 1;
        }
    }

    // Returns true when the caller wants only the first id and has it.
    private static bool Add(ReadOnlySpan<byte> id, ref string? first, ImmutableArray<string>.Builder? all)
    {
        id = id.Trim(" \t\r\n"u8);
        if (id.IsEmpty)
        {
            return false;
        }

        string text = StringPool.Get(id);
        first ??= text;
        all?.Add(text);
        return all is null;
    }
}
