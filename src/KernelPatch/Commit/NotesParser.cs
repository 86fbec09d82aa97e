using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// Reads a per-version changelog (<c>v2:</c>, <c>Changes since v1:</c>, <c>Changes in v3:</c>, <c>v1 -&gt; v2:</c>,
/// <c>V3:</c>) into entries. A heading is a short line ending with ':' that names a version (or starts with
/// <c>Changes</c>/<c>Changelog</c>/<c>Since</c>), or a bare <c>vN</c>. An entry runs to the next heading, or
/// ends at a blank line followed by a line that is not a list item or indented. Linear: one forward pass.
/// </summary>
internal static class NotesParser
{
    public static ImmutableArray<NotesRevision> Parse(ReadOnlySpan<byte> b, int start, int end, int baseOffset)
    {
        ImmutableArray<NotesRevision>.Builder? result = null;
        int headingStart = -1;
        int headingEnd = -1;
        int textStart = -1;
        int textEnd = -1;
        bool blankSeen = false;
        int pos = start;
        while (pos < end)
        {
            int le = Math.Min(ByteLines.LineEnd(b, pos, out int next), end);
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            if (IsHeading(line))
            {
                Close(b, baseOffset, ref result, headingStart, headingEnd, textStart, textEnd);
                headingStart = pos;
                headingEnd = pos + line.Length;
                textStart = -1;
                textEnd = -1;
                blankSeen = false;
            }
            else if (headingStart >= 0)
            {
                if (ByteLines.IsBlank(line))
                {
                    blankSeen = true;
                }
                else if (blankSeen && !IsListLine(line))
                {
                    Close(b, baseOffset, ref result, headingStart, headingEnd, textStart, textEnd);
                    headingStart = -1;
                }
                else
                {
                    if (textStart < 0)
                    {
                        textStart = pos;
                    }

                    textEnd = pos + line.Length;
                    blankSeen = false;
                }
            }

            pos = next;
        }

        Close(b, baseOffset, ref result, headingStart, headingEnd, textStart, textEnd);
        return result?.ToImmutable() ?? ImmutableArray<NotesRevision>.Empty;
    }

    private static void Close(ReadOnlySpan<byte> b, int baseOffset, ref ImmutableArray<NotesRevision>.Builder? result, int headingStart, int headingEnd, int textStart, int textEnd)
    {
        if (headingStart < 0)
        {
            return;
        }

        ReadOnlySpan<byte> heading = ByteLines.Trim(b[headingStart..headingEnd]);
        result ??= ImmutableArray.CreateBuilder<NotesRevision>();
        int spanEnd = textEnd >= 0 ? textEnd : headingEnd;
        result.Add(new NotesRevision
        {
            Heading = KernelPatch.Text.StringPool.Get(heading), // "Changes in v2:", the same in every patch of a revision
            Version = VersionOf(heading),
            Text = textStart >= 0 ? ByteLines.DecodeShared(b[textStart..textEnd]) : string.Empty,
            Span = SourceSpan.FromBounds(baseOffset + headingStart, baseOffset + spanEnd),
        });
    }

    internal static bool IsHeading(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> t = ByteLines.Trim(line);
        if (t.Length < 2 || t.Length > 80 || ByteLines.IsSpace(line[0]))
        {
            return false;
        }

        // headings are short: "Changes since v14:", "v1 -> v2:", "* From v1 [1]:" (a sentence ending in ':' is not)
        if (t.Count((byte)' ') > 5)
        {
            return false;
        }

        bool colon = t[^1] == (byte)':';
        ReadOnlySpan<byte> body = colon ? ByteLines.Trim(t[..^1]) : t;
        bool hasVersion = VersionOf(body) is not null;
        if (!colon)
        {
            // a bare "v2" line
            return (body[0] == (byte)'v' || body[0] == (byte)'V') && ByteLines.Digits(body[1..], out _) == body.Length - 1;
        }

        return hasVersion ||
            ByteLines.StartsWithIgnoreCase(body, "changes"u8) ||
            ByteLines.StartsWithIgnoreCase(body, "changelog"u8) ||
            ByteLines.StartsWithIgnoreCase(body, "change log"u8);
    }

    private static bool IsListLine(ReadOnlySpan<byte> line)
    {
        byte c = line[0];
        if (c == (byte)' ' || c == (byte)'\t' || c == (byte)'-' || c == (byte)'*' || c == (byte)'+' || c == (byte)'o')
        {
            return c != (byte)'o' || (line.Length > 1 && line[1] == (byte)' ');
        }

        int n = ByteLines.Digits(line, out _);
        return n > 0 && n < line.Length && (line[n] == (byte)'.' || line[n] == (byte)')');
    }

    /// <summary>The highest <c>vN</c> in the heading; N+1 for "since vN"/"from vN" with one version named.</summary>
    internal static int? VersionOf(ReadOnlySpan<byte> heading)
    {
        int? max = null;
        int count = 0;
        for (int i = 0; i + 1 < heading.Length; i++)
        {
            byte c = heading[i];
            if ((c == (byte)'v' || c == (byte)'V') && (i == 0 || !(char.IsAsciiLetterOrDigit((char)heading[i - 1]) || heading[i - 1] == (byte)'_')))
            {
                int n = ByteLines.Digits(heading[(i + 1)..], out int v);
                if (n > 0)
                {
                    count++;
                    max = max is null || v > max ? v : max;
                    i += n;
                }
            }
        }

        if (max is int m && count == 1 && (Contains(heading, "since"u8) || Contains(heading, "from"u8)))
        {
            return m + 1;
        }

        return max;
    }

    private static bool Contains(ReadOnlySpan<byte> s, ReadOnlySpan<byte> word)
    {
        for (int i = 0; i + word.Length <= s.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(s.Slice(i, word.Length), word))
            {
                return true;
            }
        }

        return false;
    }
}
