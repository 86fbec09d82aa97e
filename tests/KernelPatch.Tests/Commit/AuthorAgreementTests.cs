using System.Text;

namespace KernelPatch.Tests.Commit;

/// <summary>
/// The commit author (what <c>git am</c> records) for the From forms mailers write, against the answers of
/// <c>git mailinfo</c> (git 2.39), which the table records; when git is installed the test also asks it, so the
/// table cannot drift from git.
/// </summary>
public class AuthorAgreementTests
{
    public static TheoryData<string, string, string, string?> FromForms => new()
    {
        // From header value, git's Author, git's Email, the KernelPatch diagnostic (null: none)
        { "John Doe <j@d.org>", "John Doe", "j@d.org", null },
        { "<foo@bar.org>", "foo@bar.org", "foo@bar.org", null },
        { "foo@bar.org", "foo@bar.org", "foo@bar.org", null },
        { "\"Doe, John\" <j@d.org>", "Doe, John", "j@d.org", null },
        { "j@d.org (John Doe)", "John Doe", "j@d.org", null },
        { "=?UTF-8?q?J=C3=B6rg_X?= <j@d.org>", "Jörg X", "j@d.org", null },
        { "John <johndoe>", "John", "johndoe", null },
        { "\"Doe \\\"JD\\\" John\" <j@d.org>", "Doe \"JD\" John", "j@d.org", null },
        { "\"\" <j@d.org>", "j@d.org", "j@d.org", null },
        { "\"j@d.org\" <j@d.org>", "j@d.org", "j@d.org", null },

        // git keeps comments in the name (mailinfo's handle_from, its case "John (zzz) Doe <john.doe@xz> (Comment)").
        { "John Doe <j@d.org> (comment)", "John Doe (comment)", "j@d.org", null },
        { "John (nick) Doe <j@d.org>", "John (nick) Doe", "j@d.org", null },
        { "\"Doe (Jr.), John\" <j@d.org>", "Doe (Jr.), John", "j@d.org", null },

        // A comma the sender did not quote: git reads the From as one address, the name being all but the address.
        { "Müller, Jürgen <jm@d.org>", "Müller, Jürgen", "jm@d.org", null },
        { "O'Brien, Pat <p@d.org>", "O'Brien, Pat", "p@d.org", null },
        { "Doe, John (JD) <j@d.org>", "Doe, John (JD)", "j@d.org", null },
        { "Doe, \"John\" <j@d.org>", "Doe, John", "j@d.org", null },

        // git decodes the value first, then unquotes: quotes an encoded word decodes to are dropped, and inside a
        // comment a quote is a plain character while a backslash escapes.
        { "=?UTF-8?Q?Paul_=22Rusty=22_Russell?= <r@d.org>", "Paul Rusty Russell", "r@d.org", null },
        { "=?UTF-8?Q?J=22D?= (x\"y) <j@d.org>", "JD (xy)", "j@d.org", null },
        { "j@d.org (name\"quote)", "name\"quote", "j@d.org", null },
        { "j@d.org (a \\(b\\) c)", "a (b) c", "j@d.org", null },

        // A bare address after a name: the word around '@' is the address.
        { "John Doe j@d.org", "John Doe", "j@d.org", null },

        // No address: git records no author (and git am refuses the patch); KernelPatch warns.
        { "Doe, John", "", "", "KP0203" },
        { "foo", "", "", "KP0203" },
        { "John Doe", "", "", "KP0203" },
        { "", "", "", "KP0203" },
        { "<>", "", "", "KP0203" },
        { "Undisclosed recipients:;", "", "", "KP0203" },
    };

    [Theory]
    [MemberData(nameof(FromForms))]
    public void The_author_is_the_one_git_am_records(string from, string gitName, string gitEmail, string? code)
    {
        string mail = Mail(from);
        var message = PatchMessage.Parse(Encoding.UTF8.GetBytes(mail));
        var author = message.Author;
        (author?.Name ?? string.Empty, author?.Email ?? string.Empty).Should().Be((gitName, gitEmail));
        if (gitEmail.Length == 0)
        {
            author.Should().BeNull("git records no author without an address");
        }

        message.Diagnostics.Where(d => d.Code == "KP0203").Select(d => d.Code).Should().Equal(code is null ? [] : new[] { code });

        using var git = new TestGit();
        if (git.IsAvailable)
        {
            var result = git.TryRun(git.Root, ["mailinfo", "msg", "patch"], mail);
            result.Should().NotBeNull();
            string info = result!.Value.Output;
            info.Should().Contain("Author: " + gitName + "\n").And.Contain("Email: " + gitEmail + "\n");
        }
    }

    public static TheoryData<string, string, string, bool> InBodyFromForms => new()
    {
        // In-body From value, git's Author, git's Email, whether KernelPatch warns (KP0402). The mail's own From is
        // "Mail Sender <sender@example.org>"; git mailinfo and b4 0.12 both let the in-body line replace it, whatever it holds.
        { "John Doe <j@d.org>", "John Doe", "j@d.org", false },
        { "<j@d.org>", "j@d.org", "j@d.org", false },
        { "John Doe j@d.org", "John Doe", "j@d.org", false },
        { "\"Doe, John\" <j@d.org>", "Doe, John", "j@d.org", false },
        { "=?UTF-8?q?J=C3=B6rg_X?= <j@d.org>", "Jörg X", "j@d.org", false },

        // No '@': git's fallback reads "Name <x>" (parse_bogus_from); anything else leaves no author, and git am refuses
        // the patch ("Patch does not have a valid e-mail address"). Until 2026-11-24 the mail's From was kept here.
        { "John <johndoe>", "John", "johndoe", false },
        { "  John   Roe  <jr>", "John Roe", "jr", false },
        { "<johndoe>", "johndoe", "johndoe", false },
        { "John Doe", "", "", true },
        { "not a header here", "", "", true },
        { "<>", "", "", true },
        { "John <>", "John", "", true }, // git prints the name; with no email KernelPatch has no author (as for KP0203)
    };

    [Theory]
    [MemberData(nameof(InBodyFromForms))]
    public void An_in_body_From_replaces_the_mail_s_author_as_git_am_records_it(string from, string gitName, string gitEmail, bool warns)
    {
        string mail = Mail("Mail Sender <sender@example.org>", "From: " + from + "\n\n");
        var message = PatchMessage.Parse(Encoding.UTF8.GetBytes(mail));
        if (gitEmail.Length == 0)
        {
            message.Author.Should().BeNull("git records no author without an address");
        }
        else
        {
            (message.Author!.Name, message.Author.Email).Should().Be((gitName, gitEmail));
        }

        message.Commit!.Body.Should().Be("Body.\n\nSigned-off-by: A <a@b.org>\n", "the in-body From line is not part of the message");
        message.Mail!.From!.Email.Should().Be("sender@example.org");
        var warnings = message.Diagnostics.Where(d => d.Code == "KP0402").ToList();
        warnings.Should().HaveCount(warns ? 1 : 0);
        if (warns)
        {
            warnings[0].Offset.Should().Be(mail.IndexOf("\n\nFrom: ", StringComparison.Ordinal) + 2);
            warnings[0].Message.Should().Contain("the patch has no author");
        }

        using var git = new TestGit();
        if (git.IsAvailable)
        {
            var result = git.TryRun(git.Root, ["mailinfo", "msg", "patch"], mail);
            result.Should().NotBeNull();
            result!.Value.Output.Should().Contain("Author: " + gitName + "\n").And.Contain("Email: " + gitEmail + "\n");
        }
    }

    [Fact]
    public void Several_From_addresses_give_the_first_not_git_s_run_on_text()
    {
        // git mailinfo prints "a@b.org," for both (it cuts at white space only); the first address is the sane reading.
        var message = PatchMessage.Parse(Encoding.UTF8.GetBytes(Mail("a@b.org, c@d.org")));
        (message.Author!.Name, message.Author.Email).Should().Be(("a@b.org", "a@b.org"));
    }

    [Theory]
    [InlineData("name\"quote <j@d.org>", "namequote")]
    [InlineData("\"name\"quote via Lists\" <j@d.org>", "namequote via Lists")]
    [InlineData("=?UTF-8?Q?name=22quote?= <j@d.org>", "namequote")]
    public void An_unclosed_quote_ends_where_git_means_it_to(string from, string name)
    {
        // git 2.39 reads past the end of the value after an unclosed quote (mailinfo.c unquote_quoted_string returns a
        // pointer beyond the terminating NUL), so its Author is the name followed by whatever bytes lie there; the email
        // is found all the same. The name here is git's without the stray bytes.
        // git is not asked here: what it prints depends on memory it should not read (seen: "namequote", "namequote /Ü.rst",
        // and the email in place of the name when those bytes held a '<').
        var message = PatchMessage.Parse(Encoding.UTF8.GetBytes(Mail(from)));
        (message.Author!.Name, message.Author.Email).Should().Be((name, "j@d.org"));
        message.Mail!.From!.Email.Should().Be("j@d.org");
    }

    [Fact]
    public void A_named_From_without_address_keeps_its_name_on_the_mail()
    {
        var message = PatchMessage.Parse(Encoding.UTF8.GetBytes(Mail("John Doe")));
        (message.Mail!.From!.Name, message.Mail.From.Email).Should().Be(("John Doe", ""));
        var warning = message.Diagnostics.Single(d => d.Code == "KP0203");
        warning.Offset.Should().Be(0);
        warning.Message.Should().Be("Expected an address in the From header, found 'John Doe' only (git am refuses a patch without one).");
    }

    private static string Mail(string from, string inBody = "") =>
        "From: " + from + "\nSubject: [PATCH] x: y\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-Id: <m@x>\n\n"
        + inBody + "Body.\n\nSigned-off-by: A <a@b.org>\n---\n a | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        + "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -0,0 +1 @@\n+x\n";
}
