using System.Globalization;
using System.Text;
using KernelPatch.Mail;

namespace KernelPatch.Tests.Mail;

public class MailDateTests
{
    [Theory]
    [InlineData("Tue, 17 Dec 2019 12:40:23 -0800", "2019-12-17T12:40:23-08:00")] // RFC 5322
    [InlineData("Mon,  9 Mar 2020 10:24:07 +0100", "2020-03-09T10:24:07+01:00")] // two spaces before a one-digit day
    [InlineData("9 Mar 2020 10:24:07 +0100", "2020-03-09T10:24:07+01:00")] // no weekday
    [InlineData("Mon, 9 Mar 2020 10:24 +0100", "2020-03-09T10:24:00+01:00")] // no seconds
    [InlineData("Mon, 9 Mar 2020 10:24:07 GMT", "2020-03-09T10:24:07+00:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 UT", "2020-03-09T10:24:07+00:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 UTC", "2020-03-09T10:24:07+00:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 EST", "2020-03-09T10:24:07-05:00")] // US zone names
    [InlineData("Mon, 9 Mar 2020 10:24:07 EDT", "2020-03-09T10:24:07-04:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 CST", "2020-03-09T10:24:07-06:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 MDT", "2020-03-09T10:24:07-06:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 PST", "2020-03-09T10:24:07-08:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 PDT", "2020-03-09T10:24:07-07:00")]
    [InlineData("Thu, 29 Aug 2019 18:36:32 -0700 (PDT)", "2019-08-29T18:36:32-07:00")] // zone comment
    [InlineData("Fri, 30 Aug 2019 01:36:34 +0000 (UTC)", "2019-08-30T01:36:34+00:00")]
    [InlineData("Mon, 9 Nov 2020 17:02:23 +0530", "2020-11-09T17:02:23+05:30")] // half-hour offset
    [InlineData("Mon, 9 Mar 20 10:24:07 +0100", "2020-03-09T10:24:07+01:00")] // two-digit year below 50
    [InlineData("Mon, 9 Mar 99 10:24:07 +0100", "1999-03-09T10:24:07+01:00")] // two-digit year 50 and above
    [InlineData("Mon, 9 Mar 103 10:24:07 +0100", "2003-03-09T10:24:07+01:00")] // three-digit year
    [InlineData("Mon, 9 Mar 2020 10:24:07", "2020-03-09T10:24:07+00:00")] // no zone
    [InlineData("Mon, 9 Mar 2020 10:24:07 A", "2020-03-09T10:24:07+00:00")] // military zone: treated as -0000
    [InlineData("Tue Dec 17 13:55:46 2019", "2019-12-17T13:55:46+00:00")] // asctime order
    [InlineData("Mon, 09 March 2020 10:24:07 -0000", "2020-03-09T10:24:07+00:00")] // full month name
    [InlineData("Sat, 29 Feb 2020 23:59:60 +0000", "2020-03-01T00:00:00+00:00")] // a leap second is the next minute's first, as git counts it
    [InlineData("Mon, 9 Mar 2020 10:24:07.123 +0200", "2020-03-09T10:24:07+02:00")] // fraction of a second dropped
    [InlineData("Mon, 9 Mar 2020 10:24:07 +02:00", "2020-03-09T10:24:07+02:00")] // ISO 8601 zone
    [InlineData("Mon, 9 Mar 2020 10:24:07 CET", "2020-03-09T10:24:07+01:00")] // zone names git knows
    [InlineData("Mon, 9 Mar 2020 10:24:07 CEST", "2020-03-09T10:24:07+02:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 BST", "2020-03-09T10:24:07+01:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 JST", "2020-03-09T10:24:07+09:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 NZDT", "2020-03-09T10:24:07+13:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 (PST)", "2020-03-09T10:24:07-08:00")] // the only zone is in a comment
    [InlineData("Mon, 9 Mar 2020 10:24:07 (GMT+02:00)", "2020-03-09T10:24:07+02:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 (Pacific Standard Time)", "2020-03-09T10:24:07+00:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07 (PST) +0100", "2020-03-09T10:24:07+01:00")] // a number wins over a name
    [InlineData("Mon, 9 Mar 2020 10:24:07 PST CET", "2020-03-09T10:24:07-08:00")] // the first name wins
    [InlineData("2020-03-09 10:24:07 +0200", "2020-03-09T10:24:07+02:00")] // ISO 8601 date
    [InlineData("2020-03-09T10:24:07+02:00", "2020-03-09T10:24:07+02:00")]
    [InlineData("2020-03-09T10:24:07Z", "2020-03-09T10:24:07+00:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07PDT", "2020-03-09T10:24:07-07:00")] // a zone name against the time
    [InlineData("2020-03-09T10:24:07.123CST", "2020-03-09T10:24:07-06:00")]
    [InlineData("Mon, 9 Mar 2020 10:24:07Zulu", "2020-03-09T10:24:07+00:00")] // an unknown name: +0000
    [InlineData("Mon,\r\n 9 Mar 2020 10:24:07 +0100", "2020-03-09T10:24:07+01:00")] // folded
    [InlineData("01 Jan 2001 00:01+0000", "2001-01-01T00:01:00+00:00")] // zone against the time (Python's email tests; git reads it)
    [InlineData("Mon, 9 Mar 2020 10:24:07-0700", "2020-03-09T10:24:07-07:00")]
    public void Parses_real_forms(string text, string expected)
    {
        var want = DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture);
        MailDate.TryParse(Encoding.UTF8.GetBytes(text), out var value).Should().BeTrue();
        value.Should().Be(want);
        value.Offset.Should().Be(want.Offset);
        MailDate.TryParse(text, out var fromString).Should().BeTrue();
        fromString.Should().Be(value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Mon, 31 Feb 2020 10:24:07 +0100")] // no such day
    [InlineData("Mon, 9 Mar 2020 25:24:07 +0100")] // hour out of range
    [InlineData("Mon, 9 Mar 2020 10:24:07 +9900")] // offset out of range
    [InlineData("Mon, 9 Mar 2020")] // no time
    [InlineData("Mon, 9 2020 10:24:07")] // no month
    [InlineData("Mon, 9 Mar 2020 10:24:07 +0100 12")] // a stray number
    [InlineData("((((((((((")] // unclosed comments
    [InlineData("Mon, 9 Mar 2020 10+24:07")] // a sign before the first colon (found by fuzzing: threw)
    [InlineData("Mon, 9 Mar 2020 -10:24:07")]
    [InlineData("1 Jan 0001 00:00 +1400")] // before the first instant DateTimeOffset holds (threw)
    [InlineData("31 Dec 9999 23:59 -1400")] // after the last (threw)
    [InlineData("31 Dec 9999 23:59:60 +0000")]
    [InlineData("2020-13-09 10:24:07")] // no such month
    [InlineData("2020-03-09TZ")] // a zone and no time (threw IndexOutOfRangeException)
    [InlineData("2020-03-09T")]
    [InlineData("99999999 +0000")] // eight digits are no seconds since 1970 (git: "invalid date format")
    [InlineData("10:24 1795556919 +0000")] // seconds since 1970 only before any other part of a date, as git reads them
    [InlineData("9 Mar 2020 1795556919")]
    [InlineData("@1795556919 +9999")] // git's own form with a zone no DateTimeOffset holds
    [InlineData("253402300800")] // after 9999
    public void Rejects_what_is_not_a_date(string text)
    {
        MailDate.TryParse(Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();
    }

    [Fact]
    public void Dates_agree_with_git()
    {
        // What git am records for a Date header: git var reads GIT_AUTHOR_DATE with the same parser (date.c). TZ=UTC
        // because git reads an unknown zone as the machine's; KernelPatch reads it as +0000 (RFC 5322).
        string[] forms =
        [
            "Tue, 17 Dec 2019 12:40:23 -0800", "Mon,  9 Mar 2020 10:24:07 +0100", "9 Mar 2020 10:24 +0100", "Mon, 9 Mar 99 10:24:07 +0100",
            "Mon, 9 Mar 2020 10:24:07 EDT", "Mon, 9 Mar 2020 10:24:07 GMT", "Thu, 29 Aug 2019 18:36:32 -0700 (PDT)", "Tue Dec 17 13:55:46 2019",
            "Sat, 29 Feb 2020 23:59:60 +0000", "Mon, 9 Mar 2020 10:24:07.123 +0200", "Mon, 9 Mar 2020 10:24:07 +02:00", "Mon, 9 Mar 2020 10:24:07 +02",
            "Mon, 9 Mar 2020 10:24:07 CET", "Mon, 9 Mar 2020 10:24:07 MESZ", "Mon, 9 Mar 2020 10:24:07 WAST", "Mon, 9 Mar 2020 10:24:07 IDLW",
            "Mon, 9 Mar 2020 10:24:07 (PST)", "Mon, 9 Mar 2020 10:24:07 (GMT+02:00)", "Mon, 9 Mar 2020 10:24:07 (PST) +0100",
            "Mon, 9 Mar 2020 10:24:07 PST CET", "Mon, 9 Mar 2020 10:24:07 Zulu", "2020-03-09 10:24:07 +0200", "2020-03-09T10:24:07+02:00",
            "2020-03-09T10:24:07Z", "01 Jan 2001 00:01+0000", "Mon, 9 Mar 2020 10:24:07PDT", "2020-03-09T10:24:07.123CST",
            "Mon, 9 Mar 2020 10:24:07Zulu",

            // words and punctuation git skips (it reads runs of letters as names and passes over the rest)
            "Tue, 2 Jan 2024 11:00:00 +0100 [foo]", "Tue, 2 Jan 2024 11:00:00 +0100 foo@bar", "Tue, 2 Jan 2024 11:00:00 +0100 <x>",
            "Tue, 2 Jan 2024 11:00:00 +0100 Cc:", "Tue, 2 Jan 2024 11:00:00 +0100 -- x", "Tue, 2 Jan 2024 11:00:00 +0100 \"x\" ; y:z",
            "Tue, 2 Jan 2024 11:00:00 +0100 Jörg", "[Tue, 2 Jan 2024 11:00:00 +0100]", "Tue, 2 Jan 2024 11:00:00 +0100.",
            "Mon, 9 Mar 2020 10:24:07+", "2020-03-09T10:24:07.", "Mon, 9 Mar 2020 10:24:07 +0100 Mayhem",
            "Mon, 9 Marc 2020 10:24:07 +0100", "Mon, 9 Mar 2020 10:24:07 PM +0100", "Mon, 9 Mar 2020 10:24:07 pm", "Mon, 9 Mar 2020 12:24:07 AM",

            // seconds since 1970: git log --date=raw and --date=unix, git's own "@<seconds> <zone>", and a number of more than
            // 8 digits before any other date part; a time after it replaces the time of day
            "1795556919 +0000", "1795556919 +0530", "1795556919", "@1795556919 -0800", "@64035731 -1200", "100000000 +0000",
            "[1637749492. 10:24:07", "Tue 1795556919 -1200", "1795556919 UTC", "<1795556919> +0100",
        ];
        using var git = new TestGit();
        if (!git.IsAvailable)
        {
            return;
        }

        foreach (string form in forms)
        {
            var result = git.TryRun(git.Root, ["var", "GIT_AUTHOR_IDENT"], environment: new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = form, ["TZ"] = "UTC" });
            result!.Value.ExitCode.Should().Be(0, form);
            string[] words = result.Value.Output.Trim().Split(' ');
            long seconds = long.Parse(words[^2], CultureInfo.InvariantCulture);
            string zone = words[^1];
            MailDate.TryParse(form, out var ours).Should().BeTrue(form);
            (ours.ToUnixTimeSeconds(), ours.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal)).Should().Be((seconds, zone), form);
        }
    }

    [Theory]
    [InlineData("1 Jan 0001 00:00 +1400")]
    [InlineData("31 Dec 9999 23:59:60 -1400")]
    public void A_date_no_DateTimeOffset_can_hold_is_a_warning(string date)
    {
        // Before, PatchMailbox.Parse threw ArgumentOutOfRangeException for such a Date header (and so did MailDate.TryParse).
        var mail = Encoding.UTF8.GetBytes("From: A <a@b.org>\nDate: " + date + "\nSubject: [PATCH] t\n\nx\n---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n");
        var message = PatchMailbox.Parse(mail).Messages.Should().ContainSingle().Subject;
        message.Date.Should().BeNull();
        message.Files.Should().ContainSingle().Which.NewPath.Should().Be("a");
        var warning = message.Diagnostics.Should().ContainSingle(d => d.Code == "KP0204").Subject;
        warning.Offset.Should().Be("From: A <a@b.org>\n".Length);
    }
}
