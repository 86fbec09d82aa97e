using System.Text;
using KernelPatch.Series;

namespace KernelPatch.Tests.Series;

public class AmWriterTests
{
    private static readonly (string, string)[] s_trailers =
    [
        ("Reviewed-by", "Rev Iewer <rev@example.org>"),
        ("Acked-by", "ack er <ACK@example.org>"),   // already in the message (case differs): left out
        ("Tested-by", "Test Er <test@example.org>"),
        ("Reviewed-by", "Rev Iewer <rev@example.org>"), // twice in the list: once
    ];

    public static TheoryData<string, bool> Fixtures => new()
    {
        { "am-patch", false },
        { "am-patch", true },
        { "am-no-trailers", false },
        { "am-no-trailers", true },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Trailers_go_at_the_end_of_the_trailer_block_and_nothing_else_changes(string name, bool crlf)
    {
        byte[] input = Load(name + ".eml", crlf);
        byte[] expected = Load(name + ".expected.eml", crlf);

        byte[] output = AmWriter.AddTrailers(input, s_trailers, out int added);

        Encoding.UTF8.GetString(output).Should().Be(Encoding.UTF8.GetString(expected));
        added.Should().Be(name == "am-patch" ? 2 : 3);
    }

    private const string EncodedBody =
        "Fix the b\u00e4r: x = y.\n\nSigned-off-by: J\u00f6rg Doe <jorg@example.org>\n---\n a.c | 2 +-\n\n"
        + "diff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n int x;\n-int y;\n+int z;\n int w;\n-- \n2.25.1\n";

    private static string EncodedMail(string charset, string encoding, string body) =>
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: J\u00f6rg Doe <jorg@example.org>\nSubject: [PATCH] a: fix\n"
        + "Date: Mon, 2 Mar 2020 10:00:00 +0100\nMIME-Version: 1.0\nContent-Type: text/plain;\n charset=" + charset + "\nContent-Transfer-Encoding: " + encoding + "\n\n" + body;

    private static readonly (string, string)[] s_withEquals = [("Reviewed-by", "Rev Iewer <rev=1@example.org>")];

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public void An_encoded_utf8_body_is_decoded_to_8bit_and_gets_its_trailers_as_b4_am_writes_it(string encoding)
    {
        byte[] raw = Encoding.UTF8.GetBytes(EncodedBody);
        string body = encoding == "base64"
            ? Convert.ToBase64String(raw, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n"
            : EncodedBody.Replace("=", "=3D", StringComparison.Ordinal).Replace("\u00e4", "=C3=A4", StringComparison.Ordinal).Replace("\u00f6", "=C3=B6", StringComparison.Ordinal).Replace("Signed-off-by: ", "Signed-off-=\nby: ", StringComparison.Ordinal);
        byte[] input = Encoding.UTF8.GetBytes(EncodedMail("\"utf-8\"", encoding, body));

        byte[] output = AmWriter.AddTrailers(input, s_withEquals, out int added);

        added.Should().Be(1);
        string text = Encoding.UTF8.GetString(output);
        text.Should().StartWith("From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: J\u00f6rg Doe <jorg@example.org>\n");
        text.Should().Contain("Content-Type: text/plain;\n charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\nFix the b\u00e4r: x = y.\n\n"
            + "Signed-off-by: J\u00f6rg Doe <jorg@example.org>\nReviewed-by: Rev Iewer <rev=1@example.org>\n---\n");
        text.Should().EndWith("+int z;\n int w;\n-- \n2.25.1\n");
        var before = PatchMailbox.Parse(input).Messages.Single();
        var after = PatchMailbox.Parse(output).Messages.Single();
        after.Commit!.Trailers.Select(t => t.Value).Should().Equal("J\u00f6rg Doe <jorg@example.org>", "Rev Iewer <rev=1@example.org>");
        (after.Title, after.Diff!.PatchId).Should().Be((before.Title, before.Diff!.PatchId));
    }

    private static string MultipartMail(string textPart) =>
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: Ann <ann@example.org>\nSubject: [PATCH] a: fix\n"
        + "Date: Mon, 2 Mar 2020 10:00:00 +0100\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\n" + textPart
        + "--b\nContent-Type: text/x-patch; name=\"0001-a-fix.patch\"\nContent-Disposition: attachment; filename=\"0001-a-fix.patch\"\n\n"
        + EncodedBody[EncodedBody.IndexOf("diff --git", StringComparison.Ordinal)..] + "--b--\n";

    [Theory]
    [InlineData("Content-Type: text/plain; charset=UTF-8\n\nFix the b\u00e4r.\n\nSigned-off-by: Ann <ann@example.org>\n")] // the patch attached, no ---
    [InlineData("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\nFix the b\u00e4r.\n\nSigned-off-by: Ann <ann@example.org>\n---\n a.c | 2 +-\n")]
    [InlineData("\nFix the b\u00e4r.\n\nSigned-off-by: Ann <ann@example.org>\n")] // a part with no headers is text/plain
    public void A_trailer_goes_at_the_end_of_the_first_text_part_of_a_multipart_mail(string textPart)
    {
        // until 2026-11-24 the trailer was written where the first patch break of the raw mail was: with the patch
        // attached and no "---" in the text part, among the attachment's MIME headers, where git never saw it
        byte[] input = Encoding.UTF8.GetBytes(MultipartMail(textPart));

        byte[] output = AmWriter.AddTrailers(input, s_withEquals, out int added);

        added.Should().Be(1);
        string text = Encoding.UTF8.GetString(output);
        text.Should().Contain("Signed-off-by: Ann <ann@example.org>\nReviewed-by: Rev Iewer <rev=1@example.org>\n");
        text.Should().Contain("filename=\"0001-a-fix.patch\"\n\ndiff --git", "the attachment is left as it was");
        var after = PatchMailbox.Parse(output).Messages.Single();
        after.Commit!.Trailers.Select(t => t.Value).Should().Equal("Ann <ann@example.org>", "Rev Iewer <rev=1@example.org>");
        after.Diff!.PatchId.Should().Be(PatchMailbox.Parse(input).Messages.Single().Diff!.PatchId);
        using var git = new TestGit();
        if (git.IsAvailable)
        {
            var (message, _, _) = git.MailInfo(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]); // without the mbox From line
            message.Should().EndWith("Signed-off-by: Ann <ann@example.org>\nReviewed-by: Rev Iewer <rev=1@example.org>\n", "git reads the trailer into the commit message");
        }
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    public void An_encoded_utf8_text_part_is_written_as_8bit_and_takes_the_trailer(string encoding)
    {
        const string Message = "Fix the b\u00e4r.\n\nSigned-off-by: Ann <ann@example.org>\n";
        string body = encoding == "base64" ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Message)) + "\n" : Message.Replace("\u00e4", "=C3=A4", StringComparison.Ordinal);
        byte[] input = Encoding.UTF8.GetBytes(MultipartMail("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: " + encoding + "\n\n" + body));

        byte[] output = AmWriter.AddTrailers(input, s_withEquals, out int added);

        added.Should().Be(1);
        Encoding.UTF8.GetString(output).Should().Contain("Content-Transfer-Encoding: 8bit\n\n" + Message + "Reviewed-by: Rev Iewer <rev=1@example.org>\n--b\n");
        PatchMailbox.Parse(output).Messages.Single().Commit!.Trailers.Select(t => t.Value).Should().Equal("Ann <ann@example.org>", "Rev Iewer <rev=1@example.org>");
    }

    [Theory]
    [InlineData("Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: base64\n\nRml4Lgo=\n")] // another charset
    [InlineData("Content-Type: multipart/alternative; boundary=\"c\"\n\n--c\nContent-Type: text/plain\n\nFix.\n--c--\n")] // nested
    public void A_multipart_mail_whose_message_cannot_take_a_line_is_left_untouched(string firstPart)
    {
        byte[] input = Encoding.UTF8.GetBytes(MultipartMail(firstPart));

        AmWriter.AddTrailers(input, s_withEquals, out int added).Should().Equal(input);
        added.Should().Be(0);
    }

    [Fact]
    public void The_message_of_a_forwarded_patch_ends_in_the_attached_message()
    {
        // git reads the parts in turn: the commit message runs on into the forwarded mail, up to its "---"
        string text = "Content-Type: text/plain\n\nForwarding this.\n--b\nContent-Type: message/rfc822\n\nFrom: Bob <bob@example.org>\nSubject: x\n\nFix.\n\nSigned-off-by: Bob <bob@example.org>\n---\n a.c | 2 +-\n";
        byte[] input = Encoding.UTF8.GetBytes(MultipartMail(text));

        string output = Encoding.UTF8.GetString(AmWriter.AddTrailers(input, s_withEquals, out int added));

        added.Should().Be(1);
        output.Should().Contain("Signed-off-by: Bob <bob@example.org>\nReviewed-by: Rev Iewer <rev=1@example.org>\n---\n");
    }

    [Fact]
    public void A_base64_body_that_holds_an_mbox_separator_line_stays_encoded()
    {
        // Written out as 8bit, the quoted "From <sha> ..." line would start a new message for git mailsplit.
        string text = "Revert a change.\n\nThis reverts the patch below:\n\nFrom 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n\n"
            + "Signed-off-by: A <a@example.org>\n---\n" + EncodedBody[EncodedBody.IndexOf("diff --git", StringComparison.Ordinal)..];
        byte[] input = Encoding.UTF8.GetBytes(EncodedMail("utf-8", "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))));
        AmWriter.AddTrailers(input, s_withEquals, out int added).Should().Equal(input);
        added.Should().Be(0);
    }

    [Fact]
    public void A_decoded_body_that_needs_no_trailer_is_returned_as_it_came()
    {
        byte[] input = Encoding.UTF8.GetBytes(EncodedMail("utf-8", "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(EncodedBody))));
        AmWriter.AddTrailers(input, [("Signed-off-by", "J\u00f6rg Doe <jorg@example.org>")], out int added).Should().Equal(input);
        added.Should().Be(0);
    }

    [Theory]
    [InlineData("iso-8859-1", "quoted-printable")]
    [InlineData("iso-8859-1", "base64")]
    [InlineData("windows-1251", "quoted-printable")] // a code-page charset (until 2026-11-24 this threw NotSupportedException)
    [InlineData("koi8-r", "base64")]
    public void A_body_in_another_charset_is_written_as_git_reads_it_and_takes_every_trailer(string charset, string encoding)
    {
        // git converts the commit message to UTF-8 and applies the patch's bytes as sent; the mail is written that way
        // (8bit, charset UTF-8), so a trailer the old charset cannot hold is added too. Until 2026-11-24 a base64 body
        // was passed through without trailers, and a quoted-printable one took only trailers its charset could hold.
        var encoder = charset == "iso-8859-1" ? Encoding.Latin1 : CodePagesEncodingProvider.Instance.GetEncoding(charset)!;
        string message = charset == "iso-8859-1" ? "Fix the b\u00e4r.\n\nSigned-off-by: J\u00f6rg Doe <jorg@example.org>\n" : "\u0418\u0441\u043f\u0440\u0430\u0432\u0438\u0442\u044c.\n\nSigned-off-by: J\u00f6rg Doe <jorg@example.org>\n";
        if (charset != "iso-8859-1")
        {
            message = message.Replace("J\u00f6rg", "Jorg", StringComparison.Ordinal);
        }

        string added = charset == "iso-8859-1" ? "+Gr\u00fc\u00dfe\n" : "+\u041f\u0440\u0438\u0432\u0435\u0442\n";
        string patch = "---\n a.c | 1 +\n\ndiff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n int x;\n" + added;
        byte[] raw = encoder.GetBytes(message + patch);
        string body = encoding == "base64"
            ? Convert.ToBase64String(raw, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n"
            : string.Concat(raw.Select(b => b is > 0x7E or (byte)'=' ? "=" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : ((char)b).ToString()));
        byte[] input = Encoding.ASCII.GetBytes(EncodedMail(charset, encoding, body));
        (string, string)[] trailers = [("Reviewed-by", "R\u00e9mi Reviewer <remi@example.org>"), ("Acked-by", "\u0141ukasz Acker <lukasz@example.org>")];

        byte[] output = AmWriter.AddTrailers(input, trailers, out int count);

        count.Should().Be(2);
        var text = output.AsSpan();
        text.IndexOf("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"u8).Should().BeGreaterThan(0);
        text.IndexOf(Encoding.UTF8.GetBytes(message + "Reviewed-by: R\u00e9mi Reviewer <remi@example.org>\nAcked-by: \u0141ukasz Acker <lukasz@example.org>\n---\n")).Should().BeGreaterThan(0);
        text.IndexOf(encoder.GetBytes(added)).Should().BeGreaterThan(0, "the patch keeps its bytes");
        var before = PatchMailbox.Parse(input).Messages.Single();
        var after = PatchMailbox.Parse(output).Messages.Single();
        after.Commit!.Trailers.Select(t => t.Key).Should().Equal("Signed-off-by", "Reviewed-by", "Acked-by");
        after.Commit.Body.Should().StartWith(before.Commit!.Body.TrimEnd());
        after.Diff!.PatchId.Should().Be(before.Diff!.PatchId);
    }

    [Theory]
    [InlineData("8bit")]
    [InlineData("quoted-printable")]
    [InlineData("base64")]
    public void A_flowed_body_is_written_unflowed_and_takes_every_trailer(string encoding)
    {
        // Until 2026-11-24 the body stayed flowed: a last trailer line ending in a blank (a soft break) then ran into the
        // added trailer when git unflowed it, a base64 body took no trailer, and a Latin-1 one only what Latin-1 holds.
        // Flowed text: soft breaks end in a blank, the diffstat and context lines are space-stuffed.
        const string Flowed = "Fix the b\u00e4r, which was \nbroken.\n\nSigned-off-by: J\u00f6rg Doe <jorg@example.org> \n\n---\n  a.c | 1 +\n\n"
            + "diff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1 +1,2 @@\n  int x;\n+int y;\n";
        // (git decodes quoted-printable line by line as it unflows: a soft-broken line before a blank line then runs
        // into the line after the blank, so there the sign-off ends with a hard break)
        byte[] raw = Encoding.Latin1.GetBytes(encoding == "quoted-printable" ? Flowed.Replace("org> \n", "org>\n", StringComparison.Ordinal) : Flowed);
        string body = encoding switch
        {
            "base64" => Convert.ToBase64String(raw, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n",
            "quoted-printable" => string.Concat(raw.Select(b => b is > 0x7E or (byte)'=' ? "=" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : ((char)b).ToString())).Replace(" \n", "=20\n", StringComparison.Ordinal),
            _ => Encoding.Latin1.GetString(raw),
        };
        byte[] input = Encoding.Latin1.GetBytes(EncodedMail("iso-8859-1; format=flowed", encoding, body));
        (string, string)[] trailers = [("Reviewed-by", "R\u00e9mi Reviewer <remi@example.org>"), ("Acked-by", "\u0141ukasz Acker <lukasz@example.org>")];

        byte[] output = AmWriter.AddTrailers(input, trailers, out int added);

        added.Should().Be(2);
        string text = Encoding.UTF8.GetString(output);
        text.Should().Contain("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\nFix the b\u00e4r, which was broken.\n").And.NotContain("flowed");
        text.Should().Contain("Reviewed-by: R\u00e9mi Reviewer <remi@example.org>\nAcked-by: \u0141ukasz Acker <lukasz@example.org>\n"
            + (encoding == "quoted-printable" ? "\n" : string.Empty) + "---\n a.c | 1 +\n");
        var before = PatchMailbox.Parse(input).Messages.Single();
        var after = PatchMailbox.Parse(output).Messages.Single();
        after.Commit!.Trailers.Select(t => t.Value).Should().Equal("J\u00f6rg Doe <jorg@example.org>", "R\u00e9mi Reviewer <remi@example.org>", "\u0141ukasz Acker <lukasz@example.org>");
        after.Diff!.PatchId.Should().Be(before.Diff!.PatchId);
        using var git = new TestGit();
        if (git.IsAvailable && encoding != "8bit") // 7-bit mail: the same bytes through TryRun's text input
        {
            var (original, _, _) = git.MailInfo(Encoding.ASCII.GetString(input)[(Encoding.ASCII.GetString(input).IndexOf('\n', StringComparison.Ordinal) + 1)..]);
            var (written, _, _) = git.MailInfo(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
            written.TrimEnd('\n').Should().Be(original.TrimEnd('\n') + "\nReviewed-by: R\u00e9mi Reviewer <remi@example.org>\nAcked-by: \u0141ukasz Acker <lukasz@example.org>");
        }
    }

    [Fact]
    public void A_quoted_printable_body_that_would_show_a_separator_line_takes_its_trailers_in_place()
    {
        // Written out as 8bit, the quoted "From <sha> ..." line would start a new message for git mailsplit; so the body
        // stays quoted-printable and the trailer is written in place, '=' as =3D.
        string body = "Revert.\n\n=46rom 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n\nSigned-off-by: A <a@example.org>\n---\n"
            + EncodedBody[EncodedBody.IndexOf("diff --git", StringComparison.Ordinal)..];
        byte[] input = Encoding.UTF8.GetBytes(EncodedMail("utf-8", "quoted-printable", body));

        byte[] output = AmWriter.AddTrailers(input, s_withEquals, out int added);

        added.Should().Be(1);
        Encoding.UTF8.GetString(output).Should().Contain("Content-Transfer-Encoding: quoted-printable\n\nRevert.")
            .And.Contain("Signed-off-by: A <a@example.org>\nReviewed-by: Rev Iewer <rev=3D1@example.org>\n---\n");
    }

    [Fact]
    public void A_body_whose_charset_hides_its_lines_is_left_untouched()
    {
        // UTF-16 writes no byte 0x0A at a line end on its own: its lines cannot be found in the bytes
        byte[] raw = Encoding.Unicode.GetBytes("Fix.\n\nSigned-off-by: a\n");
        byte[] input = Encoding.ASCII.GetBytes(EncodedMail("utf-16le", "base64", Convert.ToBase64String(raw) + "\n"));
        AmWriter.AddTrailers(input, s_trailers, out int added).Should().Equal(input);
        added.Should().Be(0);
    }

    [Fact]
    public void Mbox_keeps_existing_from_lines_and_adds_git_ones()
    {
        byte[] mbox = AmWriter.WriteMbox([
            "From abc Mon Sep 17 00:00:00 2001\nSubject: one\n\nbody\n"u8.ToArray(),
            "Subject: two\n\nno final newline"u8.ToArray(),
        ]);

        Encoding.UTF8.GetString(mbox).Should().Be(
            "From abc Mon Sep 17 00:00:00 2001\nSubject: one\n\nbody\n" +
            "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nSubject: two\n\nno final newline\n");
    }

    [Fact]
    public void Every_prefix_of_a_fixture_gets_trailers_without_throwing()
    {
        foreach (bool crlf in new[] { false, true })
        {
            byte[] input = Load("am-patch.eml", crlf);
            for (int length = 0; length <= input.Length; length++)
            {
                byte[] output = AmWriter.AddTrailers(input.AsMemory(0, length), s_trailers, out int added);
                output.Length.Should().BeGreaterThanOrEqualTo(length);
                if (added == 0)
                {
                    output.Should().Equal(input.AsSpan(0, length).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Hostile_bytes_and_long_lines_do_not_throw()
    {
        var random = new Random(4242);
        for (int round = 0; round < 200; round++)
        {
            byte[] junk = new byte[random.Next(0, 2000)];
            random.NextBytes(junk);
            AmWriter.AddTrailers(junk, s_trailers, out _);
        }

        byte[] longLine = new byte[1 << 20];
        longLine.AsSpan().Fill((byte)'-');
        AmWriter.AddTrailers(longLine, s_trailers, out int added).Length.Should().Be(longLine.Length + "\nReviewed-by: Rev Iewer <rev@example.org>\n".Length + "Acked-by: ack er <ACK@example.org>\nTested-by: Test Er <test@example.org>\n".Length);
        added.Should().Be(3);
    }

    private static byte[] Load(string name, bool crlf)
    {
        string text = File.ReadAllText(TestPaths.Fixture("series", name)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (crlf)
        {
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }
}

public class AmWriterPatchBreakTests
{
    [Theory]
    [InlineData("Subject: x\n\nmsg\n---\n stat\n", 16)]          // the format-patch separator
    [InlineData("Subject: x\n\nmsg\n---  \r\nrest\n", 16)]       // "---" with trailing blanks
    [InlineData("Subject: x\n\nmsg\n--- a/f\n+++ b/f\n", 16)]    // a patch with no git header
    [InlineData("Subject: x\n\nmsg\n----\nmore\n", 26)]          // "----" is text, not a break
    [InlineData("Subject: x\n\nmsg\ndiff -u a b\n", 16)]         // diff -u output
    [InlineData("Subject: x\n\nmsg\nIndex: f\n", 16)]            // CVS/SVN style
    [InlineData("Subject: x\n\nmsg\n", 16)]                      // no patch at all: the end
    [InlineData("Subject: x\n\nmsg\n---", 19)]                   // "---" ending the input is text to git mailinfo
    [InlineData("Subject: x\n\nmsg\n--- ", 16)]                  // "--- " ending it is a break (git: a file name follows)
    public void Commit_message_ends_where_git_mailinfo_ends_it(string mail, int expected)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(mail);
        int bodyStart = AmWriter.FindBodyStart(bytes, out _);
        bodyStart.Should().Be(12);
        AmWriter.FindCommitMessageEnd(bytes, bodyStart).Should().Be(expected);
    }
}
