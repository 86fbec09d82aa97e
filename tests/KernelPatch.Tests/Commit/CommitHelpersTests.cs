using KernelPatch.Commit;
using KernelPatch.Mail;

namespace KernelPatch.Tests.Commit;

public sealed class CommitHelpersTests
{
    [Theory]
    [InlineData("Zengruan Ye <yezengruan@huawei.com>", "Zengruan Ye", "yezengruan@huawei.com")]
    // quoted "Last, First"
    [InlineData("\"Doe, John\" <john@x.org>", "Doe, John", "john@x.org")]
    // bare address: git uses the email as the name
    [InlineData("john@x.org", "john@x.org", "john@x.org")]
    // angle address without a name (patchwork's From: <yezengruan@huawei.com>)
    [InlineData("<yezengruan@huawei.com>", "yezengruan@huawei.com", "yezengruan@huawei.com")]
    // old style comment name
    [InlineData("john@x.org (John Doe)", "John Doe", "john@x.org")]
    // escaped quote inside a quoted name
    [InlineData("\"John \\\"JD\\\" Doe\" <jd@x.org>", "John \"JD\" Doe", "jd@x.org")]
    public void IdentityParser_ReadsAddresses(string value, string name, string email)
    {
        IdentityParser.Parse(value).Should().Be(new MailIdentity(name, email));
    }

    [Fact]
    public void IdentityParser_NoAt_IsNull()
    {
        IdentityParser.Parse("syzbot").Should().BeNull();
    }

    [Theory]
    [InlineData("=?utf-8?q?Philippe_Mathieu-Daud=C3=A9?= <f4bug@amsat.org>", "Philippe Mathieu-Daudé <f4bug@amsat.org>")]
    [InlineData("=?utf-8?b?UmFkaW0gS3LEjW3DocWZ?= <rkrcmar@redhat.com>", "Radim Krčmář <rkrcmar@redhat.com>")]
    // white space between two encoded words is dropped
    [InlineData("=?utf-8?q?Jos=C3=A9?= =?utf-8?q?_Mar=C3=ADa?=", "José María")]
    [InlineData("=?iso-8859-1?q?J=F6rg?= Roedel", "Jörg Roedel")]
    // 8-bit charsets beyond latin-1 are known; an unknown charset is read as UTF-8 (KP0206 where
    // diagnostics are collected); broken words are kept as written
    [InlineData("=?koi8-r?q?x?= a", "x a")]
    [InlineData("=?x-unknown?q?x?= a", "x a")]
    [InlineData("=?utf-8?q?unterminated", "=?utf-8?q?unterminated")]
    [InlineData("plain", "plain")]
    public void EncodedWords_Decode(string value, string expected)
    {
        MailEncodedWords.Decode(value).Should().Be(expected);
    }

    [Fact]
    public void EncodedWords_HostileRepetition_IsHandled()
    {
        string hostile = string.Concat(Enumerable.Repeat("=?utf-8?q?", 100_000)) + "?=";
        // each "=?" is tried once and the closing "?=" is found once: linear, no throw
        string decoded = MailEncodedWords.Decode(hostile);
        decoded.Length.Should().BeLessThanOrEqualTo(hostile.Length);
        decoded.Should().StartWith("=?utf-8?q?");
    }

    [Theory]
    [InlineData("Mon, 9 Mar 2020 10:24:07 -0400", 2020, 3, 9, 10, 24, 7, -240)]
    [InlineData("Fri, 30 Aug 2019 09:36:15 +0800", 2019, 8, 30, 9, 36, 15, 480)]
    // no day name, no seconds
    [InlineData("9 Mar 2020 10:24 +0000", 2020, 3, 9, 10, 24, 0, 0)]
    // zone name and a trailing comment
    [InlineData("Thu, 29 Aug 2019 18:36:32 -0700 (PDT)", 2019, 8, 29, 18, 36, 32, -420)]
    [InlineData("Thu, 29 Aug 2019 18:36:32 PDT", 2019, 8, 29, 18, 36, 32, -420)]
    [InlineData("Thu, 29 Aug 2019 18:36:32 GMT", 2019, 8, 29, 18, 36, 32, 0)]
    public void MailDateParser_ReadsRfc2822(string value, int y, int mo, int d, int h, int mi, int s, int offsetMinutes)
    {
        MailDate.TryParse(value, out DateTimeOffset date).Should().BeTrue();
        date.Should().Be(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromMinutes(offsetMinutes)));
        date.Offset.Should().Be(TimeSpan.FromMinutes(offsetMinutes));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("32 Jan 2020 10:00:00 +0000")]
    [InlineData("1 Foo 2020 10:00:00 +0000")]
    [InlineData("")]
    public void MailDateParser_Rejects(string value)
    {
        MailDate.TryParse(value, out _).Should().BeFalse();
    }
}

public sealed class NotesParserTests
{
    [Theory]
    // heading, expected version (null: not a heading when isHeading is false)
    [InlineData("v2:", true, 2)]
    [InlineData("V3:", true, 3)]
    [InlineData("v2", true, 2)]
    [InlineData("Changes since v1:", true, 2)]
    [InlineData("Changes from v3:", true, 4)]
    [InlineData("Changes in v3:", true, 3)]
    [InlineData("v1 -> v2:", true, 2)]
    [InlineData("v1->v2 Changelog:", true, 2)]
    [InlineData("* From v1 [1]:", true, 2)]
    [InlineData("Change log:", true, null)]
    // a sentence ending with ':' is not a heading
    [InlineData("This series can be found in riscv_kvm_v15 branch at:", false, null)]
    // indented lines are changelog items, not headings
    [InlineData("  v2: fixed", false, 2)]
    [InlineData("Note:", false, null)]
    public void Headings(string line, bool isHeading, int? version)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(line);
        NotesParser.IsHeading(bytes).Should().Be(isHeading);
        if (isHeading)
        {
            NotesParser.VersionOf(bytes.AsSpan().TrimEnd((byte)':')).Should().Be(version);
        }
    }

    [Fact]
    public void Entries_EndAtProseAfterABlankLine()
    {
        byte[] text = "v2:\n- a\n\n- b\n\nProse here.\nv1:\n- c\n"u8.ToArray();
        var revisions = NotesParser.Parse(text, 0, text.Length, 100);
        revisions.Select(r => (r.Heading, r.Version, r.Text)).Should().Equal(("v2:", (int?)2, "- a\n\n- b"), ("v1:", (int?)1, "- c"));
        revisions[0].Span.Should().Be(new KernelPatch.Text.SourceSpan(100, "v2:\n- a\n\n- b".Length));
    }
}

public sealed class CommitAuthorTests
{
    [Theory]
    // the mail stage's identity is made sane as git am does
    [InlineData("", "a@x.org", "a@x.org")]
    [InlineData("Name <with> brackets", "a@x.org", "a@x.org")]
    [InlineData("John Doe", "a@x.org", "John Doe")]
    public void MailFrom_IsMadeSane(string name, string email, string expectedName)
    {
        CommitMessage m = CommitMessage.Parse("Text.\n"u8.ToArray(), "[PATCH] t", new MailIdentity(name, email));
        m.Author.Should().Be(new MailIdentity(expectedName, email));
    }
}

public sealed class CommitAllocationTests
{
    [Fact]
    public void DiffLines_AreNotAllocatedPerLine()
    {
        var sb = new System.Text.StringBuilder("Fix it.\n\nSigned-off-by: A <a@x.org>\n---\n a.c | 100000 ++++\n 1 file changed, 100000 insertions(+)\n\ndiff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n@@ -0,0 +1,100000 @@\n");
        for (int i = 0; i < 100_000; i++)
        {
            sb.Append("+int x = 0; /* line */\n");
        }

        sb.Append("-- \n2.43.0\n");
        byte[] body = System.Text.Encoding.UTF8.GetBytes(sb.ToString());
        CommitMessage.Parse(body, "[PATCH] t"); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        CommitMessage m = CommitMessage.Parse(body, "[PATCH] t");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        m.Patch.Length.Should().Be(body.Length - sb.ToString().IndexOf("diff --git", StringComparison.Ordinal) - "-- \n2.43.0\n".Length);
        allocated.Should().BeLessThan(16 * 1024, "a {0}-byte body with 100,000 diff lines", body.Length);
    }
}
