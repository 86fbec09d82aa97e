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
/// One pass over the body: lines are hashed as the state machine takes them, the buffered candidate is kept as the
/// offset where it starts, and only the blank lines at the end are held back (the trim may drop them). It is computed
/// only when asked for.
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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var sink = new LineSink(body, charset, new DiffPatchId.HashBuffer(sha, stackalloc byte[4096]));
        int state = 0;
        long oldLeft = 0;
        long newLeft = 0;
        int hunks = 0;
        int buffered = -1; // where the buffered candidate starts; its lines run on to the current line
        int pos = 0;
        while (pos <= body.Length)
        {
            // Python's split('\n'): the text after the last line end is one more line, empty when the body ends with one
            int newline = body[pos..].IndexOf((byte)'\n');
            int end = newline < 0 ? body.Length : pos + newline;
            var line = body[pos..end];
            int start = pos;
            pos = end + 1;
            switch (state)
            {
                case 0:
                    if (line.StartsWith("diff "u8) || line.StartsWith("Index: "u8))
                    {
                        state = 1;
                        buffered = start;
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        state = 2;
                        buffered = start;
                    }

                    break;
                case 1:
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
                        buffered = buffered < 0 ? start : buffered; // after a flush the buffer starts again here
                    }
                    else
                    {
                        state = NotContinued(hunks, ref buffered, start);
                    }

                    break;
                case 3:
                    if (IsHunkHeader(line, out var oldCount, out var newCount))
                    {
                        oldLeft = Count(oldCount);
                        newLeft = Count(newCount);
                        state = 4;
                        sink.AddLines(ref buffered, start, end);
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        sink.AddLines(ref buffered, start, end);
                        state = 2;
                    }
                    else if (hunks > 0 && line.StartsWith("\\ No newline at end of file"u8))
                    {
                        sink.AddLine(start, end); // before the buffer, as patchwork appends it; no line of either is hashed
                    }
                    else
                    {
                        state = NotContinued(hunks, ref buffered, start);
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

                    sink.AddLine(start, end);
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
                        sink.AddLines(ref buffered, start, end);
                    }
                    else if (line.StartsWith("--- "u8))
                    {
                        sink.AddLines(ref buffered, start, end);
                        state = 2;
                    }
                    else
                    {
                        state = 1;
                        buffered = buffered < 0 ? start : buffered;
                    }

                    break;
            }

        }

        return sink.Finish();
    }

    /// <summary>The hash of a whole text (a <c>text/x-patch</c> part, which patchwork takes as the patch without picking lines).</summary>
    public static string ComputeWhole(ReadOnlySpan<byte> text)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var sink = new LineSink(text, null, new DiffPatchId.HashBuffer(sha, stackalloc byte[4096]));
        int from = 0;
        sink.AddLines(ref from, text.Length + 1, text.Length);
        return sink.Finish()!;
    }

    // A line that does not carry a file header on: after a hunk it waits with the buffer for the next file (state 1);
    // before any hunk the buffer was no patch (state 0).
    private static int NotContinued(int hunks, ref int buffered, int line)
    {
        if (hunks > 0)
        {
            if (buffered < 0)
            {
                buffered = line;
            }

            return 1;
        }

        buffered = -1;
        return 0;
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

    /// <summary>
    /// How patchwork decodes a part with no charset: UTF-8, else windows-1252, else Latin-1 (five bytes windows-1252
    /// leaves undefined); null for UTF-8.
    /// </summary>
    public static Encoding? GuessCharset(ReadOnlySpan<byte> body) =>
        System.Text.Unicode.Utf8.IsValid(body) ? null
        : body.IndexOfAny(s_notWindows1252) >= 0 ? Encoding.Latin1 : Mail.MailEncodedWords.GetEncoding("windows-1252");

    private static readonly System.Buffers.SearchValues<byte> s_notWindows1252 = System.Buffers.SearchValues.Create([0x81, 0x8D, 0x8F, 0x90, 0x9D]);

    /// <summary>
    /// Takes the patch lines in order and hashes them as patchwork does, holding back the blank lines at the end and the
    /// last line with text (patchwork trims the end of the whole text).
    /// </summary>
    private ref struct LineSink
    {
        private readonly ReadOnlySpan<byte> _body;
        private readonly Encoding? _charset;
        private DiffPatchId.HashBuffer _hash;
        private int _lastStart;
        private int _lastEnd;
        private List<(int Start, int End)>? _blank; // blank lines after the last line with text
        private bool _any;

        public LineSink(ReadOnlySpan<byte> body, Encoding? charset, DiffPatchId.HashBuffer hash)
        {
            _body = body;
            _charset = charset;
            _hash = hash;
            _lastStart = -1;
        }

        /// <summary>The lines from <paramref name="from"/> (when set) up to the line at <paramref name="start"/>, then that line; the buffer is emptied.</summary>
        public void AddLines(ref int from, int start, int end)
        {
            int pos = from < 0 ? start : from;
            from = -1;
            while (pos < start && pos <= _body.Length)
            {
                int newline = _body[pos..].IndexOf((byte)'\n');
                int lineEnd = newline < 0 ? _body.Length : pos + newline;
                AddLine(pos, lineEnd);
                pos = lineEnd + 1;
            }

            if (start <= _body.Length)
            {
                AddLine(start, end);
            }
        }

        public void AddLine(int start, int end)
        {
            _any = true;
            if (IsBlank(_body[start..end]))
            {
                (_blank ??= []).Add((start, end));
                return;
            }

            if (_lastStart >= 0)
            {
                Hash(_lastStart, _lastEnd);
            }

            if (_blank is { Count: > 0 })
            {
                foreach (var (blankStart, blankEnd) in _blank)
                {
                    Hash(blankStart, blankEnd);
                }

                _blank.Clear();
            }

            (_lastStart, _lastEnd) = (start, end);
        }

        /// <summary>The hash, with the last line with text trimmed at its end and the blank lines after it dropped; null when no line came.</summary>
        public string? Finish()
        {
            if (!_any)
            {
                return null;
            }

            if (_lastStart >= 0)
            {
                int end = _lastEnd;
                while (end > _lastStart && IsStripped(_body[end - 1]))
                {
                    end--;
                }

                if (end > _lastStart && _body[end - 1] >= 0x80)
                {
                    end = _lastStart + TrimmedLength(_body[_lastStart..end]); // rare: a no-break space or the like at the end
                }

                Hash(_lastStart, end);
            }

            Span<byte> digest = stackalloc byte[20];
            _hash.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest);
        }

        private bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte c in line)
            {
                if (c >= 0x80)
                {
                    return IsPythonSpace(Text(line)); // rare: a line of no-break spaces and the like
                }

                if (!IsStripped(c))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The line decoded as patchwork decodes the mail's text (its charset, else UTF-8).</summary>
        private string Text(ReadOnlySpan<byte> line) => (_charset ?? Encoding.UTF8).GetString(line);

        /// <summary>The length in bytes of <paramref name="line"/> once Python's <c>rstrip()</c> has taken the white space at its end.</summary>
        private int TrimmedLength(ReadOnlySpan<byte> line)
        {
            string text = Text(line);
            int keep = text.Length;
            while (keep > 0 && IsPythonSpace(text[keep - 1]))
            {
                keep--;
            }

            // Count the bytes of the white space taken, which encode as they came (an invalid byte before it need not).
            return line.Length - (_charset ?? Encoding.UTF8).GetByteCount(text.AsSpan(keep));
        }

        private void Hash(int start, int end)
        {
            scoped ReadOnlySpan<byte> line = _body[start..end];
            byte[]? converted = null;
            if (_charset is not null && line.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) >= 0)
            {
                converted = Encoding.UTF8.GetBytes(_charset.GetString(line)); // rare: a patch line in another charset
                line = converted;
            }

            if (line.IndexOf((byte)'\r') >= 0)
            {
                var kept = new byte[line.Length]; // rare: a carriage return inside the patch
                int n = 0;
                foreach (byte c in line)
                {
                    if (c != (byte)'\r')
                    {
                        kept[n++] = c;
                    }
                }

                line = kept.AsSpan(0, n);
            }

            if (line.IsEmpty)
            {
                return;
            }

            if (IsFileLine(line, out var word))
            {
                _hash.Append(line[0] == (byte)'-' ? "--- a/"u8 : "+++ b/"u8);
                int slash = word.IndexOf((byte)'/');
                _hash.Append(slash < 0 ? default : word[(slash + 1)..]);
                _hash.Append("\n"u8);
            }
            else if (IsHunkHeader(line, out var oldCount, out var newCount))
            {
                _hash.Append("@@ -"u8);
                AppendCount(ref _hash, oldCount);
                _hash.Append(" +"u8);
                AppendCount(ref _hash, newCount);
                _hash.Append(" @@\n"u8);
            }
            else if (line[0] is (byte)'-' or (byte)'+' or (byte)' ')
            {
                _hash.Append(line);
                _hash.Append("\n"u8);
            }
        }
    }

    // Python's str.strip() and \s on ASCII: blanks, line ends, vertical tab, form feed and the separators 0x1C-0x1F.
    private static bool IsStripped(byte c) => c is (byte)' ' or (>= 0x09 and <= 0x0D) or (>= 0x1C and <= 0x1F);

    /// <summary>Python's <c>str.isspace()</c> for one character: the ASCII set above and the Unicode spaces and separators.</summary>
    private static bool IsPythonSpace(char c) =>
        c < 0x80 ? IsStripped((byte)c) : c is '\u0085' or '\u00a0' or '\u1680' or (>= '\u2000' and <= '\u200a') or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000';

    /// <summary>Whether UTF-8 <paramref name="s"/> starts with a character <see cref="IsPythonSpace(char)"/> takes beyond ASCII.</summary>
    private static bool StartsWithUnicodeSpace(ReadOnlySpan<byte> s) =>
        System.Text.Rune.DecodeFromUtf8(s, out System.Text.Rune rune, out _) == System.Buffers.OperationStatus.Done
        && rune.IsBmp && IsPythonSpace((char)rune.Value);

    private static bool IsPythonSpace(string text)
    {
        foreach (char c in text)
        {
            if (!IsPythonSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>^(---|\+\+\+) (\S+)</c>: three dashes or pluses, one blank, then a word; <paramref name="word"/> is the word.</summary>
    private static bool IsFileLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> word)
    {
        word = default;
        if (line.Length < 5 || !(line.StartsWith("--- "u8) || line.StartsWith("+++ "u8)) || IsStripped(line[4]) || (line[4] >= 0x80 && StartsWithUnicodeSpace(line[4..])))
        {
            return false;
        }

        int end = 4;
        while (end < line.Length && !IsStripped(line[end]) && (line[end] < 0x80 || !StartsWithUnicodeSpace(line[end..])))
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
