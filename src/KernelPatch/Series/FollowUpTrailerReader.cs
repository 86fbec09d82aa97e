using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using KernelPatch.Commit;
using KernelPatch.Text;

namespace KernelPatch.Series;

/// <summary>
/// Finds follow-up trailers in the body of a reply, with the rules of b4's
/// <c>LoreMessage.find_trailers(followup=True)</c>: a line <c>Key: value</c> (leading blanks allowed),
/// never a quoted (<c>&gt;</c>) line, nothing below the signature marker <c>-- </c>; a value must name
/// a person (<c>x@y.z</c>) unless the key is a known non-person trailer (Fixes, Link, ...); a URL only
/// in link trailers; header-like keys (From, To, Cc, Subject, Date, ...) are never follow-up trailers.
/// </summary>
/// <remarks>Works on the decoded body string, one pass, no allocation except for the trailers found.</remarks>
internal static class FollowUpTrailerReader
{
    /// <summary>A line accepted or rejected as a trailer.</summary>
    internal readonly record struct Candidate(string Key, string Value, string? PersonName, string? PersonEmail, bool Accepted, string? RejectReason, string? Note = null);

    private static readonly string[] s_ignoredKeys = ["phone", "email", "prerequisite-message-id"];
    private static readonly string[] s_linkKeys = ["link", "buglink", "closes"];
    private static readonly string[] s_nonPersonKeys = ["link", "buglink", "closes", "fixes", "subject", "date", "obsoleted-by", "change-id", "base-commit"];
    private static readonly string[] s_notFollowUpKeys = ["from", "author", "cc", "to", "date", "subject", "subscribe", "unsubscribe", "base-commit", "change-id"];

    /// <summary>
    /// Whether <paramref name="body"/> has any line <see cref="Read(string)"/> could look at (<c>Key: value</c>
    /// with no blank in the key, not quoted, before a <c>-- </c> signature). A byte scan, so that the
    /// many replies that are only discussion are never decoded to a string.
    /// </summary>
    public static bool MayContainTrailers(ReadOnlySpan<byte> body) => CandidateLines(body, null) > 0;

    /// <summary>Whether <see cref="Read(string)"/> takes at least one follow-up trailer from <paramref name="body"/>.</summary>
    public static bool TakesAny(ReadOnlySpan<byte> body)
    {
        string candidates = CandidateText(body);
        if (candidates.Length > 0)
        {
            foreach (var c in Read(candidates))
            {
                if (c.Accepted)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The lines of <paramref name="body"/> that <see cref="Read(string)"/> could take (see <see cref="MayContainTrailers"/>),
    /// each with the two lines after it (where <see cref="Read(string)"/> may find a wrapped address and a note), decoded and joined with '\n';
    /// empty when there are none. <see cref="Read(string)"/> judges each line on its own apart from that join and stops at the
    /// signature, so it finds the same trailers in this text as in the whole body, which is never decoded (a reply
    /// is mostly quoted patch).
    /// </summary>
    public static string CandidateText(ReadOnlySpan<byte> body)
    {
        var sb = KernelPatch.Text.StringBuilderCache.Acquire();
        int count = CandidateLines(body, sb);
        string text = KernelPatch.Text.StringBuilderCache.GetStringAndRelease(sb);
        return count == 0 ? "" : text;
    }

    // Counts (and appends to the builder when given) the lines a trailer could be on, each with the two lines after it
    // (Read may join a wrapped "<x@y.z>" from there, and keep a "[note]" line after that), up to a "-- " signature.
    private static int CandidateLines(ReadOnlySpan<byte> body, StringBuilder? sb)
    {
        int count = 0;
        int appendNext = 0;
        while (body.Length > 0)
        {
            if (appendNext <= 0)
            {
                body = body[NextLineToRead(body)..]; // the lines before it are neither candidates nor the signature
            }

            if (body.IsEmpty)
            {
                break;
            }

            int nl = body.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? body : body[..nl];
            body = nl < 0 ? ReadOnlySpan<byte>.Empty : body[(nl + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            bool signature = line.SequenceEqual("-- "u8);
            bool candidate = !signature && IsCandidate(line);
            if (candidate && sb is null)
            {
                return 1;
            }

            if (sb is not null && (candidate || appendNext > 0))
            {
                sb.Append(Encoding.UTF8.GetString(line)).Append('\n');
            }

            count += candidate ? 1 : 0;
            appendNext = candidate ? 2 : appendNext - 1;
            if (signature)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>
    /// Where the first line of <paramref name="body"/> that may be a candidate or the signature starts: one with a
    /// <c>:</c> then a blank (a candidate has one after its key), or one that starts with <c>-- </c>; the length when
    /// none. One vectorised search: a reply is mostly lines of neither kind.
    /// </summary>
    internal static int NextLineToRead(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("-- "u8))
        {
            return 0;
        }

        int i = 0;
        ref byte start = ref MemoryMarshal.GetReference(body);
        if (Vector256.IsHardwareAccelerated)
        {
            var colon = Vector256.Create((byte)':');
            var blank = Vector256.Create((byte)' ');
            var tab = Vector256.Create((byte)'\t');
            var nl = Vector256.Create((byte)'\n');
            var dash = Vector256.Create((byte)'-');
            while (i + Vector256<byte>.Count + 3 <= body.Length)
            {
                var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 1));
                var v2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 2));
                var v3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 3));
                var keyEnd = Vector256.Equals(v0, colon) & (Vector256.Equals(v1, blank) | Vector256.Equals(v1, tab));
                var signature = Vector256.Equals(v0, nl) & Vector256.Equals(v1, dash) & Vector256.Equals(v2, dash) & Vector256.Equals(v3, blank);
                uint hits = (keyEnd | signature).ExtractMostSignificantBits();
                if (hits != 0)
                {
                    int k = i + BitOperations.TrailingZeroCount(hits);
                    return body[k] == (byte)'\n' ? k + 1 : ByteLines.LineStart(body, 0, k);
                }

                i += Vector256<byte>.Count;
            }
        }

        for (; i < body.Length; i++)
        {
            if (body[i] == (byte)'\n' && body[(i + 1)..].StartsWith("-- "u8))
            {
                return i + 1;
            }

            if (body[i] == (byte)':' && i + 1 < body.Length && (body[i + 1] == (byte)' ' || body[i + 1] == (byte)'\t'))
            {
                return ByteLines.LineStart(body, 0, i);
            }
        }

        return body.Length;
    }

    // The byte form of Read's first tests: a key of word characters without blanks, ':', then a blank.
    private static bool IsCandidate(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> t = line.TrimStart(" \t"u8);
        // A non-ASCII first byte may start a letter: let the exact reader decide.
        if (t.Length == 0 || !(t[0] >= 0x80 || char.IsAsciiLetterOrDigit((char)t[0]) || t[0] == (byte)'_'))
        {
            return false;
        }

        int colon = t.IndexOf((byte)':');
        return colon >= 2 && colon + 1 < t.Length && (t[colon + 1] == (byte)' ' || t[colon + 1] == (byte)'\t')
            && t[..colon].IndexOfAny(" \t"u8) < 0;
    }

    /// <summary>Reads the trailer-looking lines of <paramref name="body"/> and says which are follow-up trailers.</summary>
    public static List<Candidate> Read(string body) => Read(body, new List<Candidate>());

    /// <summary>Like <see cref="Read(string)"/>, into <paramref name="found"/> (emptied first), which it returns.</summary>
    public static List<Candidate> Read(string body, List<Candidate> found)
    {
        found.Clear();
        ReadOnlySpan<char> rest = body.AsSpan();
        while (rest.Length > 0)
        {
            int nl = rest.IndexOf('\n');
            ReadOnlySpan<char> line = nl < 0 ? rest : rest[..nl];
            rest = nl < 0 ? ReadOnlySpan<char>.Empty : rest[(nl + 1)..];
            line = line.TrimEnd('\r');
            if (line.SequenceEqual("-- "))
            {
                break; // the reply's own signature follows
            }

            ReadOnlySpan<char> t = line.TrimStart(" \t");
            if (t.Length == 0 || !IsWordChar(t[0]))
            {
                continue; // blank, quoted ("> ...") or not starting like a key
            }

            int colon = t.IndexOf(':');
            if (colon < 2 || colon + 1 >= t.Length || (t[colon + 1] != ' ' && t[colon + 1] != '\t'))
            {
                continue;
            }

            ReadOnlySpan<char> key = t[..colon];
            if (key.ContainsAny(" \t"))
            {
                continue;
            }

            ReadOnlySpan<char> value = t[(colon + 1)..].Trim(" \t");
            if (value.Length == 0)
            {
                continue;
            }

            if (IsOneOf(key, s_ignoredKeys))
            {
                continue;
            }

            string keyText = StringPool.Get(key); // "Reviewed-by" in every reply
            if (!Ascii.IsValid(key))
            {
                found.Add(new Candidate(keyText, value.ToString(), null, null, false, "the key is not ASCII"));
                continue;
            }

            // "Reviewed-by: Name <x@y.z> # for the foo bits": b4 reads the person without the comment and writes the
            // line back with it (its "extinfo").
            ReadOnlySpan<char> written = value;
            int hash = value.LastIndexOf(" #");
            if (hash > 0 && value[(hash + 2)..].IndexOf('#') < 0)
            {
                value = value[..hash].TrimEnd(" \t");
            }

            // b4 joins a person trailer wrapped before its address: "Signed-off-by: Long Name" + "<x@y.z>".
            string? joined = null;
            if (value.IndexOf('@') < 0 && rest.Length > 0)
            {
                int nextEnd = rest.IndexOf('\n');
                ReadOnlySpan<char> next = (nextEnd < 0 ? rest : rest[..nextEnd]).Trim(" \t\r");
                if (next.Length > 2 && next[0] == '<' && next[^1] == '>' && next[1..^1].IndexOfAny("<>") < 0)
                {
                    joined = string.Concat(value, " ", next);
                    value = joined;
                    written = joined;
                    rest = nextEnd < 0 ? ReadOnlySpan<char>.Empty : rest[(nextEnd + 1)..];
                }
            }

            bool isLink = value.Contains("http://", StringComparison.OrdinalIgnoreCase) || value.Contains("https://", StringComparison.OrdinalIgnoreCase);
            bool hasPerson = TryReadPerson(value, out string? name, out string? email);
            if (!hasPerson && !IsOneOf(key, s_nonPersonKeys))
            {
                if (MentionsEmail(value) && !isLink && !IsOneOf(key, s_notFollowUpKeys))
                {
                    found.Add(new Candidate(keyText, written.ToString(), null, null, false, "its value is not one address (Name <x@y.z> or x@y.z alone), so b4 cannot tell whose trailer it is"));
                }

                continue; // ordinary prose such as "Note: this is fine"
            }

            if (isLink && !IsOneOf(key, s_linkKeys))
            {
                found.Add(new Candidate(keyText, value.ToString(), null, null, false, "it holds a URL but is not a link trailer (Link, BugLink, Closes)"));
                continue;
            }

            if (IsOneOf(key, s_notFollowUpKeys))
            {
                found.Add(new Candidate(keyText, value.ToString(), null, null, false, "it is a mail header or patch metadata, not a review trailer"));
                continue;
            }

            // The value as the reviewer wrote it ("Roe, Bob" <x@y.z>, <x@y.z>, "# 5.10+" after it), as b4 writes it
            // back; the person is read apart.
            string valueText = StringPool.Get(written); // a reviewer gives the same trailer to every patch

            // "[for the foo bits]" alone on the next line: b4 keeps it with the trailer (its "extinfo").
            string? note = null;
            if (rest.Length > 0)
            {
                int nextEnd = rest.IndexOf('\n');
                ReadOnlySpan<char> next = (nextEnd < 0 ? rest : rest[..nextEnd]).TrimEnd('\r');
                ReadOnlySpan<char> bracket = next.Trim(" \t");
                if (next.Length > 2 && bracket.Length > 2 && bracket[0] == '[' && bracket[^1] == ']' && bracket[1..^1].IndexOf(']') < 0)
                {
                    note = next.ToString();
                    rest = nextEnd < 0 ? ReadOnlySpan<char>.Empty : rest[(nextEnd + 1)..];
                    valueText = StringPool.Get(value); // b4 keeps one "extinfo": the note takes the place of a "# comment"
                }
            }

            found.Add(new Candidate(keyText, valueText, hasPerson && !isLink ? name : null, hasPerson && !isLink ? email : null, true, null, note));
        }

        return found;
    }

    /// <summary>
    /// Reads <c>Name &lt;x@y.z&gt;</c>, <c>"Name" &lt;x@y.z&gt;</c>, <c>&lt;x@y.z&gt;</c> or a bare <c>x@y.z</c>, and nothing
    /// else: text after the address, or words before a bare one, make it no person, as Python's <c>parseaddr</c> makes
    /// it for b4 (which then finds the trailer is not the sender's).
    /// </summary>
    internal static bool TryReadPerson(ReadOnlySpan<char> value, out string? name, out string? email)
    {
        name = null;
        email = null;
        value = value.Trim();
        int lt = value.IndexOf('<');
        if (lt >= 0)
        {
            int gt = value[lt..].IndexOf('>');
            if (gt > 0 && lt + gt == value.Length - 1 && LooksLikeEmail(value.Slice(lt + 1, gt - 1)))
            {
                email = StringPool.Get(value.Slice(lt + 1, gt - 1).Trim());
                name = StringPool.Get(value[..lt].Trim(" \t\""));
                return true;
            }

            return false;
        }

        if (LooksLikeEmail(value))
        {
            email = StringPool.Get(value);
            name = "";
            return true;
        }

        return false;
    }

    // b4's test that a value names a person at all: \S+@\S+\.\S+ somewhere in it.
    private static bool MentionsEmail(ReadOnlySpan<char> value)
    {
        while (value.Length > 0)
        {
            value = value.TrimStart(" \t");
            int end = value.IndexOfAny(" \t");
            if (LooksLikeEmail(end < 0 ? value : value[..end]))
            {
                return true;
            }

            value = end < 0 ? ReadOnlySpan<char>.Empty : value[end..];
        }

        return false;
    }

    private static bool LooksLikeEmail(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        int at = s.IndexOf('@');
        if (at < 1 || s.ContainsAny(" \t"))
        {
            return false;
        }

        int dot = s[(at + 1)..].IndexOf('.');
        return dot > 0 && at + 1 + dot + 1 < s.Length;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsOneOf(ReadOnlySpan<char> key, string[] names)
    {
        foreach (string n in names)
        {
            if (key.Equals(n, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
