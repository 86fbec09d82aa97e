using System.Collections.Immutable;
using System.Text;

namespace KernelPatch.Mail;

/// <summary>A parsed Content-Type value: media type, subtype and parameters (names lower-cased, values unquoted).</summary>
public sealed record MailContentType
{
    // An empty parameter table with the case-insensitive comparer, made without ever enumerating an empty
    // ImmutableDictionary: that enumerator is System.Linq's Enumerable.Empty, and loading System.Linq for it put
    // 0.6 MiB of mapped code into every process that reads mail. (Clear keeps the comparer and copies nothing.)
    // Declared first: the statics below use it.
    private static readonly ImmutableDictionary<string, string> s_noParameters =
        ImmutableDictionary<string, string>.Empty.Add("charset", string.Empty).WithComparers(StringComparer.OrdinalIgnoreCase).Clear();

    /// <summary>What mail without a Content-Type means (RFC 2045 §5.2): <c>text/plain; charset=us-ascii</c>.</summary>
    public static MailContentType Default { get; } = PlainText("us-ascii");

    private static readonly MailContentType s_plainUtf8 = PlainText("utf-8");
    private static readonly MailContentType s_plainUtf8Upper = PlainText("UTF-8");

    /// <summary>The media type, lower-cased (<c>text</c>, <c>multipart</c>...).</summary>
    public string MediaType { get; init; } = "text";

    /// <summary>The subtype, lower-cased (<c>plain</c>, <c>mixed</c>, <c>x-patch</c>...).</summary>
    public string SubType { get; init; } = "plain";

    /// <summary>Every parameter by lower-cased name (case-insensitive lookup); RFC 2231 <c>name*</c> values decoded.</summary>
    public ImmutableDictionary<string, string> Parameters { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The <c>charset</c> parameter, or null.</summary>
    public string? Charset => Parameters.GetValueOrDefault("charset");

    /// <summary>The <c>boundary</c> parameter, or null.</summary>
    public string? Boundary => Parameters.GetValueOrDefault("boundary");

    /// <summary>The <c>name</c> parameter, or null.</summary>
    public string? Name => Parameters.GetValueOrDefault("name");

    /// <summary>Whether a body in <paramref name="charset"/> is UTF-8 as it stands: no charset, UTF-8 or US-ASCII.</summary>
    internal static bool IsUtf8([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? charset) =>
        charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || charset.Equals("ascii", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the media type is <paramref name="mediaType"/> and the subtype <paramref name="subType"/> (case-insensitive).</summary>
    /// <param name="mediaType">For example <c>text</c>.</param>
    /// <param name="subType">For example <c>plain</c>.</param>
    public bool Is(string mediaType, string subType) =>
        MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) && SubType.Equals(subType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a Content-Type value such as <c>text/plain; charset="utf-8"</c>; odd input gives what could be read.</summary>
    /// <param name="value">The unfolded header value.</param>
    public static MailContentType Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = WithoutComments(value).AsSpan();
        int semi = span.IndexOf(';');
        var type = (semi < 0 ? span : span[..semi]).Trim();
        int slash = type.IndexOf('/');
        string media = (slash < 0 ? type : type[..slash]).Trim().ToString().ToLowerInvariant();
        string sub = slash < 0 ? string.Empty : type[(slash + 1)..].Trim().ToString().ToLowerInvariant();
        var parameters = s_noParameters.ToBuilder();
        int pos = semi < 0 ? span.Length : semi + 1;
        while (pos < span.Length)
        {
            int eq = span[pos..].IndexOfAny('=', ';');
            if (eq < 0)
            {
                break;
            }

            int nameEnd = pos + eq;
            string name = span[pos..nameEnd].Trim().ToString().ToLowerInvariant();
            if (span[nameEnd] == ';')
            {
                pos = nameEnd + 1;
                continue;
            }

            int i = nameEnd + 1;
            while (i < span.Length && span[i] is ' ' or '\t')
            {
                i++;
            }

            var val = new StringBuilder();
            if (i < span.Length && span[i] == '"')
            {
                i++;
                while (i < span.Length && span[i] != '"')
                {
                    if (span[i] == '\\' && i + 1 < span.Length)
                    {
                        i++;
                    }

                    val.Append(span[i]);
                    i++;
                }

                int next = i < span.Length ? span[i..].IndexOf(';') : -1;
                pos = next < 0 ? span.Length : i + next + 1;
            }
            else
            {
                // a token ends at a blank (what follows, up to the ';', is not part of it)
                int next = span[i..].IndexOf(';');
                int end = next < 0 ? span.Length : i + next;
                var token = span[i..end].Trim();
                int blank = token.IndexOfAny(' ', '\t');
                val.Append(blank < 0 ? token : token[..blank]);
                pos = next < 0 ? span.Length : end + 1;
            }

            string text = val.ToString();
            if (name.EndsWith('*'))
            {
                name = name.TrimEnd('*');
                text = DecodeRfc2231(text);
            }

            if (name.Length > 0 && !parameters.ContainsKey(name))
            {
                parameters[name] = text; // the first of a repeated parameter counts, as git mailinfo reads it
            }
        }

        return new MailContentType { MediaType = media, SubType = sub, Parameters = parameters.ToImmutable() };
    }

    /// <summary>The value without RFC 5322 comments (<c>(...)</c>, nested, outside quotes); the value itself when it has none.</summary>
    private static string WithoutComments(string value)
    {
        if (!value.Contains('(', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (depth == 0 && c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
                continue;
            }
            else if (!quoted && depth > 0 && c == ')')
            {
                depth--;
                continue;
            }
            else if (depth > 0 && c == '\\')
            {
                i++; // a quoted character in a comment
                continue;
            }

            if (depth == 0)
            {
                result.Append(c);
                if (quoted && c == '\\' && i + 1 < value.Length)
                {
                    result.Append(value[++i]);
                }
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Parses a raw header value; the spellings of <c>text/plain; charset=utf-8</c> nearly all patch mail carries share one
    /// instance (no allocation), anything else goes through <see cref="Parse(string)"/>.
    /// </summary>
    internal static MailContentType Parse(MailHeaderList headers, int index)
    {
        var trimmed = headers.GetRawValue(index).Span.Trim(" \t\r\n"u8);
        if (trimmed.Length <= 40 && trimmed.StartsWith("text/plain;"u8))
        {
            var parameter = trimmed["text/plain;"u8.Length..].Trim(" \t\r\n"u8);
            if (parameter.SequenceEqual("charset=utf-8"u8) || parameter.SequenceEqual("charset=\"utf-8\""u8))
            {
                return s_plainUtf8;
            }

            if (parameter.SequenceEqual("charset=UTF-8"u8) || parameter.SequenceEqual("charset=\"UTF-8\""u8))
            {
                return s_plainUtf8Upper;
            }
        }

        return Parse(headers.DecodeAt(index, null));
    }

    private static MailContentType PlainText(string charset) =>
        new() { MediaType = "text", SubType = "plain", Parameters = s_noParameters.Add("charset", charset) };

    /// <summary>Decodes <c>charset'lang'percent-encoded</c>; a value without the two quotes is returned as is.</summary>
    private static string DecodeRfc2231(string text)
    {
        int q1 = text.IndexOf('\'', StringComparison.Ordinal);
        int q2 = q1 < 0 ? -1 : text.IndexOf('\'', q1 + 1);
        if (q2 < 0)
        {
            return text;
        }

        var encoding = MailEncodedWords.GetEncoding(text[..q1]) ?? Encoding.UTF8;
        var bytes = new List<byte>(text.Length);
        for (int i = q2 + 1; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }

        return encoding.GetString([.. bytes]);
    }
}
