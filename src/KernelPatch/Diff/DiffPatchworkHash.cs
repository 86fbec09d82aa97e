using System.Security.Cryptography;
using System.Text;

namespace KernelPatch.Diff;

/// <summary>
/// The hash patchwork gives a patch. Two steps, as patchwork takes them:
/// <list type="number">
/// <item>Which lines are the patch (<c>patchwork/parser.py</c>, <c>parse_patch</c>): a state machine over the mail
/// body's lines. A <c>diff </c> or <c>Index: </c> line, or a <c>--- </c> line, starts a candidate; <c>---</c>,
/// <c>+++</c> and extended header lines carry it on; the first hunk header makes it patch, and each hunk takes as
/// many lines as its header counts (a blank line counts as context). Lines between hunks join the patch when another
/// hunk follows; text after the last hunk does not.</item>
/// <item>The hash of those lines (<c>patchwork/hasher.py</c>, <c>hash_diff</c>): every carriage return dropped, the
/// whole text trimmed at both ends, then line by line (empty lines skipped, each hashed with a line end): a
/// <c>--- </c>/<c>+++ </c> line becomes <c>--- a/</c>/<c>+++ b/</c> and its first word without the word's first
/// folder; a hunk header becomes <c>@@ -OLDCOUNT +NEWCOUNT @@</c> (1 for a count left out); a line starting with
/// <c>-</c>, <c>+</c> or a blank is hashed as it is; any other line is left out.</item>
/// </list>
/// It reads the body once and keeps one pair of offsets per patch line; it is computed only when asked for.
/// </summary>
internal static class DiffPatchworkHash
{
    private static readonly byte[][] s_extendedHeaders =
    [
        "old mode "u8.ToArray(), "new mode "u8.ToArray(), "deleted file mode "u8.ToArray(), "new file mode "u8.ToArray(),
        "copy from "u8.ToArray(), "copy to "u8.ToArray(), "rename from "u8.ToArray(), "rename to "u8.ToArray(),
        "similarity index "u8.ToArray(), "dissimilarity index "u8.ToArray(), "index "u8.ToArray(),
    ];

    /// <summary>
    /// The hash of the patch patchwork finds in <paramref name="body"/>; null when it finds none (no hunk header after a
    /// file header). The body's bytes are text in <paramref name="charset"/> (null: UTF-8); patchwork hashes the text as UTF-8.
    /// </summary>
    public static string? Compute(ReadOnlySpan<byte> body, Encoding? charset = null)
    {
        var lines = PatchLines(body);
        return lines.Count == 0 ? null : Hash(body, lines, charset);
    }

    /// <summary>The hash of a whole text (a <c>text/x-patch</c> part, which patchwork takes as the patch without picking lines).</summary>
    public static string ComputeWhole(ReadOnlySpan<byte> text)
    {
        var lines = new List<(int Start, int End)>();
        int pos = 0;
        while (pos <= text.Length)
        {
            int newline = text[pos..].IndexOf((byte)'\n');
            int end = newline < 0 ? text.Length : pos + newline;
            lines.Add((pos, end));
            pos = end + 1;
        }

        return Hash(text, lines, null);
    }

    /// <summary>
    /// How patchwork decodes a part with no charset: UTF-8, else windows-1252, else Latin-1 (five bytes windows-1252
    /// leaves undefined); null for UTF-8.
    /// </summary>
    public static Encoding? GuessCharset(ReadOnlySpan<byte> body) =>
        System.Text.Unicode.Utf8.IsValid(body) ? null
        : body.IndexOfAny(s_notWindows1252) >= 0 ? Encoding.Latin1 : Mail.MailEncodedWords.GetEncoding("windows-1252");

    private static readonly System.Buffers.SearchValues<byte> s_notWindows1252 = System.Buffers.SearchValues.Create([0x81, 0x8D, 0x8F, 0x90, 0x9D]);

    /// <summary>The lines <c>parse_patch</c> puts in its patch buffer, in order, as (start, end) without the line end.</summary>
    private static List<(int Start, int End)> PatchLines(ReadOnlySpan<byte> body)
    {
        var patch = new List<(int Start, int End)>();
        var buffered = new List<(int Start, int End)>();
        int state = 0;
        long oldLeft = 0;
        long newLeft = 0;
        int hunks = 0;
        int pos = 0;
        while (pos <= body.Length)
        {
            // Python's split('\n'): the text after the last line end is one more line, empty when the body ends with one
            int newline = body[pos..].IndexOf((byte)'\n');
            int end = newline < 0 ? body.Length : pos + newline;
            var range = (pos, end);
            var line = body[pos..end];
            pos = end + 1;
            switch (state)
            {
                case 0:
                    if (line.StartsWith("diff "u8) || line.StartsWith("Index: "u8))
                    {
                        state = 1;
                        buffered.Add(range);
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        state = 2;
                        buffered.Add(range);
                    }

                    break;
                case 1:
                    buffered.Add(range);
                    if (line.StartsWith("--- "u8))
                    {
                        state = 2;
                    }

                    if (IsExtendedHeader(line))
                    {
                        state = 6;
                    }

                    break;
                case 2:
                    if (line.StartsWith("+++ "u8))
                    {
                        state = 3;
                        buffered.Add(range);
                    }
                    else
                    {
                        state = NotContinued(hunks, buffered, range);
                    }

                    break;
                case 3:
                    if (IsHunkHeader(line, out var oldCount, out var newCount))
                    {
                        oldLeft = Count(oldCount);
                        newLeft = Count(newCount);
                        state = 4;
                        Flush(patch, buffered, range);
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        Flush(patch, buffered, range);
                        state = 2;
                    }
                    else if (hunks > 0 && line.StartsWith("\\ No newline at end of file"u8))
                    {
                        patch.Add(range);
                    }
                    else
                    {
                        state = NotContinued(hunks, buffered, range);
                    }

                    break;
                case 4:
                case 5:
                    if (line.StartsWith("-"u8))
                    {
                        oldLeft--;
                    }
                    else if (line.StartsWith("+"u8))
                    {
                        newLeft--;
                    }
                    else if (!line.StartsWith("\\ No newline at end of file"u8))
                    {
                        oldLeft--;
                        newLeft--;
                    }

                    patch.Add(range);
                    if (oldLeft <= 0 && newLeft <= 0)
                    {
                        state = 3;
                        hunks++;
                    }
                    else
                    {
                        state = 5;
                    }

                    break;
                default: // 6: after an extended header line
                    if (IsExtendedHeader(line))
                    {
                        Flush(patch, buffered, range);
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        Flush(patch, buffered, range);
                        state = 2;
                    }
                    else
                    {
                        buffered.Add(range);
                        state = 1;
                    }

                    break;
            }
        }

        return patch;
    }

    // A line that does not carry a file header on: after a hunk it waits with the buffer for the next file (state 1);
    // before any hunk the buffer was no patch (state 0).
    private static int NotContinued(int hunks, List<(int Start, int End)> buffered, (int Start, int End) line)
    {
        if (hunks > 0)
        {
            buffered.Add(line);
            return 1;
        }

        buffered.Clear();
        return 0;
    }

    private static void Flush(List<(int Start, int End)> patch, List<(int Start, int End)> buffered, (int Start, int End) line)
    {
        patch.AddRange(buffered);
        buffered.Clear();
        patch.Add(line);
    }

    private static bool IsExtendedHeader(ReadOnlySpan<byte> line)
    {
        foreach (byte[] prefix in s_extendedHeaders)
        {
            if (line.StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static string Hash(ReadOnlySpan<byte> body, List<(int Start, int End)> lines, Encoding? charset)
    {
        // The text is trimmed at its end (Python's str.strip; carriage returns are gone first): find the last line
        // that keeps anything, and where it is cut. The start needs no trimming: the patch starts with a diff,
        // Index or --- line.
        int last = lines.Count - 1;
        int lastEnd = -1;
        for (; last >= 0; last--)
        {
            var (start, end) = lines[last];
            for (int i = end - 1; i >= start; i--)
            {
                if (!IsStripped(body[i]))
                {
                    lastEnd = i + 1;
                    break;
                }
            }

            if (lastEnd >= 0)
            {
                break;
            }
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var hash = new DiffPatchId.HashBuffer(sha, stackalloc byte[4096]);
        Span<byte> scratch = stackalloc byte[256];
        for (int n = 0; n <= last; n++)
        {
            var (start, end) = lines[n];
            scoped ReadOnlySpan<byte> line = body[start..(n == last ? lastEnd : end)];
            if (charset is not null && line.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0)
            {
                line = Encoding.UTF8.GetBytes(charset.GetString(line)); // rare: a patch line in another charset
            }

            if (line.IndexOf((byte)'\r') >= 0)
            {
                if (line.Length > scratch.Length)
                {
                    scratch = new byte[line.Length]; // a long line with a carriage return: rare
                }

                int kept = 0;
                foreach (byte c in line)
                {
                    if (c != (byte)'\r')
                    {
                        scratch[kept++] = c;
                    }
                }

                line = scratch[..kept];
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (IsFileLine(line, out var word))
            {
                hash.Append(line[0] == (byte)'-' ? "--- a/"u8 : "+++ b/"u8);
                int slash = word.IndexOf((byte)'/');
                hash.Append(slash < 0 ? default : word[(slash + 1)..]);
                hash.Append("\n"u8);
            }
            else if (IsHunkHeader(line, out var oldCount, out var newCount))
            {
                hash.Append("@@ -"u8);
                AppendCount(ref hash, oldCount);
                hash.Append(" +"u8);
                AppendCount(ref hash, newCount);
                hash.Append(" @@\n"u8);
            }
            else if (line[0] is (byte)'-' or (byte)'+' or (byte)' ')
            {
                hash.Append(line);
                hash.Append("\n"u8);
            }
        }

        Span<byte> digest = stackalloc byte[20];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    // Python's str.strip() and \s on ASCII: blanks, line ends, vertical tab, form feed and the separators 0x1C-0x1F.
    private static bool IsStripped(byte c) => c is (byte)' ' or (>= 0x09 and <= 0x0D) or (>= 0x1C and <= 0x1F);

    /// <summary><c>^(---|\+\+\+) (\S+)</c>: three dashes or pluses, one blank, then a word; <paramref name="word"/> is the word.</summary>
    private static bool IsFileLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> word)
    {
        word = default;
        if (line.Length < 5 || !(line.StartsWith("--- "u8) || line.StartsWith("+++ "u8)) || IsStripped(line[4]))
        {
            return false;
        }

        int end = 4;
        while (end < line.Length && !IsStripped(line[end]))
        {
            end++;
        }

        word = line[4..end];
        return true;
    }

    /// <summary><c>^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@</c>; the counts as written, empty when left out.</summary>
    private static bool IsHunkHeader(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> oldCount, out ReadOnlySpan<byte> newCount)
    {
        oldCount = default;
        newCount = default;
        if (!line.StartsWith("@@ -"u8) || !TryRange(line, 4, out int at, out oldCount) || !line[at..].StartsWith(" +"u8)
            || !TryRange(line, at + 2, out at, out newCount))
        {
            return false;
        }

        return line[at..].StartsWith(" @@"u8);
    }

    // \d+ then an optional ,\d+: where it ends, and the count's digits.
    private static bool TryRange(ReadOnlySpan<byte> line, int at, out int end, out ReadOnlySpan<byte> count)
    {
        count = default;
        end = Digits(line, at);
        if (end == at)
        {
            return false;
        }

        if (end < line.Length && line[end] == (byte)',' && Digits(line, end + 1) is int countEnd && countEnd > end + 1)
        {
            count = line[(end + 1)..countEnd];
            end = countEnd;
        }

        return true;
    }

    private static int Digits(ReadOnlySpan<byte> line, int at)
    {
        while (at < line.Length && char.IsAsciiDigit((char)line[at]))
        {
            at++;
        }

        return at;
    }

    // The count as a number (1 when left out), saturating: a count beyond any body's lines is as good as infinite.
    private static long Count(ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty)
        {
            return 1;
        }

        long value = 0;
        foreach (byte d in digits)
        {
            value = value > long.MaxValue / 20 ? long.MaxValue / 2 : (value * 10) + (d - '0');
        }

        return value;
    }

    // patchwork writes int(count): no leading zeros, and 1 when the count is left out.
    private static void AppendCount(ref DiffPatchId.HashBuffer hash, scoped ReadOnlySpan<byte> count)
    {
        int first = count.IndexOfAnyExcept((byte)'0');
        hash.Append(count.IsEmpty ? "1"u8 : first < 0 ? "0"u8 : count[first..]);
    }
}
