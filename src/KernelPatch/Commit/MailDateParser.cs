namespace KernelPatch.Commit;

/// <summary>
/// Reads the RFC 2822 dates kernel mail carries (<c>Mon, 9 Mar 2020 10:24:07 -0400</c>, also without the
/// day name or seconds, with <c>GMT</c>/<c>UT</c>/<c>UTC</c> or a US zone name, and a trailing comment
/// such as <c>(PDT)</c>). Small on purpose: the mail stage may replace it.
/// </summary>
internal static class MailDateParser
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        int comma = s.IndexOf(',');
        if (comma >= 0 && comma < 10)
        {
            s = s[(comma + 1)..];
        }

        int pos = 0;
        if (!Number(s, ref pos, out int day) || !Word(s, ref pos, out ReadOnlySpan<char> monthWord) || !Number(s, ref pos, out int year))
        {
            return false;
        }

        int month = -1;
        for (int i = 0; i < s_months.Length; i++)
        {
            if (monthWord.Length >= 3 && monthWord[..3].Equals(s_months[i], StringComparison.OrdinalIgnoreCase))
            {
                month = i + 1;
                break;
            }
        }

        if (month < 0)
        {
            return false;
        }

        if (year < 50)
        {
            year += 2000;
        }
        else if (year < 1000)
        {
            year += 1900;
        }

        if (!Number(s, ref pos, out int hour) || pos >= s.Length || s[pos] != ':')
        {
            return false;
        }

        pos++;
        if (!Number(s, ref pos, out int minute))
        {
            return false;
        }

        int second = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            pos++;
            if (!Number(s, ref pos, out second))
            {
                return false;
            }
        }

        while (pos < s.Length && s[pos] == ' ')
        {
            pos++;
        }

        int offsetMinutes = 0;
        if (pos < s.Length && (s[pos] == '+' || s[pos] == '-'))
        {
            int sign = s[pos] == '-' ? -1 : 1;
            pos++;
            int start = pos;
            if (!Number(s, ref pos, out int hhmm) || pos - start != 4)
            {
                return false;
            }

            offsetMinutes = sign * (((hhmm / 100) * 60) + (hhmm % 100));
        }
        else if (pos < s.Length)
        {
            int start = pos;
            while (pos < s.Length && char.IsAsciiLetter(s[pos]))
            {
                pos++;
            }

            offsetMinutes = s[start..pos].ToString().ToUpperInvariant() switch
            {
                "EDT" => -4 * 60,
                "EST" or "CDT" => -5 * 60,
                "CST" or "MDT" => -6 * 60,
                "MST" or "PDT" => -7 * 60,
                "PST" => -8 * 60,
                _ => 0,
            };
        }

        if (month < 1 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) || hour > 23 || minute > 59 || second > 60 || Math.Abs(offsetMinutes) > 14 * 60 || year > 9999)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), TimeSpan.FromMinutes(offsetMinutes));
        return true;
    }

    private static bool Number(ReadOnlySpan<char> s, ref int pos, out int value)
    {
        value = 0;
        while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t'))
        {
            pos++;
        }

        int start = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]) && pos - start < 6)
        {
            value = (value * 10) + (s[pos] - '0');
            pos++;
        }

        return pos > start;
    }

    private static bool Word(ReadOnlySpan<char> s, ref int pos, out ReadOnlySpan<char> word)
    {
        while (pos < s.Length && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '-'))
        {
            pos++;
        }

        int start = pos;
        while (pos < s.Length && char.IsAsciiLetter(s[pos]))
        {
            pos++;
        }

        word = s[start..pos];
        while (pos < s.Length && s[pos] == '-')
        {
            pos++;
        }

        return pos > start;
    }
}
