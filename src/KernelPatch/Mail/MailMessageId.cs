using System.Collections.Immutable;

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

        var ids = ParseList(value);
        return ids.IsEmpty ? null : ids[0];
    }

    /// <summary>
    /// Returns every id of <paramref name="value"/> in order, without angle brackets (References); words outside brackets
    /// are ids only when the value holds no bracket at all. Never default.
    /// </summary>
    /// <param name="value">A header value such as <c>&lt;a@b&gt; &lt;c@d&gt;</c>.</param>
    public static ImmutableArray<string> ParseList(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        var span = value.AsSpan();
        if (span.IndexOf('<') >= 0)
        {
            int pos = 0;
            while (pos < span.Length)
            {
                int open = span[pos..].IndexOf('<');
                if (open < 0)
                {
                    break;
                }

                int start = pos + open + 1;
                int close = span[start..].IndexOfAny('>', '<');
                int end = close < 0 ? span.Length : start + close;
                var id = span[start..end].Trim();
                if (!id.IsEmpty)
                {
                    builder.Add(id.ToString());
                }

                pos = close >= 0 && span[end] == '>' ? end + 1 : end;
            }
        }
        else
        {
            int pos = 0;
            while (pos < span.Length)
            {
                int stop = span[pos..].IndexOfAny(" \t,");
                int end = stop < 0 ? span.Length : pos + stop;
                if (end > pos)
                {
                    builder.Add(span[pos..end].ToString());
                }

                pos = end + 1;
            }
        }

        return builder.ToImmutable();
    }
}
