using System.Collections.Immutable;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Parses address lists and single addresses into <see cref="MailIdentity"/> values: <c>Name &lt;a@b&gt;</c>,
/// <c>"Last, First" &lt;a@b&gt;</c>, bare <c>&lt;a@b&gt;</c> and <c>a@b</c>, <c>a@b (Comment)</c>, groups
/// (<c>team: a@b, c@d;</c>), RFC 2047-encoded display names, trailing commas and line breaks inside lists.
/// </summary>
/// <remarks>
/// Lenient as <c>git mailinfo</c>: a name without an address gives an identity with an empty email; a comment is the
/// name when there is no phrase. Quotes are removed and backslash escapes undone in names. Linear in the input length.
/// </remarks>
public static class MailAddressParser
{
    [ThreadStatic]
    private static StringBuilder? s_phrase;

    [ThreadStatic]
    private static StringBuilder? s_comment;

    [ThreadStatic]
    private static StringBuilder? s_angle;

    /// <summary>Parses an address list (To, Cc, Reply-To...). Never default.</summary>
    /// <param name="value">The header value, raw or decoded; encoded words in names are decoded here.</param>
    public static ImmutableArray<MailIdentity> ParseList(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ImmutableArray<MailIdentity>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<MailIdentity>();
        Parse(value, result, firstOnly: false);
        return result.ToImmutable();
    }

    /// <summary>
    /// Parses the address list of a header field from its raw bytes, so that a display name whose encoded words decode
    /// to a comma or quote (<c>=?utf-8?q?Last=2C_First?=</c>) is not split. Prefer this over parsing <see cref="MailHeader.Value"/>.
    /// </summary>
    /// <param name="header">A field such as To, Cc or Reply-To.</param>
    public static ImmutableArray<MailIdentity> ParseList(MailHeader header) => ParseList(header.RawValue.Span);

    /// <summary>Parses one person (a From value, or a trailer value such as <c>Name &lt;email&gt;</c>); the first address of a list.</summary>
    /// <param name="value">The text to parse.</param>
    /// <returns>The identity, or null when the text holds neither a name nor an address.</returns>
    public static MailIdentity? ParseIdentity(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var result = ImmutableArray.CreateBuilder<MailIdentity>(1);
        Parse(value, result, firstOnly: true);
        return result.Count == 0 ? null : result[0];
    }

    /// <summary>The first identity of a raw (undecoded, possibly folded) header value, as <c>ParseList(raw)[0]</c> without the list.</summary>
    // Never inlined: inlined into MailDocument.Parse (with the retry for an unquoted comma below), it grew that method's
    // optimized code and the 1 GB stream's peak working set from 66.3 to 67.0-67.7 MiB (the JIT's memory while it
    // compiles the mail parse adds to the peak); a call per message costs nothing measurable.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static MailIdentity? ParseFirst(ReadOnlySpan<byte> raw)
    {
        var trimmed = raw.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return null;
        }

        string value = trimmed.IndexOfAny((byte)'\r', (byte)'\n') < 0 ? Encoding.UTF8.GetString(trimmed) : Encoding.UTF8.GetString(MailHeaderList.Unfold(trimmed));
        var result = Scratch<MailIdentity>.Rent();
        Parse(value, result, firstOnly: true);
        var first = result.Count == 0 ? null : result[0];
        if (first is { Email.Length: 0 } && value.AsSpan().IndexOfAny(',', ';') >= 0)
        {
            first = OneAddress(value, result) ?? first;
        }

        Scratch<MailIdentity>.Return(result);
        return first;
    }

    // "Last, First <a@b>": a comma the sender did not quote. Read as a list, its first entry has no address; git mailinfo
    // reads a From as one address, the name being all but the address, and so does this. Null when that finds no address.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static MailIdentity? OneAddress(string value, ImmutableArray<MailIdentity>.Builder result)
    {
        result.Clear();
        Parse(value, result, firstOnly: true, singleMailbox: true);
        return result.Count > 0 && result[0].Email.Length > 0 ? result[0] : null;
    }

    /// <summary>Parses a raw (undecoded, possibly folded) header value.</summary>
    internal static ImmutableArray<MailIdentity> ParseList(ReadOnlySpan<byte> raw)
    {
        var trimmed = raw.Trim(" \t\r\n"u8);
        return ParseList(trimmed.IndexOfAny((byte)'\r', (byte)'\n') < 0 ? Encoding.UTF8.GetString(trimmed) : Encoding.UTF8.GetString(MailHeaderList.Unfold(trimmed)));
    }

    private static void Parse(string value, ImmutableArray<MailIdentity>.Builder result, bool firstOnly, bool singleMailbox = false)
    {
        try
        {
            ParseCore(value, result, firstOnly, singleMailbox);
        }
        finally
        {
            // do not keep a huge builder alive after a hostile value
            if (value.Length > 4096)
            {
                s_phrase = s_comment = s_angle = null;
            }
        }
    }

    // singleMailbox: ',' and ';' before the angle address belong to the name (one address whose name has an unquoted comma).
    private static void ParseCore(string value, ImmutableArray<MailIdentity>.Builder result, bool firstOnly, bool singleMailbox)
    {
        // one set of builders per thread: parsing an address allocates only its result strings
        var phrase = s_phrase ??= new StringBuilder();
        var comment = s_comment ??= new StringBuilder();
        var angle = s_angle ??= new StringBuilder();
        phrase.Clear();
        comment.Clear();
        angle.Clear();
        bool sawAngle = false;
        bool phraseHasAt = false;
        bool unclosed = false;
        int i = 0;
        while (i < value.Length)
        {
            char c = value[i];
            switch (c)
            {
                case '"':
                    i = QuotedString(value, i, phrase, ref unclosed);
                    break;
                case '(':
                    int depth = 0;
                    if (comment.Length > 0)
                    {
                        comment.Append(' ');
                    }

                    while (i < value.Length)
                    {
                        char d = value[i];
                        if (d == '\\' && i + 1 < value.Length)
                        {
                            comment.Append(value[i + 1]);
                            i += 2;
                            continue;
                        }

                        if (d == '(')
                        {
                            if (depth++ > 0)
                            {
                                comment.Append(d);
                            }
                        }
                        else if (d == ')')
                        {
                            if (--depth == 0)
                            {
                                i++;
                                break;
                            }

                            comment.Append(d);
                        }
                        else
                        {
                            comment.Append(d);
                        }

                        i++;
                    }

                    break;
                case '<':
                    i++;
                    sawAngle = true;
                    angle.Clear();
                    while (i < value.Length && value[i] != '>')
                    {
                        angle.Append(value[i]);
                        i++;
                    }

                    i++;
                    break;
                case ',':
                case ';':
                    if (singleMailbox && !sawAngle)
                    {
                        phrase.Append(c);
                        i++;
                        break;
                    }

                    Flush(phrase, comment, angle, ref sawAngle, result);
                    phraseHasAt = false;
                    if (firstOnly && result.Count > 0)
                    {
                        return;
                    }

                    i++;
                    break;
                case ':' when !sawAngle && !phraseHasAt:
                    // group display name: "team: a@b, c@d;" keeps the members only
                    phrase.Clear();
                    comment.Clear();
                    i++;
                    break;
                default:
                    phraseHasAt |= c == '@';
                    phrase.Append(c);
                    i++;
                    break;
            }
        }

        Flush(phrase, comment, angle, ref sawAngle, result);
    }

    // A bare address, maybe after a name without brackets ("John Doe j@d.org"): the word around the '@' is the address
    // and the other words are the name, as git mailinfo reads it (a quoted '<' or '>' beside it bounds it too). Rare
    // paths here are methods of their own, never inlined, to keep the per-message parse small (see ParseFirst).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (string Email, string Name) BareAddress(string text, int at, string note)
    {
        int start = text.AsSpan(0, at).LastIndexOfAny(' ', '<') + 1;
        int end = text.AsSpan(at).IndexOfAny(' ', '>');
        end = end < 0 ? text.Length : at + end;
        string email = start == 0 && end == text.Length ? text : StringPool.Get(text.AsSpan(start, end - start));
        int before = start > 0 && text[start - 1] == '<' ? start - 1 : start;
        int after = end < text.Length && text[end] == '>' ? end + 1 : end;
        string rest = before == 0 && after == text.Length ? string.Empty : Collapse(string.Concat(text.AsSpan(0, before), " ", text.AsSpan(after)));
        return (email, rest.Length > 0 ? rest : note);
    }

    // The quoted string whose opening quote is at value[open], appended to the phrase without its quotes and escapes;
    // returns the index after it. An unclosed quote (name"x <a@b>) does not swallow the address: it is dropped, as git
    // drops it. Once one was found, later quotes are dropped without a search, so the cost stays linear.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int QuotedString(string value, int open, StringBuilder phrase, ref bool unclosed)
    {
        int close = unclosed ? -1 : ClosingQuote(value, open + 1);
        if (close < 0)
        {
            unclosed = true;
            return open + 1;
        }

        for (int i = open + 1; i < close; i++)
        {
            if (value[i] == '\\' && i + 1 < close)
            {
                i++;
            }

            phrase.Append(value[i]);
        }

        return close + 1;
    }

    /// <summary>The index of the quote that closes a quoted string whose content starts at <paramref name="start"/>; -1 when none does.</summary>
    private static int ClosingQuote(string value, int start)
    {
        for (int i = start; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static void Flush(StringBuilder phrase, StringBuilder comment, StringBuilder angle, ref bool sawAngle, ImmutableArray<MailIdentity>.Builder result)
    {
        string text = Collapse(phrase);
        string note = comment.Length == 0 ? string.Empty : Collapse(comment);
        string name;
        string email;
        if (sawAngle)
        {
            email = StringPool.Get(angle, trim: true);
            int route = email.LastIndexOf(':');
            if (email.StartsWith('@') && route >= 0)
            {
                email = email[(route + 1)..]; // obsolete source route "<@a,@b:x@y>"
            }

            name = text.Length > 0 ? text : note;
        }
        else if (text.IndexOf('@', StringComparison.Ordinal) is int at and >= 0)
        {
            (email, name) = BareAddress(text, at, note);
        }
        else
        {
            email = string.Empty;
            name = text.Length > 0 ? text : note;
        }

        phrase.Clear();
        comment.Clear();
        angle.Clear();
        sawAngle = false;
        if (name.Length == 0 && email.Length == 0)
        {
            return;
        }

        if (name.Contains("=?", StringComparison.Ordinal))
        {
            name = Collapse(MailEncodedWords.Decode(name));
        }

        result.Add(StringPool.Identity(name, email));
    }

    /// <summary>
    /// <see cref="Collapse(string)"/> of a builder's text, made once and shared through <see cref="StringPool"/>
    /// (names and addresses repeat from message to message).
    /// </summary>
    private static string Collapse(StringBuilder sb)
    {
        if (sb.Length > StringPool.MaxLength)
        {
            return Collapse(sb.ToString());
        }

        Span<char> chars = stackalloc char[StringPool.MaxLength];
        int length = sb.Length;
        sb.CopyTo(0, chars, length);
        return StringPool.Get(chars[..CollapseInto(chars[..length], chars)]);
    }

    /// <summary>Trims and turns every run of blanks into one space.</summary>
    private static string Collapse(string text)
    {
        text = text.Trim();
        bool needs = false;
        for (int i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && (char.IsWhiteSpace(text[i - 1]) || text[i] != ' '))
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return text;
        }

        char[] buffer = new char[text.Length];
        return new string(buffer, 0, CollapseInto(text, buffer));
    }

    /// <summary>
    /// Writes <paramref name="text"/> with each run of white space as one space and none at either end into
    /// <paramref name="destination"/>, which may be the same memory (nothing is written ahead of what was read); returns the length.
    /// </summary>
    private static int CollapseInto(ReadOnlySpan<char> text, Span<char> destination)
    {
        int n = 0;
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && n > 0)
            {
                destination[n++] = ' ';
            }

            space = false;
            destination[n++] = c;
        }

        return n;
    }
}
