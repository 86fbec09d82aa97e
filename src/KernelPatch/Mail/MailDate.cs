using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Parses mail dates as <c>git am</c> reads them: RFC 5322 and the forms real mail uses — no weekday, two spaces
/// (<c>Mon,  9 Mar 2020</c>), the zone names git knows (<c>GMT</c>, <c>UTC</c>, <c>Z</c>, <c>EST</c>, <c>PDT</c>,
/// <c>CET</c>, <c>CEST</c>, <c>BST</c>, <c>JST</c>...; also RFC 5322's <c>UT</c>), a zone named only in a comment
/// (<c>10:24:07 (PST)</c>, <c>(GMT+02:00)</c>) or written against the time (<c>10:24:07PDT</c>), <c>+02:00</c> and
/// <c>+02</c> zones, fractions of a second, two- and
/// three-digit years, seconds missing, asctime order (<c>Tue Dec 17 13:55:46 2019</c>) and ISO 8601
/// (<c>2020-03-09 10:24:07 +0200</c>, <c>2020-03-09T10:24:07Z</c>).
/// </summary>
/// <remarks>
/// The original zone offset is kept in the result. A number wins over a zone name, and the first name over a later one.
/// A missing or unknown zone (military letters) counts as <c>+0000</c> (RFC 5322 §4.3; git reads the machine's zone).
/// Two-digit years below 50 are 20xx, others 19xx; three-digit years add 1900. Second 60 is the next minute's first.
/// A day the month does not have, a zone beyond ±14 hours, or an instant <see cref="DateTimeOffset"/> cannot hold is
/// no date (git would roll the day over, ignore the zone, or refuse).
/// </remarks>
public static class MailDate
{
    /// <summary>Parses a date given as UTF-8 (or ASCII) bytes.</summary>
    /// <param name="text">The date text, for example <c>Tue, 17 Dec 2019 12:40:23 -0800</c>.</param>
    /// <param name="value">The date with its original offset.</param>
    /// <returns>Whether a date was found.</returns>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (!text.IsEmpty && text[0] == (byte)'@' && TryObjectHeaderDate(text[1..], out value))
        {
            return true; // git's own form, "@1700000000 +0100"
        }

        int day = -1, month = -1, year = -1, hour = -1, minute = 0, second = 0;
        int offsetMinutes = 0;
        bool haveZone = false;
        bool unixSeconds = false;
        int pos = 0;
        while (pos < text.Length)
        {
            byte b = text[pos];
            if (b == (byte)' ' || b == (byte)'\t' || b == (byte)',' || b == (byte)'\r' || b == (byte)'\n')
            {
                pos++;
                continue;
            }

            if (b == (byte)'(')
            {
                int depth = 0;
                int open = pos;
                while (pos < text.Length)
                {
                    if (text[pos] == (byte)'(')
                    {
                        depth++;
                    }
                    else if (text[pos] == (byte)')' && --depth == 0)
                    {
                        pos++;
                        break;
                    }

                    pos++;
                }

                // "10:24:07 (PST)": with no zone written outside it, git takes a zone named in a comment
                if (!haveZone && ZoneInComment(text[open..pos], out int commentZone))
                {
                    offsetMinutes = commentZone;
                    haveZone = true;
                }

                continue;
            }

            int start = pos;
            while (pos < text.Length && text[pos] is not ((byte)' ' or (byte)'\t' or (byte)',' or (byte)'(' or (byte)'\r' or (byte)'\n'))
            {
                pos++;
            }

            var token = text[start..pos];
            if (token.IndexOfAnyInRange((byte)'0', (byte)'9') < 0)
            {
                Words(token, ref month, ref hour, ref offsetMinutes, ref haveZone);
                continue;
            }

            // Punctuation around a number is skipped as git skips it ("+0100]", "10:24:07.", "[Mon").
            token = TrimPunctuation(token);
            if (IsoDate(token, out int isoYear, out int isoMonth, out int isoDay, out int timeAt))
            {
                // 2020-03-09, or 2020-03-09T10:24:07+02:00 (git reads both)
                if (year >= 0 || month >= 0 || day >= 0)
                {
                    return false;
                }

                (year, month, day) = (isoYear, isoMonth, isoDay);
                if (timeAt < 0)
                {
                    continue;
                }

                token = token[timeAt..];
                if ((token[^1] | 0x20) == 'z')
                {
                    token = token[..^1];
                    haveZone = true;
                    if (token.IsEmpty)
                    {
                        return false; // "2020-03-09TZ": a zone and no time
                    }
                }
            }

            if ((token[0] == (byte)'+' || token[0] == (byte)'-') && token.IndexOf((byte)':') > 0)
            {
                if ((haveZone && hour < 0) || !TryNumericZone(token, out offsetMinutes))
                {
                    return false;
                }

                haveZone = true;
            }
            else if (token.IndexOf((byte)':') >= 0)
            {
                // "00:01+0000": a zone written against the time (no blank between), which git and Python read too;
                // "10:24:07PDT" likewise with a zone name
                int colon = token.IndexOf((byte)':');
                int sign = token[colon..].IndexOfAny((byte)'+', (byte)'-');
                sign = sign < 0 ? -1 : colon + sign;
                var time = sign > 0 ? token[..sign] : token;
                int letters = time.IndexOfAnyInRange((byte)'A', (byte)'Z') is int upper and >= 0 ? upper : time.IndexOfAnyInRange((byte)'a', (byte)'z');
                if (letters > colon && sign < 0)
                {
                    var name = time[letters..];
                    time = time[..letters];
                    if (!IsLetters(name))
                    {
                        return false;
                    }

                    if (!haveZone && TryZone(name, out int named))
                    {
                        offsetMinutes = named;
                        haveZone = true;
                    }
                }

                // after seconds since 1970 a time replaces the time of day, as in git
                if ((hour >= 0 && !unixSeconds) || !TryParseTime(time, out hour, out minute, out second))
                {
                    return false;
                }

                if (sign > 0)
                {
                    if (haveZone || !TryNumericZone(token[sign..], out offsetMinutes))
                    {
                        return false;
                    }

                    haveZone = true;
                }
            }
            else if ((token[0] == (byte)'+' || token[0] == (byte)'-') && token.Length > 1 && IsDigits(token[1..]))
            {
                if ((haveZone && hour < 0) || !TryNumericZone(token, out offsetMinutes))
                {
                    return false;
                }

                haveZone = true;
            }
            else if (IsDigits(token))
            {
                if (token.Length > 8 && year < 0 && month < 0 && day < 0 && hour < 0)
                {
                    // Seconds since 1970, as git reads any number of more than 8 digits before a date ("1700000000 +0100",
                    // git's own "@1700000000 +0100", git log --date=raw): the instant is UTC, a zone after it only says where.
                    if (!TryUnixSeconds(token, out year, out month, out day, out hour, out minute, out second))
                    {
                        return false;
                    }

                    unixSeconds = true;
                    continue;
                }

                if (token.Length > 4)
                {
                    return false;
                }

                int n = Number(token);
                if (token.Length <= 2 && day < 0)
                {
                    day = n;
                }
                else if (year < 0)
                {
                    year = token.Length == 4 ? n : token.Length == 3 ? n + 1900 : n < 50 ? n + 2000 : n + 1900;
                }
                else
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (day < 1 || month < 1 || year < 1 || year > 9999 || hour < 0 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        // Second 60 (a leap second) is the next minute's first, as git counts it. The instant must exist: year 1 at
        // +1400 or year 9999 at -1400 does not (DateTimeOffset would throw).
        long ticks = new DateTime(year, month, day, hour, minute, Math.Min(second, 59)).Ticks + (second == 60 ? TimeSpan.TicksPerSecond : 0);
        long utc = ticks - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (unixSeconds)
        {
            // The fields are UTC already: the local time is the instant moved to the zone.
            (utc, ticks) = (ticks, ticks + (offsetMinutes * TimeSpan.TicksPerMinute));
        }

        if (ticks > DateTime.MaxValue.Ticks || utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(ticks), TimeSpan.FromMinutes(offsetMinutes));
        return true;
    }

    /// <summary>Parses a date given as a string.</summary>
    /// <param name="text">The date text.</param>
    /// <param name="value">The date with its original offset.</param>
    /// <returns>Whether a date was found.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        return TryParse(Encoding.UTF8.GetBytes(text), out value);
    }

    private static bool TryParseTime(ReadOnlySpan<byte> token, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        int c1 = token.IndexOf((byte)':');
        if (c1 < 0)
        {
            return false;
        }

        var h = token[..c1];
        var rest = token[(c1 + 1)..];
        int c2 = rest.IndexOf((byte)':');
        var m = c2 < 0 ? rest : rest[..c2];
        var s = c2 < 0 ? ReadOnlySpan<byte>.Empty : rest[(c2 + 1)..];
        int dot = s.IndexOf((byte)'.');
        if (dot >= 0)
        {
            // "10:24:07.123": git drops the fraction
            if (!IsDigits(s[(dot + 1)..]))
            {
                return false;
            }

            s = s[..dot];
        }

        if (h.Length is < 1 or > 2 || m.Length != 2 || !IsDigits(h) || !IsDigits(m) || (c2 >= 0 && (s.Length != 2 || !IsDigits(s))))
        {
            return false;
        }

        hour = Number(h);
        minute = Number(m);
        second = s.IsEmpty ? 0 : Number(s);
        return hour < 24 && minute < 60 && second <= 60;
    }

    /// <summary>
    /// Words and punctuation: git reads each run of letters (a month, weekday or zone name, AM/PM) and skips everything
    /// else (<c>[foo]</c>, <c>foo@bar</c>, <c>Cc:</c>, <c>--</c>, non-ASCII bytes). Kept out of <see cref="TryParse(ReadOnlySpan{byte}, out DateTimeOffset)"/>
    /// (the streaming peak counts the size of the mail parse's optimized code).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Words(ReadOnlySpan<byte> token, ref int month, ref int hour, ref int offsetMinutes, ref bool haveZone)
    {
        for (int i = 0; i < token.Length;)
        {
            int j = i;
            while (j < token.Length && IsLetter(token[j]))
            {
                j++;
            }

            if (j > i)
            {
                Word(token[i..j], ref month, ref hour, ref offsetMinutes, ref haveZone);
                i = j;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// A run of letters as git's <c>match_alpha</c> reads it: a month or weekday name, or a zone name (the first one
    /// counts, and only while no zone was found), each written whole or cut to at least three letters; <c>PM</c> and
    /// <c>AM</c> after the time move it to the afternoon or morning; anything else (military zones too) is skipped.
    /// </summary>
    private static void Word(ReadOnlySpan<byte> word, ref int month, ref int hour, ref int offsetMinutes, ref bool haveZone)
    {
        int m = MonthOf(word);
        if (m > 0)
        {
            month = m;
        }
        else if (IsWeekday(word))
        {
            // skipped
        }
        else if (TryZone(word, out int zone))
        {
            if (!haveZone)
            {
                offsetMinutes = zone;
                haveZone = true;
            }
        }
        else if (hour >= 0 && word.Length == 2 && (word[0] | 0x20) == 'p' && (word[1] | 0x20) == 'm')
        {
            hour = (hour % 12) + 12;
        }
        else if (hour >= 0 && word.Length == 2 && (word[0] | 0x20) == 'a' && (word[1] | 0x20) == 'm')
        {
            hour %= 12;
        }
    }

    private static ReadOnlySpan<byte> TrimPunctuation(ReadOnlySpan<byte> token)
    {
        int a = 0;
        int b = token.Length;
        while (a < b && token[a] is (byte)'[' or (byte)'<' or (byte)'"' or (byte)'\'' or (byte)'@')
        {
            a++;
        }

        while (b > a && token[b - 1] is (byte)']' or (byte)'>' or (byte)'"' or (byte)'\'' or (byte)'.' or (byte)';' or (byte)'+' or (byte)'-')
        {
            b--;
        }

        return token[a..b];
    }

    /// <summary>
    /// git's own form of a date, as in its objects and <c>GIT_AUTHOR_DATE</c>: <c>@</c>, seconds since 1970, a blank and a
    /// zone of a sign and four digits, and nothing after (a line end aside). False for anything else, which is then read
    /// as any date is (the <c>@</c> skipped). Also what <c>git log --format=raw</c> writes after an author. Out of line: rare.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static bool TryObjectHeaderDate(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        int blank = text.IndexOf((byte)' ');
        var rest = blank < 0 ? default : Utf8Lines.TrimEol(text[(blank + 1)..]);
        if (blank > 0 && IsDigits(text[..blank]) && rest.Length == 5 && rest[0] is (byte)'+' or (byte)'-' && IsDigits(rest[1..]))
        {
            int hhmm = Number(rest[1..]);
            int minutes = ((hhmm / 100 * 60) + (hhmm % 100)) * (rest[0] == (byte)'-' ? -1 : 1);
            // git takes any number and zone here; no DateTimeOffset holds some, nor does the parse after a false
            return blank <= 12
                && long.TryParse(text[..blank], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
                && TryFromUnixSeconds(seconds, minutes, out value);
        }

        return false;
    }

    /// <summary>
    /// The instant <paramref name="seconds"/> after 1970-01-01 UTC, shown at <paramref name="offsetMinutes"/> east of UTC;
    /// false when no <see cref="DateTimeOffset"/> holds it (the offset beyond ±14 hours, or the local time past year 9999).
    /// </summary>
    internal static bool TryFromUnixSeconds(long seconds, int offsetMinutes, out DateTimeOffset value)
    {
        value = default;
        const long maxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
        if (seconds < 0 || seconds > maxSeconds || Math.Abs(offsetMinutes) > 14 * 60)
        {
            return false;
        }

        var instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
        long local = instant.UtcTicks + (offsetMinutes * TimeSpan.TicksPerMinute);
        if (local < DateTime.MinValue.Ticks || local > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = instant.ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        return true;
    }

    /// <summary>
    /// A number of seconds since 1970 as UTC date and time fields; false when no <see cref="DateTimeOffset"/> holds it.
    /// Out of line: rare, and the date parse runs for every message.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool TryUnixSeconds(ReadOnlySpan<byte> digits, out int year, out int month, out int day, out int hour, out int minute, out int second)
    {
        (year, month, day, hour, minute, second) = (-1, -1, -1, -1, 0, 0);
        if (digits.Length > 12 || !long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            || !TryFromUnixSeconds(value, 0, out var utc))
        {
            return false;
        }

        (year, month, day, hour, minute, second) = (utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second);
        return true;
    }

    /// <summary>1-12 when <paramref name="word"/> is a month name, whole or cut to at least three letters (any case); else 0.</summary>
    private static int MonthOf(ReadOnlySpan<byte> word)
    {
        if (word.Length < 3)
        {
            return 0;
        }

        // the first three letters pick the name (one switch on them); longer words must go on as the name does
        int key = ((word[0] | 0x20) << 16) | ((word[1] | 0x20) << 8) | (word[2] | 0x20);
        int month = key switch
        {
            0x6A616E => 1,
            0x666562 => 2,
            0x6D6172 => 3,
            0x617072 => 4,
            0x6D6179 => 5,
            0x6A756E => 6,
            0x6A756C => 7,
            0x617567 => 8,
            0x736570 => 9,
            0x6F6374 => 10,
            0x6E6F76 => 11,
            0x646563 => 12,
            _ => 0,
        };
        ReadOnlySpan<byte> name = month switch
        {
            1 => "january"u8,
            2 => "february"u8,
            3 => "march"u8,
            4 => "april"u8,
            5 => "may"u8,
            6 => "june"u8,
            7 => "july"u8,
            8 => "august"u8,
            9 => "september"u8,
            10 => "october"u8,
            11 => "november"u8,
            12 => "december"u8,
            _ => default,
        };
        return month > 0 && NameGoesOn(word, name) ? month : 0;
    }

    /// <summary>Whether <paramref name="word"/> is a weekday name, whole or cut to at least three letters (any case).</summary>
    private static bool IsWeekday(ReadOnlySpan<byte> word)
    {
        if (word.Length < 3)
        {
            return false;
        }

        int key = ((word[0] | 0x20) << 16) | ((word[1] | 0x20) << 8) | (word[2] | 0x20);
        ReadOnlySpan<byte> name = key switch
        {
            0x73756E => "sunday"u8,
            0x6D6F6E => "monday"u8,
            0x747565 => "tuesday"u8,
            0x776564 => "wednesday"u8,
            0x746875 => "thursday"u8,
            0x667269 => "friday"u8,
            0x736174 => "saturday"u8,
            _ => default,
        };
        return !name.IsEmpty && NameGoesOn(word, name);
    }

    // Whether the letters of the word after its first three are the name's next ones (any case), none beyond its end.
    private static bool NameGoesOn(ReadOnlySpan<byte> word, ReadOnlySpan<byte> name)
    {
        if (word.Length > name.Length)
        {
            return false;
        }

        for (int i = 3; i < word.Length; i++)
        {
            if ((word[i] | 0x20) != name[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>+hhmm</c>, <c>-hhmm</c>, <c>+h</c> or <c>+hh</c> as minutes east of UTC (at most 14 hours).</summary>
    private static bool TryNumericZone(ReadOnlySpan<byte> token, out int minutes)
    {
        minutes = 0;
        var digits = token[1..];
        if (digits.Length == 5 && digits[2] == (byte)':')
        {
            // "+02:00" (ISO 8601), which git reads
            Span<byte> joined = [digits[0], digits[1], digits[3], digits[4]];
            return TryNumericZone(token[..1], joined, out minutes);
        }

        return TryNumericZone(token[..1], digits, out minutes);
    }

    private static bool TryNumericZone(ReadOnlySpan<byte> sign, ReadOnlySpan<byte> digits, out int minutes)
    {
        minutes = 0;
        if (!IsDigits(digits))
        {
            return false;
        }

        int hh, mm;
        if (digits.Length == 4)
        {
            hh = Number(digits[..2]);
            mm = Number(digits[2..]);
        }
        else if (digits.Length is > 0 and <= 2)
        {
            hh = Number(digits);
            mm = 0;
        }
        else
        {
            return false;
        }

        if (hh > 14 || mm > 59)
        {
            return false;
        }

        minutes = (sign[0] == (byte)'-' ? -1 : 1) * ((hh * 60) + mm);
        return true;
    }

    /// <summary>
    /// Zone names git knows (date.c), in its order, with the hours east of UTC it gives them (summer time included).
    /// A name is matched whole, or by a prefix of three letters or more (<c>CES</c> is <c>CEST</c>), as git matches it.
    /// </summary>
    private static readonly (string Name, int Hours)[] s_zones =
    [
        ("IDLW", -12), ("NT", -11), ("CAT", -10), ("HST", -10), ("HDT", -9), ("YST", -9), ("YDT", -8), ("PST", -8), ("PDT", -7),
        ("MST", -7), ("MDT", -6), ("CST", -6), ("CDT", -5), ("EST", -5), ("EDT", -4), ("AST", -3), ("ADT", -2), ("WAT", -1),
        ("GMT", 0), ("UTC", 0), ("Z", 0), ("WET", 0), ("BST", 1), ("CET", 1), ("MET", 1), ("MEWT", 1), ("MEST", 2), ("CEST", 2),
        ("MESZ", 2), ("FWT", 1), ("FST", 2), ("EET", 2), ("EEST", 3), ("WAST", 7), ("WADT", 8), ("CCT", 8), ("JST", 9),
        ("EAST", 10), ("EADT", 11), ("GST", 10), ("NZT", 12), ("NZST", 12), ("NZDT", 13), ("IDLE", 12),
    ];

    private static bool TryZone(ReadOnlySpan<byte> token, out int minutes)
    {
        minutes = 0;
        if (System.Text.Ascii.EqualsIgnoreCase(token, "UT"u8))
        {
            return true; // RFC 5322's name for UTC (git does not know it, and reads the local zone)
        }

        foreach (var (name, hours) in s_zones)
        {
            if (token.Length <= name.Length && (token.Length >= 3 || token.Length == name.Length)
                && System.Text.Ascii.EqualsIgnoreCase(token, name.AsSpan(0, token.Length)))
            {
                minutes = hours * 60;
                return true;
            }
        }

        return false;
    }

    /// <summary>A zone in a comment: a zone name, or a numeric zone after <c>GMT</c>/<c>UTC</c> or alone (<c>(GMT+02:00)</c>).</summary>
    private static bool ZoneInComment(ReadOnlySpan<byte> comment, out int minutes)
    {
        minutes = 0;
        bool found = false;
        int i = 0;
        while (i < comment.Length)
        {
            byte c = comment[i];
            if (c == (byte)'+' || c == (byte)'-')
            {
                int end = i + 1;
                while (end < comment.Length && (IsDigit(comment[end]) || comment[end] == (byte)':'))
                {
                    end++;
                }

                if (end > i + 1 && TryNumericZone(comment[i..end], out int numeric))
                {
                    minutes = numeric; // a number wins over a name, as outside comments
                    return true;
                }

                i = end;
            }
            else if (IsLetter(c))
            {
                int end = i + 1;
                while (end < comment.Length && IsLetter(comment[end]))
                {
                    end++;
                }

                if (!found && MonthOf(comment[i..end]) == 0 && TryZone(comment[i..end], out int named))
                {
                    minutes = named;
                    found = true;
                }

                i = end;
            }
            else
            {
                i++;
            }
        }

        return found;
    }

    /// <summary><c>YYYY-MM-DD</c>, alone or followed by <c>T</c> and a time; <paramref name="timeAt"/> is where the time starts, -1 when none.</summary>
    private static bool IsoDate(ReadOnlySpan<byte> token, out int year, out int month, out int day, out int timeAt)
    {
        year = month = day = 0;
        timeAt = -1;
        if (token.Length < 8 || token[4] != (byte)'-' || !IsDigits(token[..4]))
        {
            return false;
        }

        int second = token[5..].IndexOf((byte)'-');
        if (second is < 1 or > 2 || !IsDigits(token.Slice(5, second)))
        {
            return false;
        }

        var rest = token[(6 + second)..];
        int t = rest.IndexOfAny((byte)'T', (byte)'t');
        var dayDigits = t < 0 ? rest : rest[..t];
        if (dayDigits.Length is < 1 or > 2 || !IsDigits(dayDigits) || (t >= 0 && t + 1 == rest.Length))
        {
            return false;
        }

        year = Number(token[..4]);
        month = Number(token.Slice(5, second));
        day = Number(dayDigits);
        timeAt = t < 0 ? -1 : 6 + second + t + 1;
        return month is >= 1 and <= 12;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsDigits(ReadOnlySpan<byte> token) => !token.IsEmpty && token.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static bool IsLetters(ReadOnlySpan<byte> token)
    {
        foreach (byte b in token)
        {
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a' && b != (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<byte> digits)
    {
        int n = 0;
        foreach (byte b in digits)
        {
            n = (n * 10) + (b - '0');
        }

        return n;
    }
}
