using System.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Parses mail dates: RFC 5322 and the obsolete forms real mail uses — no weekday, two spaces
/// (<c>Mon,  9 Mar 2020</c>), <c>GMT</c>/<c>UT</c>/<c>UTC</c>/<c>Z</c> and US zone names (<c>EST</c>, <c>PDT</c>...),
/// <c>(PST)</c> comments, two- and three-digit years, seconds missing, asctime order (<c>Tue Dec 17 13:55:46 2019</c>).
/// </summary>
/// <remarks>
/// The original zone offset is kept in the result. A missing or unknown zone (military letters) counts as
/// <c>+0000</c> (RFC 5322 §4.3). Two-digit years below 50 are 20xx, others 19xx; three-digit years add 1900.
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
        int day = -1, month = -1, year = -1, hour = -1, minute = 0, second = 0;
        int offsetMinutes = 0;
        bool haveZone = false;
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

                continue;
            }

            int start = pos;
            while (pos < text.Length && text[pos] is not ((byte)' ' or (byte)'\t' or (byte)',' or (byte)'(' or (byte)'\r' or (byte)'\n'))
            {
                pos++;
            }

            var token = text[start..pos];
            if (token.IndexOf((byte)':') >= 0)
            {
                // "00:01+0000": a zone written against the time (no blank between), which git and Python read too
                int colon = token.IndexOf((byte)':');
                int sign = token[colon..].IndexOfAny((byte)'+', (byte)'-');
                sign = sign < 0 ? -1 : colon + sign;
                var time = sign > 0 ? token[..sign] : token;
                if (hour >= 0 || !TryParseTime(time, out hour, out minute, out second))
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
            else if (IsLetters(token))
            {
                int m = MonthOf(token);
                if (m > 0)
                {
                    month = m;
                }
                else if (!haveZone && TryZone(token, out int zone))
                {
                    offsetMinutes = zone;
                    haveZone = true;
                }

                // weekday names and unknown words (military zones) are skipped
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

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes));
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
        if (h.Length is < 1 or > 2 || m.Length != 2 || !IsDigits(h) || !IsDigits(m) || (c2 >= 0 && (s.Length != 2 || !IsDigits(s))))
        {
            return false;
        }

        hour = Number(h);
        minute = Number(m);
        second = s.IsEmpty ? 0 : Number(s);
        if (second == 60)
        {
            second = 59; // leap second
        }

        return hour < 24 && minute < 60 && second < 60;
    }

    private static int MonthOf(ReadOnlySpan<byte> token)
    {
        if (token.Length < 3)
        {
            return 0;
        }

        ReadOnlySpan<byte> months = "janfebmaraprmayjunjulaugsepoctnovdec"u8;
        Span<byte> lower = [(byte)(token[0] | 0x20), (byte)(token[1] | 0x20), (byte)(token[2] | 0x20)];
        for (int i = 0; i < 12; i++)
        {
            if (months.Slice(i * 3, 3).SequenceEqual(lower))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary><c>+hhmm</c>, <c>-hhmm</c>, <c>+h</c> or <c>+hh</c> as minutes east of UTC (at most 14 hours).</summary>
    private static bool TryNumericZone(ReadOnlySpan<byte> token, out int minutes)
    {
        minutes = 0;
        var digits = token[1..];
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

        minutes = (token[0] == (byte)'-' ? -1 : 1) * ((hh * 60) + mm);
        return true;
    }

    private static bool TryZone(ReadOnlySpan<byte> token, out int minutes)
    {
        minutes = 0;
        if (System.Text.Ascii.EqualsIgnoreCase(token, "UT"u8) || System.Text.Ascii.EqualsIgnoreCase(token, "UTC"u8)
            || System.Text.Ascii.EqualsIgnoreCase(token, "GMT"u8) || System.Text.Ascii.EqualsIgnoreCase(token, "Z"u8))
        {
            return true;
        }

        if (token.Length != 3 || (token[2] | 0x20) != 't')
        {
            return false;
        }

        int baseHours = (token[0] | 0x20) switch
        {
            'e' => -5,
            'c' => -6,
            'm' => -7,
            'p' => -8,
            _ => 0,
        };
        int daylight = (token[1] | 0x20) switch
        {
            's' => 0,
            'd' => 1,
            _ => -100,
        };
        if (baseHours == 0 || daylight < 0)
        {
            return false;
        }

        minutes = (baseHours + daylight) * 60;
        return true;
    }

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
