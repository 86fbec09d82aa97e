using System.Text;
using KernelPatch.Mail;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

/// <summary>
/// Multipart mail as mail clients send patches: attached as <c>application/octet-stream</c> (Outlook), as a text
/// attachment with any name, inside a forwarded message. Each expectation is what <c>git mailinfo</c> 2.39 writes for
/// the same mail; the last test asks the git on the machine when there is one.
/// </summary>
public class MultipartMailTests
{
    private const string Diff = "diff --git a/x.c b/x.c\nindex 1234567..89abcde 100644\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n";
    private const string Message = "Fix the thing.\n\nSigned-off-by: Ann <ann@example.org>\n";

    private readonly ITestOutputHelper _output;

    public MultipartMailTests(ITestOutputHelper output) => _output = output;

    private static string Mail(params string[] parts)
    {
        var text = new StringBuilder("From: Ann <ann@example.org>\nSubject: [PATCH] fix\nDate: Mon, 9 Mar 2020 10:24:07 +0100\nMessage-ID: <m@example.org>\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"XYZ\"\n\nThis is a multi-part message in MIME format.\n");
        foreach (string part in parts)
        {
            text.Append("--XYZ\n").Append(part);
        }

        return text.Append("--XYZ--\n").ToString();
    }

    private static string Part(string contentType, string? disposition, string content, string? encoding = null) =>
        "Content-Type: " + contentType + "\n" + (encoding is null ? string.Empty : "Content-Transfer-Encoding: " + encoding + "\n")
        + (disposition is null ? string.Empty : "Content-Disposition: " + disposition + "\n") + "\n" + content;

    private static string Base64Lines(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "\n";

    // The patch-id git patch-id --stable gives Diff (the same diff sent inline).
    private static string InlinePatchId() => PatchMessage.Parse(Mail(Part("text/plain", null, Message + "---\n" + Diff))).Diff!.PatchId!;

    [Theory]
    [InlineData("application/octet-stream; name=\"0001-fix.patch\"", "attachment; filename=\"0001-fix.patch\"", null)] // Outlook's way
    [InlineData("application/octet-stream", "attachment; filename=\"fix.diff\"", "base64")]
    [InlineData("application/x-patch", "attachment", null)]
    [InlineData("text/x-diff; charset=us-ascii", "inline", "quoted-printable")]
    [InlineData("text/plain; name=\"patch.txt\"", "attachment; filename=\"patch.txt\"", null)] // a text attachment with any name
    [InlineData("application/octet-stream", null, null)] // no name: read because its content starts a patch
    public void A_patch_attached_in_any_way_git_reads_is_found(string type, string? disposition, string? encoding)
    {
        string content = encoding == "base64" ? Base64Lines(Diff) : Diff;
        var message = PatchMessage.Parse(Mail(Part("text/plain; charset=utf-8", null, Message + "---\n x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n"),
            Part(type, disposition, content, encoding)));

        message.Mail!.IsBodyDecoded.Should().BeTrue();
        message.Commit!.Body.Should().Be(Message);
        message.Files.Should().ContainSingle();
        message.Files[0].NewPath.Should().Be("x.c");
        (message.Files[0].AddedCount, message.Files[0].RemovedCount).Should().Be((1, 1));
        message.Diff!.PatchId.Should().Be(InlinePatchId());
        message.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Binary_and_html_parts_are_left_out()
    {
        var message = PatchMessage.Parse(Mail(Part("text/plain", null, Message + "---\n" + Diff),
            Part("text/html", null, "<p>Fix the thing.</p>\n"),
            Part("application/octet-stream", null, Base64Lines("\u0001\u0002 not a patch\n"), "base64"),
            Part("application/pgp-signature; name=\"signature.asc\"", "attachment; filename=\"signature.asc\"", "-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n")));

        message.Commit!.Body.Should().Be(Message);
        string decoded = Encoding.UTF8.GetString(message.Mail!.Body.Span);
        decoded.Should().NotContain("<p>").And.NotContain("not a patch").And.NotContain("PGP");
        message.Diff!.PatchId.Should().Be(InlinePatchId());
    }

    [Fact]
    public void A_forwarded_message_is_read_as_text_with_its_headers()
    {
        string inner = "From: Bob <bob@example.org>\nSubject: [PATCH] inner\nDate: Mon, 9 Mar 2020 09:00:00 +0100\n\n" + Message + "---\n" + Diff;
        var message = PatchMessage.Parse(Mail(Part("text/plain", null, "Forwarding Bob's patch.\n"), Part("message/rfc822", "attachment", inner)));

        // what git mailinfo writes: the forwarded headers become text of the commit message
        message.Commit!.Body.Should().Be("Forwarding Bob's patch.\nFrom: Bob <bob@example.org>\nSubject: [PATCH] inner\nDate: Mon, 9 Mar 2020 09:00:00 +0100\n\n" + Message);
        message.Author!.Name.Should().Be("Ann");
        message.Diff!.PatchId.Should().Be(InlinePatchId());
    }

    [Theory]
    [InlineData("7bit", "A line.\n", "A line.\nB line.\n")]
    [InlineData("7bit", "A line.\n\n", "A line.\n\nB line.\n")] // the line end before the boundary stays
    [InlineData("quoted-printable", "A line.\n\n", "A line.\n\nB line.\n")]
    [InlineData("quoted-printable", "A line.=\n", "A line.B line.\n")] // a soft line break takes it
    [InlineData("quoted-printable", "A line.=\n\n", "A line.\nB line.\n")]
    [InlineData("base64", "QSBsaW5lLgo=\n\n", "A line.\nB line.\n")] // base64 decodes it to nothing
    [InlineData("base64", "QSBsaW5lLg==\n", "A line.B line.\n")] // no line end in the text: the parts run together
    public void The_line_end_before_a_boundary_is_text_as_git_reads_it(string encoding, string first, string expected)
    {
        var message = PatchMessage.Parse(Mail(Part("text/plain", null, first, encoding), Part("text/plain", null, "B line.\n")));

        message.Commit!.Body.Should().Be(expected);
    }

    [Fact]
    public void A_nested_alternative_gives_its_text_part_only()
    {
        // git mailinfo 2.39 keeps the first inner boundary and the part's headers as text, and the HTML after them
        // (docs/differences-from-git.md); the sender meant the text part
        string alternative = "Content-Type: multipart/alternative; boundary=\"ALT\"\n\n--ALT\nContent-Type: text/plain\n\n" + Message
            + "\n--ALT\nContent-Type: text/html\n\n<p>Fix the thing.</p>\n\n--ALT--\n\n";
        var message = PatchMessage.Parse(Mail(alternative, Part("text/x-patch", "attachment; filename=\"0001-fix.patch\"", Diff)));

        message.Commit!.Body.TrimEnd().Should().Be(Message.TrimEnd());
        message.Diff!.PatchId.Should().Be(InlinePatchId());
    }

    [Fact]
    public void Git_mailinfo_reads_the_same_commit_message_and_patch()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string[] mails =
        [
            Mail(Part("text/plain", null, Message + "---\n"), Part("application/octet-stream; name=\"0001-fix.patch\"", "attachment; filename=\"0001-fix.patch\"", Base64Lines(Diff), "base64")),
            Mail(Part("text/plain", null, Message), Part("text/plain; name=\"patch.txt\"", "attachment; filename=\"patch.txt\"", Diff)),
            Mail(Part("text/plain", null, "Fix.\n\n"), Part("text/plain", "inline", "More text.\n\n\n"), Part("application/octet-stream", null, Diff, "quoted-printable")),
            Mail(Part("text/plain", null, "Forwarding.\n\n"), Part("message/rfc822", "inline", "From: Bob <bob@example.org>\nSubject: x\n\n" + Message + "---\n" + Diff)),
            Mail(Part("text/plain", null, "QSBsaW5lLg==\n", "base64"), Part("text/plain", null, "B line.\n\n" + Message + "---\n" + Diff)),
        ];
        foreach (string mail in mails)
        {
            var (gitMessage, gitPatch, _) = git.MailInfo(mail);
            var message = PatchMessage.Parse(mail);
            message.Commit!.Body.TrimEnd().Should().Be(gitMessage.TrimEnd(), mail);
            message.Diff!.PatchId.Should().Be(git.PatchId(gitPatch), mail);
        }
    }
}
