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
    [InlineData("Sat, 29 Feb 2020 23:59:60 +0000", "2020-02-29T23:59:59+00:00")] // leap second clamped
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
    [InlineData("Mon, 9 Mar 2020 10:24:07+")] // a sign without digits
    [InlineData("Mon, 9 Mar 2020 10+24:07")] // a sign before the first colon (found by fuzzing: threw)
    [InlineData("Mon, 9 Mar 2020 -10:24:07")]
    public void Rejects_what_is_not_a_date(string text)
    {
        MailDate.TryParse(Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();
    }
}
