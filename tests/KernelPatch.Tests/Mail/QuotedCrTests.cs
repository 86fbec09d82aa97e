using System.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

/// <summary>
/// CRLF line ends inside a base64 or quoted-printable body: <c>git mailinfo</c> warns "quoted CRLF detected" and
/// <c>git am</c> keeps the CRs (its patch then does not apply without <c>--quoted-cr=strip</c>). KP0215 says so.
/// </summary>
public class QuotedCrTests
{
    private const string Headers =
        "From: Jane Doe <jane@example.org>\nSubject: [PATCH] foo: fix bar\nDate: Mon, 2 Mar 2020 10:00:00 +0100\nMIME-Version: 1.0\n"
        + "Content-Type: text/plain; charset=utf-8\n";

    private const string Body =
        "Fix the bar.\n\nSigned-off-by: Jane Doe <jane@example.org>\n---\n"
        + "diff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n int x;\n-int y;\n+int z;\n int w;\n";

    private readonly ITestOutputHelper _output;

    public QuotedCrTests(ITestOutputHelper output) => _output = output;

    private static string Base64Crlf() =>
        Headers + "Content-Transfer-Encoding: base64\n\n" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Body.Replace("\n", "\r\n", StringComparison.Ordinal)), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    // every line end written as =0D followed by a real line end, as a client that encodes CR does
    private static string QuotedPrintableCrlf() =>
        Headers + "Content-Transfer-Encoding: quoted-printable\n\n" + Body.Replace("\n", "=0D\n", StringComparison.Ordinal);

    // the same mail stored with CRLF and no =0D: its CRs are line ends, not quoted ones
    private static string StoredWithCrlf() =>
        (Headers + "Content-Transfer-Encoding: quoted-printable\n\n" + Body).Replace("\n", "\r\n", StringComparison.Ordinal);

    [Fact]
    public void A_base64_body_with_CRLF_is_reported_and_read_with_LF()
    {
        var m = PatchMailbox.Parse(Base64Crlf()).Messages.Single();
        var d = m.Diagnostics.Should().ContainSingle().Subject;
        (d.Code, d.Severity).Should().Be(("KP0215", PatchDiagnosticSeverity.Warning));
        d.Message.Should().Contain("base64").And.Contain("--quoted-cr=strip");
        d.Offset.Should().Be(Base64Crlf().IndexOf("\n\n", StringComparison.Ordinal) + 2);
        m.Commit!.Body.Should().Be("Fix the bar.\n\nSigned-off-by: Jane Doe <jane@example.org>\n");
        var file = m.Files.Should().ContainSingle().Subject;
        (file.NewPath, file.AddedCount, file.RemovedCount).Should().Be(("a.c", 1, 1));
    }

    [Fact]
    public void Quoted_printable_CRs_are_reported_but_a_mail_stored_with_CRLF_is_not()
    {
        var quoted = PatchMailbox.Parse(QuotedPrintableCrlf()).Messages.Single();
        quoted.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("quoted-printable");
        quoted.Commit!.Title.Should().Be("foo: fix bar");
        quoted.Files.Should().ContainSingle().Which.AddedCount.Should().Be(1);

        var stored = PatchMailbox.Parse(StoredWithCrlf()).Messages.Single();
        stored.Diagnostics.Should().BeEmpty();
        stored.Commit!.Body.Should().Be(quoted.Commit.Body);
        stored.Diff!.PatchId.Should().Be(quoted.Diff!.PatchId).And.NotBeNull();
    }

    [Fact]
    public void Git_warns_on_the_same_mails()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        int round = 0;
        foreach (var (mail, warns) in new[] { (Base64Crlf(), true), (QuotedPrintableCrlf(), true), (StoredWithCrlf(), false) })
        {
            round++;
            // as git am does: mailsplit (which takes the CR off CRLF line ends), then mailinfo
            string box = Path.Combine(git.Root, "box");
            File.WriteAllText(box, "From mailer Mon Mar  2 10:00:00 2020\n" + mail);
            string split = Path.Combine(git.Root, "split" + round);
            Directory.CreateDirectory(split);
            git.Run(git.Root, "mailsplit", "-o" + split, box);
            var info = git.TryRun(git.Root, ["mailinfo", Path.Combine(git.Root, "msg"), Path.Combine(git.Root, "patch")], File.ReadAllText(Path.Combine(split, "0001")))!.Value;
            info.Error.Contains("quoted CRLF detected", StringComparison.Ordinal).Should().Be(warns);
            PatchMailbox.Parse(mail).Messages.Single().Diagnostics.Any(d => d.Code == "KP0215").Should().Be(warns);
        }
    }
}
