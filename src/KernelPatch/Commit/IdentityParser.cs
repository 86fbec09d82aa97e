using KernelPatch.Text;
using System.Text;
using KernelPatch.Mail;

namespace KernelPatch.Commit;

/// <summary>
/// Reads <c>Name &lt;a@b&gt;</c>, <c>"Last, First" &lt;a@b&gt;</c>, <c>a@b (Name)</c> and <c>a@b</c> the way
/// git mailinfo's <c>handle_from</c> does (email = the word around '@', name = the rest, a name that is
/// empty, longer than 60 bytes or holds '@', '&lt;' or '&gt;' is replaced by the email). Small on purpose:
/// the mail stage may replace it.
/// </summary>
internal static class IdentityParser
{
    /// <summary>Parses a decoded address value; null when it holds no '@'.</summary>
    public static MailIdentity? Parse(string value)
    {
        string f = UnquotePairs(value);
        int at = f.IndexOf('@');
        if (at < 0)
        {
            return null;
        }

        int start = at;
        bool angle = false;
        while (start > 0)
        {
            char c = f[start - 1];
            if (IsSpace(c))
            {
                break;
            }

            if (c == '<')
            {
                angle = true;
                break;
            }

            start--;
        }

        int end = at;
        while (end < f.Length && !IsSpace(f[end]) && f[end] != '>')
        {
            end++;
        }

        string email = StringPool.Get(f.AsSpan(start, end - start));
        int removeStart = angle ? start - 1 : start;
        int removeEnd = end < f.Length ? end + 1 : end;
        string name = SqueezeJoined(f.AsSpan(0, removeStart), angle, f.AsSpan(removeEnd));
        if (name.Length >= 2 && name[0] == '(' && name[^1] == ')')
        {
            name = StringPool.Get(name.AsSpan(1, name.Length - 2));
        }

        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 60 || name.AsSpan().IndexOfAny("@<>") >= 0)
        {
            name = email;
        }

        return StringPool.Identity(name, email);
    }

    /// <summary>
    /// git mailinfo's fallback for a value without '@' (<c>parse_bogus_from</c>): <c>John &lt;johndoe&gt;</c> is the name
    /// before the first '&lt;' and the email up to the next '&gt;', after runs of blanks became one space
    /// (<c>cleanup_space</c>). Null when there are no brackets.
    /// </summary>
    public static MailIdentity? ParseBracketed(string value)
    {
        int open = value.IndexOf('<');
        int close = open < 0 ? -1 : value.IndexOf('>', open + 1);
        if (close < 0)
        {
            return null;
        }

        string email = SqueezeJoined(value.AsSpan(open + 1, close - open - 1), false, default);
        string name = SqueezeJoined(value.AsSpan(0, open), false, default);
        return StringPool.Identity(name, email);
    }

    /// <summary>
    /// The mail's sender as git mailinfo reads the From header: the same as <see cref="MailDocument.Sender"/> except that
    /// git keeps an RFC 5322 comment in the name (<c>John (nick) Doe &lt;j@d&gt;</c>, <c>John Doe &lt;j@d&gt; (work)</c>),
    /// which the mail's From, read as RFC 5322, leaves out, and unquotes what encoded words decode to. Only a From holding
    /// '(', a name with '"' or '(' after decoding, or a From without an address is read again.
    /// </summary>
    public static MailIdentity? AuthorOf(MailDocument mail)
    {
        if (mail.OriginalFrom is null && mail.From is { } from)
        {
            // git decodes the whole value first and unquotes after, so a quote or parenthesis that an encoded word decodes
            // to counts as well (=?UTF-8?Q?Paul_=22Rusty=22_Russell?= is "Paul Rusty Russell" to git); and it finds an
            // address where the mail's reading found none.
            int index = mail.Headers.IndexOf("From"u8);
            if (index >= 0 && (from.Email.Length == 0 || from.Name.AsSpan().IndexOfAny('"', '(') >= 0 || mail.Headers.GetRawValue(index).Span.IndexOf((byte)'(') >= 0)
                && Parse(mail.Headers.GetValue(index)) is { } git && (git.Email == from.Email || from.Email.Length == 0))
            {
                return git;
            }
        }

        return mail.Sender;
    }

    /// <summary>
    /// git's <c>get_sane_name</c> applied to an identity from the mail stage: an empty, over-long or odd name becomes the
    /// email. Without an email there is no author (git mailinfo prints empty ones, and git am refuses the patch).
    /// </summary>
    public static MailIdentity? Sane(MailIdentity? identity)
    {
        if (identity is null || identity.Email.Length == 0)
        {
            return null;
        }

        string name = identity.Name;
        return name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 60 || name.AsSpan().IndexOfAny("@<>") >= 0
            ? identity with { Name = identity.Email }
            : identity;
    }

    /// <summary>
    /// git's <c>unquote_quoted_pair</c>: a quoted string loses its quotes and the backslashes that escape; a comment keeps
    /// its parentheses (nested ones too) and loses its escaping backslashes, and a quote inside it is just a character.
    /// An unclosed quoted string or comment runs to the end.
    /// </summary>
    private static string UnquotePairs(string s)
    {
        if (s.AsSpan().IndexOfAny('"', '(') < 0)
        {
            return s;
        }

        var sb = StringBuilderCache.Acquire(s.Length);
        int depth = 0; // comment nesting
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if ((quoted || depth > 0) && c == '\\')
            {
                if (i + 1 < s.Length)
                {
                    sb.Append(s[++i]);
                }
            }
            else if (quoted)
            {
                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '(')
            {
                depth++;
                sb.Append(c);
            }
            else if (depth > 0)
            {
                depth -= c == ')' ? 1 : 0;
                sb.Append(c);
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else
            {
                sb.Append(c);
            }
        }

        return StringBuilderCache.GetStringAndRelease(sb);
    }

    /// <summary>
    /// git's whitespace squeeze (runs of blanks become one space, none at either end) of <paramref name="left"/>, a space when <paramref name="space"/>, then <paramref name="right"/>,
    /// making one string (shared through <see cref="StringPool"/>).
    /// </summary>
    private static string SqueezeJoined(ReadOnlySpan<char> left, bool space, ReadOnlySpan<char> right)
    {
        var sb = StringBuilderCache.Acquire(left.Length + right.Length + 1);
        bool pending = false;
        Append(sb, left, ref pending);
        pending |= space;
        Append(sb, right, ref pending);
        return StringBuilderCache.GetPooledStringAndRelease(sb);

        static void Append(StringBuilder sb, ReadOnlySpan<char> s, ref bool pending)
        {
            foreach (char c in s)
            {
                if (IsSpace(c))
                {
                    pending = true;
                    continue;
                }

                if (pending && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                pending = false;
                sb.Append(c);
            }
        }
    }

    private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
