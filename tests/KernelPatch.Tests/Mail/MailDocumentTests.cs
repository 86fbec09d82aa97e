using System.Text;
using KernelPatch.Mail;
using KernelPatch.Tests.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Tests.Mail;

/// <summary>Parsing single messages from the mail fixtures, each with LF and CRLF line ends.</summary>
public class MailDocumentTests
{
    public static TheoryData<bool> LineEnds => new() { false, true };

    private static byte[] Load(string name, bool crlf)
    {
        var bytes = File.ReadAllBytes(TestPaths.Fixture("mail", name));
        return crlf ? MailboxTestHelpers.ToCrlf(bytes) : bytes;
    }

    private static string BodyText(MailDocument doc) => Encoding.UTF8.GetString(doc.Body.Span).ReplaceLineEndings("\n");

    [Theory]
    [InlineData("dmarc-x-original-from.eml", "Jane Doe via Kvm", "kvm@lists.example.org")] // Mailman, X-Original-From
    [InlineData("dmarc-reply-to.eml", "'Jane Doe' via group", "group@googlegroups.com")] // Google Groups, found in Reply-To by name
    [InlineData("dmarc-cc.eml", "Jane Doe via Kvm", "kvm@lists.example.org")] // found in a folded Cc list
    public void Dmarc_rewritten_from_is_recovered_and_both_kept(string name, string fromName, string fromEmail)
    {
        foreach (bool crlf in new[] { false, true })
        {
            var doc = MailDocument.Parse(Load(name, crlf));
            doc.From.Should().Be(new MailIdentity(fromName, fromEmail));
            doc.OriginalFrom.Should().Be(new MailIdentity("Jane Doe", "jane@corp.example.com"));
            doc.Sender.Should().Be(doc.OriginalFrom);
            doc.Diagnostics.Should().BeEmpty();
        }
    }

    [Fact]
    public void Dmarc_without_original_is_reported()
    {
        var doc = MailDocument.Parse("From: Jane via Kvm <kvm@l.org>\nCc: Other <o@x.org>\n\nbody\n"u8.ToArray());
        doc.OriginalFrom.Should().BeNull();
        doc.Sender.Should().Be(new MailIdentity("Jane via Kvm", "kvm@l.org"));
        doc.Diagnostics.Select(d => d.Code).Should().Contain("KP0209");
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Quoted_printable_body_and_encoded_headers(bool crlf)
    {
        var doc = MailDocument.Parse(Load("qp.eml", crlf));
        doc.From.Should().Be(new MailIdentity("Jörg Müller", "joerg@example.de"));
        doc.Subject.Should().Be("[PATCH] für alle"); // words split across folded lines joined
        doc.IsBodyDecoded.Should().BeTrue();
        doc.ContentTransferEncoding.Should().Be("quoted-printable");
        doc.ContentType.Charset.Should().Be("utf-8");
        BodyText(doc).Should().Be("Signed-off-by: Jörg Müller <joerg@example.de>\na very long line that is soft broken\n");
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Base64_body(bool crlf)
    {
        var input = Load("base64.eml", crlf);
        var doc = MailDocument.Parse(input);
        doc.IsBodyDecoded.Should().BeTrue();
        BodyText(doc).Should().Be("Grüße\n+added line\n");
        doc.BodyOffset.Should().Be(input.AsSpan().IndexOf(crlf ? "\r\n\r\n"u8 : "\n\n"u8) + (crlf ? 4 : 2));
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Latin1_body_becomes_utf8(bool crlf)
    {
        var doc = MailDocument.Parse(Load("latin1.eml", crlf));
        doc.IsBodyDecoded.Should().BeTrue();
        BodyText(doc).Should().Be("Grüße aus Köln\n");
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Multipart_takes_inline_text_and_patch_attachment_as_git_mailinfo(bool crlf)
    {
        var doc = MailDocument.Parse(Load("multipart.eml", crlf));
        doc.ContentType.Is("multipart", "mixed").Should().BeTrue();
        doc.ContentType.Boundary.Should().Be("XYZ");
        doc.IsBodyDecoded.Should().BeTrue();
        BodyText(doc).Should().Be("Fix the thing.\n\nSigned-off-by: Ann <ann@example.org>\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n");

        var xpatch = MailDocument.Parse(Load("multipart-xpatch.eml", crlf));
        BodyText(xpatch).Should().Be("Fix.\n--- a/x\n+++ b/x\n");
    }

    [Theory]
    [InlineData("attach-latin1-file.eml")]
    [InlineData("qp-latin1-file.eml")]
    public void A_patch_keeps_its_bytes_while_the_commit_message_becomes_utf8(string name)
    {
        // A commit adding a file in Latin-1, sent two ways: by git format-patch --attach (the patch an 8bit
        // attachment without charset; the file's bytes are not UTF-8) and as one quoted-printable ISO-8859-1
        // part (made by hand). git mailinfo converts the commit message to UTF-8 and keeps the patch's bytes,
        // so git patch-id gives the same id for both; the values below are git's.
        var message = PatchMessage.Parse(File.ReadAllBytes(TestPaths.Fixture("mail", name)));
        message.Mail!.IsBodyDecoded.Should().BeTrue();
        message.Author.Should().Be(new MailIdentity("J\u00fcrgen Gro\u00df", "jgross@example.org"));
        message.Commit!.Body.Should().StartWith("Gr\u00fc\u00dfe: the file keeps its Latin-1 bytes").And.EndWith("Signed-off-by: J\u00fcrgen Gro\u00df <jgross@example.org>\n");
        message.Commit.Patch.Span.IndexOf(Encoding.Latin1.GetBytes("+Gr\u00fc\u00dfe aus K\u00f6ln\n")).Should().BeGreaterThan(0, "the added line keeps its Latin-1 bytes");
        message.Diff!.PatchId.Should().Be("ac4b0125decaf3be8eb5a38ce8f87bb1861b8388");
        message.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void A_utf16_part_is_converted_whole()
    {
        // Its line ends are two bytes: found line by line, the part would be cut inside its characters.
        string text = "Gr\u00fc\u00dfe aus K\u00f6ln\n\nSigned-off-by: A <a@b.org>\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+\u00fc\n";
        string mail = "From: A <a@b.org>\nSubject: [PATCH] x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\n"
            + Convert.ToBase64String(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), Base64FormattingOptions.InsertLineBreaks) + "\n";
        var message = PatchMessage.Parse(mail);
        message.Mail!.IsBodyDecoded.Should().BeTrue();
        message.Commit!.Body.TrimStart('\ufeff').Should().Be("Gr\u00fc\u00dfe aus K\u00f6ln\n\nSigned-off-by: A <a@b.org>\n");
        message.Files.Should().ContainSingle().Which.AddedCount.Should().Be(1);
    }

    [Fact]
    public void Broken_mime_becomes_a_diagnostic()
    {
        var doc = MailDocument.Parse("From: a@b.org\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: image/png\n\nxx\n--q--\n"u8.ToArray());
        doc.IsBodyDecoded.Should().BeFalse();
        doc.Diagnostics.Select(d => d.Code).Should().Contain("KP0211");
        Encoding.ASCII.GetString(doc.Body.Span).Should().StartWith("--q\n");
    }

    [Theory]
    [InlineData("top")]
    [InlineData("part")]
    [InlineData("attached message")]
    [InlineData("no colon")]
    public void A_mime_header_too_long_for_mimekit_keeps_the_raw_body(string where)
    {
        // Found by fuzzing: MimeKit's cost grows with the square of a header's length (a Content-Transfer-Encoding
        // folded over 5,000 lines allocated 450 MB), so such a body is not handed to it.
        string folds = string.Concat(Enumerable.Repeat(" 1 file changed, 2 insertions(+), 1 deletion(-)\n", 5000));
        string text = where switch
        {
            "top" => "From: a@b.org\nContent-Transfer-Encoding: base64\n" + folds + "Content-Type: text/plain\n\nR3LDvM\n",
            "part" => "From: a@b.org\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n" + folds + "\nR3LDvM\n--q--\n",
            "no colon" => "From: a@b.org\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\nConten.o x\n" + folds + "\nbody\n--q--\n",
            _ => "From: a@b.org\nContent-Type: message/rfc822\n\nFrom: c@d.org\nX-Note: a\n" + folds + "\nbody\n",
        };
        var input = Encoding.UTF8.GetBytes(text);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var doc = MailDocument.Parse(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        doc.IsBodyDecoded.Should().BeFalse();
        var diagnostic = doc.Diagnostics.Should().ContainSingle(d => d.Code == "KP0213").Subject;
        diagnostic.Severity.Should().Be(PatchDiagnosticSeverity.Error);
        diagnostic.Offset.Should().Be(text.IndexOf(where switch { "top" or "part" => "Content-Transfer-Encoding", "no colon" => "Conten.o", _ => "X-Note" }, StringComparison.Ordinal));
        allocated.Should().BeLessThan(20L * input.Length, "the body is not handed to MimeKit");
    }

    [Fact]
    public void Long_headers_mime_decoding_does_not_read_are_not_handed_to_mimekit()
    {
        // A 250 KB folded References (or any header but MIME-Version and Content-*) no longer reaches MimeKit:
        // the body decodes, and the cost stays linear.
        string folds = string.Concat(Enumerable.Repeat(" <a-long-message-id-of-a-thread@example.org>\n", 5000));
        var input = Encoding.UTF8.GetBytes("From: a@b.org\nReferences: <x@y>\n" + folds + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nR3LDvMOfZQo=\n");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var doc = MailDocument.Parse(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        doc.IsBodyDecoded.Should().BeTrue();
        BodyText(doc).Should().Be("Grüße\n");
        doc.References.Should().HaveCount(5001);
        allocated.Should().BeLessThan(40L * input.Length);
    }

    [Fact]
    public void A_run_is_a_line_with_the_lines_folded_under_it_whether_or_not_it_has_a_colon()
    {
        // Found by fuzzing: "Conten.o x" (no colon) in a part header, then 12,000 folded lines, cost MimeKit 2.7 GB.
        const string Line = "    an indented line that a header would fold\n";
        string folded = string.Concat(Enumerable.Repeat(Line, 400)); // over 16 KiB
        string some = string.Concat(Enumerable.Repeat(Line, 80)); // under
        string text = "short\n\n" + some + "Conten.o x\n" + folded;
        MailBodyDecoder.FindOverlongHeaderRun(Encoding.UTF8.GetBytes(text), out int length).Should().Be(text.IndexOf("Conten.o", StringComparison.Ordinal));
        length.Should().Be(11 + folded.Length);
        MailBodyDecoder.FindOverlongHeaderRun(Encoding.UTF8.GetBytes("X-A: b\n" + some + some + "\n" + some + some + "next\n" + some + some), out _).Should().Be(-1, "blank lines and plain lines end runs");
    }

    [Theory]
    [MemberData(nameof(LineEnds))]
    public void Plain_message_is_parsed_from_the_bytes(bool crlf)
    {
        string nl = crlf ? "\r\n" : "\n";
        string text = string.Join(nl,
            "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
            "Received: from a",
            "\tby b;",
            " Mon, 9 Mar 2020 10:24:07 +0100",
            "From: Alice <alice@example.org>",
            "To: <x@example.org>,",
            " \"Last, First\" <y@example.org>",
            "Subject: [PATCH v2 1/2] a subject that",
            " is folded",
            "received: second",
            "Message-Id: <id-1@example.org>",
            "In-Reply-To: <cover@example.org> (Alice's message)",
            "References: <r1@example.org>",
            "\t<r2@example.org> <cover@example.org>",
            "List-Id: <kvm.vger.kernel.org>",
            "Date: Mon, 9 Mar 2020 10:24:07 +0100",
            "Content-Type: text/plain; charset=\"UTF-8\"",
            "",
            "Body line",
            "");
        var input = Encoding.UTF8.GetBytes(text);
        var doc = MailDocument.Parse(input, PatchParseOptions.Strict);
        doc.Span.Should().Be(new SourceSpan(0, input.Length));
        doc.Headers.Count.Should().Be(11);
        doc.Headers[0].Name.Should().Be("Received");
        doc.Headers[0].Value.Should().Be("from a\tby b; Mon, 9 Mar 2020 10:24:07 +0100");
        Encoding.ASCII.GetString(doc.Headers[0].RawValue.Span).Should().Be(" from a" + nl + "\tby b;" + nl + " Mon, 9 Mar 2020 10:24:07 +0100");
        int receivedAt = text.IndexOf("Received:", StringComparison.Ordinal);
        doc.Headers[0].Span.Should().Be(SourceSpan.FromBounds(receivedAt, text.IndexOf("From:", StringComparison.Ordinal)));
        doc.Headers.GetAll("RECEIVED").Select(h => h.Value).Should().Equal("from a\tby b; Mon, 9 Mar 2020 10:24:07 +0100", "second");
        doc.Headers.Find("x-missing").Should().BeNull();
        doc.Headers.TryGet("subject", out var subject).Should().BeTrue();
        subject.Index.Should().Be(3);
        doc.Subject.Should().Be("[PATCH v2 1/2] a subject that is folded");
        doc.From.Should().Be(new MailIdentity("Alice", "alice@example.org"));
        MailAddressParser.ParseList(doc.Headers.Find("To")!.Value.Value).Should().Equal(new MailIdentity("", "x@example.org"), new MailIdentity("Last, First", "y@example.org"));
        doc.MessageId.Should().Be("id-1@example.org");
        doc.InReplyTo.Should().Be("cover@example.org");
        doc.References.Should().Equal("r1@example.org", "r2@example.org", "cover@example.org");
        doc.ListId.Should().Be("kvm.vger.kernel.org");
        doc.Date.Should().Be(new DateTimeOffset(2020, 3, 9, 10, 24, 7, TimeSpan.FromHours(1)));
        doc.ContentType.Charset.Should().Be("UTF-8");
        doc.IsBodyDecoded.Should().BeFalse();
        doc.BodyOffset.Should().Be(text.IndexOf("Body line", StringComparison.Ordinal));
        Encoding.ASCII.GetString(doc.Body.Span).Should().Be("Body line" + nl);
        doc.Diagnostics.Should().BeEmpty();
        var names = new List<string>();
        foreach (var h in doc.Headers)
        {
            names.Add(h.Name);
        }

        names.Should().HaveCount(11).And.Contain("received");
    }

    [Theory]
    [InlineData("From: a@b\nnot a header line\nSubject: x\n\nbody", "KP0201", 10)] // the body starts at the odd line
    [InlineData(" folded first\nFrom: a@b\n\nbody", "KP0202", 0)] // continuation before any field
    [InlineData("Subject: x\n\nbody", "KP0203", 0)] // no From
    [InlineData("From: a@b\nDate: someday\n\n", "KP0204", 10)] // unreadable date
    [InlineData("From: a@b\nSubject: =?utf-8?q?broken\n\n", "KP0205", 19)] // malformed encoded word
    [InlineData("From: a@b\nDate: Mon, 9 Mar 2020 10:24:07 +0100\nSubject: x", "KP0208", 57)] // no empty line: no body
    public void Odd_headers_become_diagnostics(string text, string code, int offset)
    {
        var doc = MailDocument.Parse(Encoding.UTF8.GetBytes(text));
        doc.Diagnostics.Should().Contain(d => d.Code == code && d.Offset == offset);
    }

    [Fact]
    public void Header_limit_is_reported()
    {
        var text = "From: a@b\n" + string.Concat(Enumerable.Repeat("X-A: 1\n", 50)) + "\nbody";
        var doc = MailDocument.Parse(Encoding.UTF8.GetBytes(text), PatchParseOptions.Default with { MaxHeaderCount = 10 });
        doc.Headers.Count.Should().Be(10);
        doc.Diagnostics.Should().ContainSingle(d => d.Code == "KP0207");
        Encoding.ASCII.GetString(doc.Body.Span).Should().Be("body");
    }

    [Fact]
    public void Internal_parse_keeps_absolute_offsets()
    {
        var input = "garbage before\nFrom: a@b.org\nSubject: s\n\nbody\n"u8.ToArray();
        var doc = MailDocument.Parse(input, SourceSpan.FromBounds(15, input.Length), new DiagnosticBag());
        doc.Span.Should().Be(SourceSpan.FromBounds(15, input.Length));
        doc.Headers[0].Span.Should().Be(new SourceSpan(15, 14));
        doc.BodyOffset.Should().Be(41);
        doc.Subject.Should().Be("s");
    }

    [Theory]
    [InlineData("qp.eml")]
    [InlineData("base64.eml")]
    [InlineData("multipart.eml")]
    [InlineData("dmarc-cc.eml")]
    [InlineData("latin1.eml")]
    public void Every_prefix_parses_without_throwing(string name)
    {
        foreach (bool crlf in new[] { false, true })
        {
            var full = Load(name, crlf);
            for (int n = 0; n <= full.Length; n++)
            {
                var doc = MailDocument.Parse(full.AsMemory(0, n));
                doc.Span.Length.Should().Be(n);
                doc.BodyOffset.Should().BeInRange(0, n);
                doc.References.IsDefault.Should().BeFalse();
            }
        }
    }

    [Fact]
    public void Hostile_messages_parse()
    {
        var random = new Random(424242); // fixed seed
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 4000)];
            random.NextBytes(bytes);
            var doc = MailDocument.Parse(bytes);
            doc.BodyOffset.Should().BeInRange(0, bytes.Length);
        }

        var longHeader = Encoding.ASCII.GetBytes("Subject: " + new string('x', 1_000_000) + "\n\n");
        MailDocument.Parse(longHeader).Subject.Length.Should().Be(1_000_000);
        var folds = Encoding.ASCII.GetBytes("Subject: a\n" + string.Concat(Enumerable.Repeat(" b\n", 200_000)) + "\n");
        MailDocument.Parse(folds).Subject.Length.Should().Be(1 + (200_000 * 2));
        var nested = Encoding.ASCII.GetBytes("From: " + new string('(', 200_000) + "\nContent-Type: multipart/mixed; boundary=a\n\n" + string.Concat(Enumerable.Repeat("--a\nContent-Type: multipart/mixed; boundary=a\n\n", 2000)));
        MailDocument.Parse(nested).Diagnostics.Should().NotBeEmpty();
    }
}
