using System.Collections.Immutable;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Subject;

/// <summary>
/// A patch mail subject split into its prefix (<c>[RFC PATCH v5 0/8]</c>, reply markers) and its title.
/// </summary>
/// <remarks>
/// Bracket groups are read at the start of the subject, several in a row, after any <c>Re:</c>-like
/// markers. Inside a group the words are separated by white space or commas; the forms
/// <c>[PATCHv3 2/4]</c>, <c>[PATCH1/8]</c>, <c>[PATCH 1 of 3]</c>, <c>[PATCH v5.1 10/12]</c> and
/// <c>[PATCH v6,19/24]</c> are understood. <see cref="Title"/> is what <c>git mailinfo</c> prints as
/// <c>Subject:</c> (git's <c>cleanup_subject</c> followed by <c>cleanup_space</c>).
/// </remarks>
public sealed record SubjectLine
{
    /// <summary>The subject as given (decoded and unfolded).</summary>
    public string Raw { get; init; } = string.Empty;

    /// <summary>
    /// The prefix words that are not a version, an index, <c>RFC</c> or <c>RESEND</c>, in order:
    /// <c>PATCH</c>, project tags such as <c>kvm-unit-tests</c>, <c>net-next</c>, <c>Kernel</c>, <c>bug#60788</c>.
    /// </summary>
    public ImmutableArray<string> Tags { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The major revision number (<c>v4</c> gives 4, <c>v5.1</c> gives 5); null when none is written.</summary>
    public int? Version { get; init; }

    /// <summary>The revision as written after the <c>v</c> (<c>"5.1"</c>); null when none is written.</summary>
    public string? VersionText { get; init; }

    /// <summary>The position in the series (<c>01/19</c> gives 1, the cover letter is 0); null when not numbered.</summary>
    public int? Index { get; init; }

    /// <summary>The number of patches in the series (<c>01/19</c> gives 19); null when not numbered.</summary>
    public int? Total { get; init; }

    /// <summary>Whether the prefix says <c>RFC</c>.</summary>
    public bool IsRfc { get; init; }

    /// <summary>Whether the prefix says <c>RESEND</c>.</summary>
    public bool IsResend { get; init; }

    /// <summary>Whether the subject starts with a reply marker (<c>Re:</c>, <c>RE:</c>, <c>AW:</c>, <c>Aw:</c>, <c>SV:</c>).</summary>
    public bool IsReply { get; init; }

    /// <summary>Whether the subject starts with a forward marker (<c>Fwd:</c>, <c>Fw:</c>, <c>WG:</c>).</summary>
    public bool IsForward { get; init; }

    /// <summary>Whether a prefix group holds the word <c>PATCH</c> (alone or as <c>PATCHv3</c>, <c>PATCH1/8</c>).</summary>
    public bool HasPatchTag { get; init; }

    /// <summary>The title exactly as <c>git mailinfo</c> prints it as <c>Subject:</c>.</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>Value equality, <see cref="Tags"/> compared item by item.</summary>
    /// <param name="other">The subject to compare with.</param>
    /// <returns>Whether every member is equal.</returns>
    public bool Equals(SubjectLine? other) =>
        other is not null && Raw == other.Raw && Tags.AsSpan().SequenceEqual(other.Tags.AsSpan()) && Version == other.Version &&
        VersionText == other.VersionText && Index == other.Index && Total == other.Total && IsRfc == other.IsRfc &&
        IsResend == other.IsResend && IsReply == other.IsReply && IsForward == other.IsForward &&
        HasPatchTag == other.HasPatchTag && Title == other.Title;

    /// <summary>Hash code consistent with <see cref="Equals(SubjectLine?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Raw, Tags.Length, Version, Index, Total, Title);

    /// <summary>Parses a decoded, unfolded subject. Never throws; odd input still gives a record.</summary>
    /// <param name="subject">The subject header value.</param>
    /// <returns>The parsed subject.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    public static SubjectLine Parse(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Parse(subject, null, 0);
    }

    private const string PatchTag = "PATCH";

    /// <summary>The tags of nearly every patch subject, shared.</summary>
    private static readonly ImmutableArray<string> s_patchOnly = [PatchTag];


    /// <summary>Parses a subject, reporting odd prefixes at <paramref name="offset"/> (the subject's input offset).</summary>
    internal static SubjectLine Parse(string subject, DiagnosticBag? diagnostics, int offset)
    {
        var tags = Scratch<string>.Rent(); // taken out while in use: a logger that parses a subject cannot clear it
        var state = new PrefixState();
        bool isReply = false;
        bool isForward = false;
        int at = 0;
        int n = subject.Length;
        while (at < n)
        {
            char c = subject[at];
            if (char.IsWhiteSpace(c) || c == ':')
            {
                at++;
                continue;
            }

            if (c == '[')
            {
                int close = subject.IndexOf(']', at + 1);
                if (close < 0)
                {
                    diagnostics?.Warning(SubjectDiagnosticCodes.UnclosedBracket, "Expected ']' to close the subject prefix group that starts with '['; found the end of the subject.", offset);
                    break;
                }

                ReadGroup(subject.AsSpan(at + 1, close - at - 1), tags, ref state);
                at = close + 1;
                continue;
            }

            int marker = MarkerLength(subject.AsSpan(at), out bool forward);
            if (marker > 0)
            {
                if (forward)
                {
                    isForward = true;
                }
                else
                {
                    isReply = true;
                }

                at += marker;
                continue;
            }

            break;
        }

        if (state.Index is int i && state.Total is int t && i > t)
        {
            diagnostics?.Warning(SubjectDiagnosticCodes.IndexAboveTotal, $"Expected a patch index not above the series total; found {i}/{t}.", offset);
        }

        return new SubjectLine
        {
            Raw = subject,
            Tags = TagsOf(tags),
            Version = state.Version,
            VersionText = state.VersionText,
            Index = state.Index,
            Total = state.Total,
            IsRfc = state.IsRfc,
            IsResend = state.IsResend,
            IsReply = isReply,
            IsForward = isForward,
            HasPatchTag = state.HasPatch,
            Title = GitTitle(subject),
        };
    }

    private static ImmutableArray<string> TagsOf(ImmutableArray<string>.Builder tags)
    {
        if (tags.Count == 1 && ReferenceEquals(tags[0], PatchTag))
        {
            Scratch<string>.Return(tags);
            return s_patchOnly;
        }

        return Scratch<string>.ToImmutableAndReturn(tags);
    }

    /// <summary>git mailinfo's <c>cleanup_subject</c> then <c>cleanup_space</c> (no <c>-k</c>/<c>-b</c>).</summary>
    internal static string GitTitle(string subject)
    {
        // git removes at position 0 only (no -b), so stripping is advancing a start index: linear.
        string s = subject;
        int at = 0;
        while (at < s.Length)
        {
            char c = s[at];
            if (c == 'r' || c == 'R')
            {
                // git strips "re:" only when something follows it.
                if (s.Length > at + 3 && (s[at + 1] == 'e' || s[at + 1] == 'E') && s[at + 2] == ':')
                {
                    at += 3;
                    continue;
                }

                break;
            }

            if (c == ' ' || c == '\t' || c == ':')
            {
                at++;
                continue;
            }

            if (c == '[')
            {
                int close = s.IndexOf(']', at + 1);
                if (close < 0)
                {
                    break;
                }

                at = close + 1;
                continue;
            }

            break;
        }

        // cleanup_space: every run of white space becomes one space; then strbuf_trim.
        var o = StringBuilderCache.Acquire(s.Length - at);
        bool inSpace = false;
        for (int k = at; k < s.Length; k++)
        {
            char ch = s[k];
            if (IsGitSpace(ch))
            {
                if (!inSpace)
                {
                    o.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                o.Append(ch);
                inSpace = false;
            }
        }

        int start = 0;
        int end = o.Length;
        while (start < end && IsGitSpace(o[start]))
        {
            start++;
        }

        while (end > start && IsGitSpace(o[end - 1]))
        {
            end--;
        }

        return StringBuilderCache.GetStringAndRelease(o, start, end - start);
    }

    private static bool IsGitSpace(char c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';

    private static int MarkerLength(ReadOnlySpan<char> s, out bool forward)
    {
        forward = false;
        ReadOnlySpan<string> replies = ["Re:", "AW:", "SV:", "Antw:"];
        foreach (string m in replies)
        {
            if (s.StartsWith(m, StringComparison.OrdinalIgnoreCase))
            {
                return m.Length;
            }
        }

        ReadOnlySpan<string> forwards = ["Fwd:", "Fw:", "WG:"];
        foreach (string m in forwards)
        {
            if (s.StartsWith(m, StringComparison.OrdinalIgnoreCase))
            {
                forward = true;
                return m.Length;
            }
        }

        return 0;
    }

    private static void ReadGroup(ReadOnlySpan<char> group, ImmutableArray<string>.Builder tags, ref PrefixState state)
    {
        if (group.Trim().Equals("GIT PULL", StringComparison.OrdinalIgnoreCase))
        {
            tags.Add("GIT PULL");
            return;
        }

        int pendingNumber = -1; // a bare number waiting for "of N"
        bool sawOf = false;
        int at = 0;
        while (at < group.Length)
        {
            while (at < group.Length && (char.IsWhiteSpace(group[at]) || group[at] is ',' or ';'))
            {
                at++;
            }

            int start = at;
            while (at < group.Length && !char.IsWhiteSpace(group[at]) && group[at] is not (',' or ';'))
            {
                at++;
            }

            if (at == start)
            {
                break;
            }

            ReadOnlySpan<char> word = group[start..at];
            if (pendingNumber >= 0)
            {
                if (!sawOf && word.Equals("of", StringComparison.OrdinalIgnoreCase))
                {
                    sawOf = true;
                    continue;
                }

                if (sawOf && TryNumber(word, out int total))
                {
                    state.Index = pendingNumber;
                    state.Total = total;
                    pendingNumber = -1;
                    sawOf = false;
                    continue;
                }

                tags.Add(pendingNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (sawOf)
                {
                    tags.Add("of");
                }

                pendingNumber = -1;
                sawOf = false;
            }

            ReadWord(word, tags, ref state, ref pendingNumber);
        }

        if (pendingNumber >= 0)
        {
            tags.Add(pendingNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (sawOf)
            {
                tags.Add("of");
            }
        }
    }

    private static void ReadWord(ReadOnlySpan<char> word, ImmutableArray<string>.Builder tags, ref PrefixState state, ref int pendingNumber)
    {
        if (word.StartsWith("PATCH", StringComparison.OrdinalIgnoreCase))
        {
            ReadOnlySpan<char> rest = word[5..];
            if (rest.IsEmpty || TryVersion(rest, ref state) || TryIndexTotal(rest, ref state))
            {
                state.HasPatch = true;
                tags.Add(PatchTag);
                return;
            }
        }

        // RFC and RESEND alone, or run together with a version as PATCH is (RFCv2, RFC-v2, RESENDv3), or RESEND with
        // a count (RESEND^2, RESEND2), as b4 reads any word that starts with them; RFC7231 stays a tag
        if (word.StartsWith("RFC", StringComparison.OrdinalIgnoreCase) && (word.Length == 3 || TryVersion(VersionAfterDash(word[3..]), ref state)))
        {
            state.IsRfc = true;
            return;
        }

        if (word.StartsWith("RESEND", StringComparison.OrdinalIgnoreCase) && (word.Length == 6 || IsResendCount(word[6..]) || TryVersion(VersionAfterDash(word[6..]), ref state)))
        {
            state.IsResend = true;
            return;
        }

        if (TryVersion(word, ref state) || TryIndexTotal(word, ref state))
        {
            return;
        }

        if (state.Index is null && TryNumber(word, out int number))
        {
            pendingNumber = number;
            return;
        }

        tags.Add(word.ToString());
    }

    private static ReadOnlySpan<char> VersionAfterDash(ReadOnlySpan<char> rest) => rest.StartsWith('-') || rest.StartsWith('_') ? rest[1..] : rest;

    /// <summary>Whether <paramref name="rest"/> (after RESEND) counts the resends: <c>^2</c>, <c>2</c>, <c>x2</c>.</summary>
    private static bool IsResendCount(ReadOnlySpan<char> rest) =>
        IsDigits(rest) || (rest.Length > 1 && (rest[0] is '^' or 'x' or 'X') && IsDigits(rest[1..]));

    private static bool TryVersion(ReadOnlySpan<char> word, ref PrefixState state)
    {
        if (word.Length < 2 || (word[0] != 'v' && word[0] != 'V') || !char.IsAsciiDigit(word[1]))
        {
            return false;
        }

        ReadOnlySpan<char> text = word[1..];
        int dot = text.IndexOf('.');
        ReadOnlySpan<char> major = dot < 0 ? text : text[..dot];
        if (!TryNumber(major, out int version) || (dot >= 0 && !IsDigits(text[(dot + 1)..])))
        {
            return false;
        }

        state.Version = version;
        state.VersionText = KernelPatch.Text.StringPool.Get(text); // "2", "3": the same in every patch of a revision
        return true;
    }

    private static bool TryIndexTotal(ReadOnlySpan<char> word, ref PrefixState state)
    {
        int slash = word.IndexOf('/');
        if (slash <= 0 || !TryNumber(word[..slash], out int index) || !TryNumber(word[(slash + 1)..], out int total))
        {
            return false;
        }

        state.Index = index;
        state.Total = total;
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryNumber(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (!IsDigits(s) || s.Length > 9)
        {
            return false;
        }

        foreach (char c in s)
        {
            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private struct PrefixState
    {
        public int? Version;
        public string? VersionText;
        public int? Index;
        public int? Total;
        public bool IsRfc;
        public bool IsResend;
        public bool HasPatch;
    }
}
