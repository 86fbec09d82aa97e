using System.Text;
using System.Text.Json;
using KernelPatch.Diff;
using KernelPatch.Mail;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

/// <summary>
/// <c>format=flowed</c> bodies (RFC 3676), as mail clients such as Thunderbird send them when not told otherwise:
/// unflowed as <c>git mailinfo</c> does, so the commit message and the patch read as git applies them.
/// </summary>
public class FlowedMailTests
{
    private readonly ITestOutputHelper _output;

    public FlowedMailTests(ITestOutputHelper output) => _output = output;

    private static string Mail(string contentType, string body) =>
        "From: Jane Doe <jane@example.org>\nSubject: [PATCH] t\nDate: Mon, 2 Mar 2020 10:00:00 +0100\n"
        + (contentType.Length == 0 ? string.Empty : "Content-Type: " + contentType + "\n") + "\n" + body;

    private static string BodyOf(string contentType, string body, out MailDocument doc)
    {
        doc = MailDocument.Parse(Encoding.UTF8.GetBytes(Mail(contentType, body)));
        return Encoding.UTF8.GetString(doc.Body.Span);
    }

    // Each expectation is what git mailinfo 2.39 writes for the same body (checked by hand, and by the test below
    // against the git on the machine when there is one).
    [Theory]
    [InlineData("text/plain; format=flowed", "abc \ndef\n", "abc def\n")] // a soft break: the space stays
    [InlineData("text/plain; format=flowed; delsp=yes", "abc \ndef\nx  \ny\n", "abcdef\nx y\n")] // delsp: one space goes
    [InlineData("text/plain; Format=\"Flowed\"; DelSp=\"Yes\"", "abc \ndef\n", "abcdef\n")] // names and values in any case, quoted
    [InlineData("text/plain; format=flowed", "abc \ndef \n", "abc def ")] // a soft break at the end: no line end
    [InlineData("text/plain; format=flowed", "a\r\nb \r\nc\r\n", "a\r\nb c\r\n")] // CRLF: the joined line keeps the last one's
    [InlineData("text/plain; format=flowed", "> q1 \n> q2\n>> r \nplain\n", "> q1 > q2\n>> r plain\n")] // quote depth is not compared
    [InlineData("text/plain; format=flowed", " \n  \nz\n From x\n", "\n z\nFrom x\n")] // one stuffed space is removed
    [InlineData("text/plain; format=flowed", "abc \n-- \nsig\n", "abc -- \nsig\n")] // "-- " is kept as it is
    [InlineData("text/plain; format=fixed", "abc \ndef\n", "abc \ndef\n")]
    [InlineData("text/plain; charset=utf-8", "abc \n def\n", "abc \n def\n")]
    public void Flowed_bodies_are_unflowed_as_git_mailinfo_does(string contentType, string body, string expected)
    {
        string actual = BodyOf(contentType, body, out var doc);
        actual.Should().Be(expected);
        doc.IsBodyDecoded.Should().Be(contentType.Contains("flowed", StringComparison.OrdinalIgnoreCase));
    }

    // git decodes an encoded flowed body one raw line at a time and puts each after what is pending before it
    // unflows: what git mailinfo 2.39 writes for each (checked by hand, and below against the git on the machine).
    public static TheoryData<string, string, string> EncodedFlowed => new()
    {
        { "quoted-printable", "soft=20\n broken\n", "soft  broken\n" }, // the continuation keeps its stuffed space
        { "quoted-printable", "  foo \nbar\n", "foo bar\n" }, // a stuffed soft line loses two spaces
        { "quoted-printable", "abc \ndef\n", "abc def\n" },
        { "quoted-printable", "long line wi=\nth a soft break of the encoding \nand a flowed one\n", "long line with a soft break of the encoding and a flowed one\n" },
        { "quoted-printable", "x \n-- \nsig\n", "x -- sig\n" },
        { "quoted-printable", "J=C3=B6rg =\r\nwrote \r\nthis\r\n", "J\u00f6rg wrote this\n" }, // CRLF read as git mailsplit leaves it
        { "base64", "YWJjIAogZGVmCiAgZm9vIApiYXIK\n", "abc def\n foo bar\n" }, // one raw line: the usual rules
        { "base64", "YWJjIAo=\nIGRlZgo=\n", "abc  def\n" }, // a soft break at the end of a raw line
    };

    [Theory]
    [MemberData(nameof(EncodedFlowed))]
    public void Encoded_flowed_bodies_are_decoded_and_unflowed_line_by_line_as_git_mailinfo_does(string encoding, string raw, string expected)
    {
        string mail = Mail("text/plain; charset=utf-8; format=flowed", string.Empty).Replace("\n\n", "\nContent-Transfer-Encoding: " + encoding + "\n\n", StringComparison.Ordinal) + raw;
        var doc = MailDocument.Parse(Encoding.UTF8.GetBytes(mail));
        Encoding.UTF8.GetString(doc.Body.Span).Should().Be(expected);

        using var git = new TestGit();
        if (git.IsAvailable)
        {
            string msg = Path.Combine(git.Root, "msg");
            git.TryRun(git.Root, ["mailinfo", msg, Path.Combine(git.Root, "patch")], mail.Replace("\r\n", "\n", StringComparison.Ordinal))!.Value.ExitCode.Should().Be(0);
            File.ReadAllText(msg).TrimEnd().Should().Be(expected.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd());
        }
    }

    [Fact]
    public void Unflowing_is_reported_with_what_it_changed()
    {
        BodyOf("text/plain; format=flowed", "one \ntwo \nthree\n four\n", out var doc);
        var d = doc.Diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("KP0214");
        d.Severity.Should().Be(PatchDiagnosticSeverity.Info);
        d.Message.Should().Contain("2 soft line breaks joined and 1 stuffed spaces removed");
        d.Offset.Should().Be(Mail(string.Empty, string.Empty).IndexOf("\n\n", StringComparison.Ordinal) + 1); // the Content-Type line

        BodyOf("text/plain; format=flowed", "nothing to undo\n", out doc);
        doc.Diagnostics.Should().BeEmpty();
        doc.IsBodyDecoded.Should().BeTrue();
    }

    /// <summary>A short patch as a client with flowed text on sends it: context lines stuffed, a long line wrapped.</summary>
    internal const string FlowedPatch =
        "From: Jane Doe <jane@example.org>\nSubject: [PATCH] foo: report the bar\nDate: Mon, 2 Mar 2020 10:00:00 +0100\n"
        + "Message-ID: <1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8; format=flowed\n"
        + "Content-Transfer-Encoding: 7bit\n\n"
        + "The bar was never reported, which left the users of foo guessing at what \nwent wrong.\n\n"
        + "Signed-off-by: Jane Doe <jane@example.org>\n---\n  foo.c | 3 ++-\n  1 file changed, 2 insertions(+), 1 deletion(-)\n\n"
        + "diff --git a/foo.c b/foo.c\nindex 1111111..2222222 100644\n--- a/foo.c\n+++ b/foo.c\n@@ -10,4 +10,5 @@ int foo(void)\n"
        + "  {\n  \tint bar = get_bar();\n-\treturn 0;\n+\tpr_err(\"foo: the bar is %d, which is not what anyone expected \nhere\\n\", bar);\n"
        + "+\treturn -EINVAL;\n  }\n-- \n2.25.1\n";

    /// <summary>The same patch as git format-patch wrote it.</summary>
    private const string FixedPatch =
        "From: Jane Doe <jane@example.org>\nSubject: [PATCH] foo: report the bar\nDate: Mon, 2 Mar 2020 10:00:00 +0100\n"
        + "Message-ID: <1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        + "Content-Transfer-Encoding: 7bit\n\n"
        + "The bar was never reported, which left the users of foo guessing at what went wrong.\n\n"
        + "Signed-off-by: Jane Doe <jane@example.org>\n---\n foo.c | 3 ++-\n 1 file changed, 2 insertions(+), 1 deletion(-)\n\n"
        + "diff --git a/foo.c b/foo.c\nindex 1111111..2222222 100644\n--- a/foo.c\n+++ b/foo.c\n@@ -10,4 +10,5 @@ int foo(void)\n"
        + " {\n \tint bar = get_bar();\n-\treturn 0;\n+\tpr_err(\"foo: the bar is %d, which is not what anyone expected here\\n\", bar);\n"
        + "+\treturn -EINVAL;\n }\n-- \n2.25.1\n";

    [Fact]
    public void A_flowed_patch_reads_as_the_patch_that_was_sent()
    {
        var flowed = PatchSeries.Parse(FlowedPatch).Patches.Single().Message;
        var fixedOne = PatchSeries.Parse(FixedPatch).Patches.Single().Message;

        flowed.Commit!.Body.Should().Be("The bar was never reported, which left the users of foo guessing at what went wrong.\n\nSigned-off-by: Jane Doe <jane@example.org>\n");
        flowed.Commit.Trailers.Should().ContainSingle().Which.Value.Should().Be("Jane Doe <jane@example.org>");
        var file = flowed.Files.Should().ContainSingle().Subject;
        file.NewPath.Should().Be("foo.c");
        (file.AddedCount, file.RemovedCount).Should().Be((2, 1));
        var hunk = file.Hunks.Should().ContainSingle().Subject;
        (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount).Should().Be((10, 4, 10, 5));
        var lines = new List<(DiffLineKind, int, int)>();
        foreach (var line in hunk.EnumerateLines())
        {
            lines.Add((line.Kind, line.OldNumber, line.NewNumber));
        }

        lines.Should().Equal((DiffLineKind.Context, 10, 10), (DiffLineKind.Context, 11, 11), (DiffLineKind.Removed, 12, 0),
            (DiffLineKind.Added, 0, 12), (DiffLineKind.Added, 0, 13), (DiffLineKind.Context, 13, 14));
        flowed.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("KP0214");

        flowed.Diff!.PatchId.Should().NotBeNull().And.Be(fixedOne.Diff!.PatchId);
        flowed.Commit.Patch.ToArray().Should().Equal(fixedOne.Commit!.Patch.ToArray());
        flowed.Commit.Diffstat!.Insertions.Should().Be(2);
    }

    [Fact]
    public void A_flowed_part_of_a_multipart_mail_is_unflowed_after_its_transfer_encoding()
    {
        // quoted-printable inside a multipart: "=20" at a line end is the soft break's space
        string mail = "From: Jane Doe <jane@example.org>\nSubject: [PATCH] t\nDate: Mon, 2 Mar 2020 10:00:00 +0100\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=iso-8859-1; format=flowed; delsp=yes\n"
            + "Content-Transfer-Encoding: quoted-printable\n\nRen=E9 wrote this soft=20\nly.\n\n--b\nContent-Type: text/plain\n\nnext\n--b--\n";
        var doc = MailDocument.Parse(Encoding.UTF8.GetBytes(mail));
        // git mailinfo 2.39 reads the same text: it keeps the line end before each boundary, which MIME gives to the
        // boundary, so a blank line stays between the parts
        Encoding.UTF8.GetString(doc.Body.Span).Should().Be("René wrote this softly.\n\nnext\n");
        doc.Diagnostics.Should().ContainSingle(d => d.Code == "KP0214");
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
            FlowedPatch,
            Mail("text/plain; format=flowed; delsp=yes", "Subject line body \nwith delsp.\n\nSigned-off-by: A \n<a@example.org>\n---\n x | 1 +\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n  a\n+b is a long added line that was cut in two by the mail cl\nient\n"),
            Mail("text/plain; format=flowed", "From: Other Person \n<other@example.org>\n\nIn-body From wrapped.\n \n> quoted \n> on\n---\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1,2 +1,2 @@\n-old\n+new\n  ctx\n"),
        ];
        foreach (string mail in mails)
        {
            var (gitMessage, gitPatch, info) = git.MailInfo(mail);
            var message = PatchMailbox.Parse(mail).Messages.Single();
            message.Commit!.Body.TrimEnd().Should().Be(gitMessage.TrimEnd());
            string ours = Encoding.UTF8.GetString(message.Commit.Patch.Span);
            gitPatch.Should().Contain(ours);
            info.Split('\n')[0].Should().Be("Author: " + message.Commit.Author!.Name);
        }
    }

    [Fact]
    public void Every_message_of_the_b4_history_sent_flowed_agrees_with_git_on_the_original()
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox") || !TestPaths.TryCorpus(_output, out string oraclePath, "dev", "b4-history.oracle.jsonl"))
        {
            return;
        }

        var messages = PatchMailbox.Parse(FlowedMailbox(mbox, out int wrapped)).Messages;
        string[] oracle = File.ReadAllLines(oraclePath);
        messages.Should().HaveCount(oracle.Length).And.HaveCount(1392);
        var mismatches = new List<string>();
        int reported = 0;
        int samePatchId = 0;
        for (int i = 0; i < oracle.Length; i++)
        {
            using var expected = JsonDocument.Parse(oracle[i]);
            var e = expected.RootElement;
            var m = messages[i];
            var commit = m.Commit!;
            Check("author", e.GetProperty("author").GetProperty("name").GetString() + " <" + e.GetProperty("author").GetProperty("email").GetString() + ">", commit.Author!.Name + " <" + commit.Author.Email + ">");
            Check("title", e.GetProperty("title").GetString(), commit.Title);
            Check("body", TrimLines(e.GetProperty("body").GetString()!), TrimLines(commit.Body));
            if (e.GetProperty("patchId").GetString() == m.Diff?.PatchId)
            {
                samePatchId++;
            }

            var files = e.GetProperty("files");
            Check("files", files.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture), m.Files.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            int j = 0;
            foreach (var f in files.EnumerateArray())
            {
                if (j < m.Files.Length && !f.GetProperty("binary").GetBoolean())
                {
                    Check("added", f.GetProperty("added").ToString(), m.Files[j].AddedCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Check("removed", f.GetProperty("removed").ToString(), m.Files[j].RemovedCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                j++;
            }

            m.Diagnostics.Should().NotContain(d => d.Severity == PatchDiagnosticSeverity.Error, "message {0} was unflowed cleanly", i);
            reported += m.Diagnostics.Count(d => d.Code == "KP0214");

            void Check(string field, string? want, string? got)
            {
                if (want != got && mismatches.Count < 10)
                {
                    mismatches.Add($"message {i}: {field} '{want}' but '{got}'");
                }
            }
        }

        _output.WriteLine($"{wrapped} lines wrapped; {reported} messages reported as flowed; {samePatchId} patch-ids as before");
        mismatches.Should().BeEmpty();
        wrapped.Should().BeGreaterThan(1000, "the corpus has long lines, so the test wraps many");
        reported.Should().Be(1392, "every message has stuffed diffstat lines");
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", "@@ -1,3 +1,3 @@\n int x;\n-int y;\n+int z;\n")] // hand-edited: one context line short
    [InlineData("text/plain; format=flowed", "@@ -1,3 +1,3 @@\n  int x;\n-int y; \n+int z;\n  int w;\n")] // a trailing space joined two lines
    public void A_hunk_left_open_reads_on_into_the_signature_for_the_patch_id_as_git_does(string contentType, string hunk)
    {
        const string Header = "diff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n";
        const string Signature = "-- \n2.25.1\n";
        string mail = Mail(contentType, "Fix a.\n\nSigned-off-by: Jane Doe <jane@example.org>\n---\n" + Header + hunk + Signature);
        var message = PatchMailbox.Parse(mail).Messages.Single();
        message.Diagnostics.Should().Contain(d => d.Code == "KP0501", "the hunk is short");

        // git patch-id reads the mail's whole patch part: the "-- " line is one more line of the open hunk
        string unflowed = contentType.Contains("flowed", StringComparison.Ordinal) ? "@@ -1,3 +1,3 @@\n int x;\n-int y; +int z;\n int w;\n" : hunk;
        string? withSignature = PatchDiff.Parse(Encoding.UTF8.GetBytes(Header + unflowed + Signature)).PatchId;
        string? without = PatchDiff.Parse(Encoding.UTF8.GetBytes(Header + unflowed)).PatchId;
        withSignature.Should().NotBe(without);
        message.Diff!.PatchId.Should().Be(withSignature);

        using var git = new TestGit();
        if (git.IsAvailable)
        {
            string patch = Path.Combine(git.Root, "patch");
            git.TryRun(git.Root, ["mailinfo", Path.Combine(git.Root, "msg"), patch], mail)!.Value.ExitCode.Should().Be(0);
            git.TryRun(git.Root, ["patch-id", "--stable"], File.ReadAllText(patch))!.Value.Output.Should().StartWith(withSignature);
        }
    }

    [Fact]
    public void A_copy_made_with_with_hashes_what_it_holds_and_never_reads_past_its_source()
    {
        string mail = Mail("text/plain; format=flowed", "Fix.\n---\ndiff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n  int x;\n-int y; \n+int z;\n  int w;\n-- \n2.25.1\n");
        var diff = PatchMailbox.Parse(mail).Messages.Single().Diff!;
        string? mailId = diff.PatchId;

        var cut = diff with { Source = diff.Source[..diff.Span.End] };
        cut.PatchId.Should().NotBeNull().And.Be(PatchDiff.Parse(diff.Source[..diff.Span.End]).PatchId).And.NotBe(mailId, "the signature the mail's id read is gone");
        cut.Should().NotBe(diff, "they hash differently");
        (diff with { }).Should().Be(diff);
    }

    [Fact]
    public void A_flowed_quoted_printable_body_with_CRs_is_not_reported_as_git_does_not()
    {
        string mail = Mail("text/plain; format=flowed", string.Empty).Replace("\n\n", "\nContent-Transfer-Encoding: quoted-printable\n\n", StringComparison.Ordinal)
            + "Fix the bar=0D\n\nSigned-off-by: J <j@example.org>=0D\n";
        var message = PatchMailbox.Parse(mail).Messages.Single();
        message.Diagnostics.Should().NotContain(d => d.Code == "KP0215");
        message.Commit!.Title.Should().Be("t");
    }

    [Fact]
    public void Patch_ids_of_the_b4_history_sent_flowed_agree_with_git_patch_id_on_the_same_mail()
    {
        // A client with flowed text on drops the blank of every empty context line, so many hunks end short and
        // git patch-id reads on into the signature. Every fourth message.
        if (AgreeWithGitMailinfo(step: 4, quotedPrintable: false) is int compared)
        {
            compared.Should().Be(348);
        }
    }

    [Fact]
    public void The_b4_history_sent_flowed_and_quoted_printable_reads_as_git_mailinfo_reads_it()
    {
        // Every eighth message, flowed and then quoted-printable (long lines cut by "=" soft breaks, so flowed soft
        // breaks and the encoding's meet).
        if (AgreeWithGitMailinfo(step: 8, quotedPrintable: true) is int compared)
        {
            compared.Should().Be(174);
        }
    }

    /// <summary>
    /// Every <paramref name="step"/>th message of the flowed b4 history (quoted-printable too when asked) through git
    /// mailinfo and git patch-id: the commit message and the patch-id must be ours. Null when git or the corpus is absent.
    /// </summary>
    private int? AgreeWithGitMailinfo(int step, bool quotedPrintable)
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox"))
        {
            return null;
        }

        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return null;
        }

        byte[] flowed = FlowedMailbox(mbox, out _);
        var messages = PatchMailbox.Parse(flowed).Messages;
        string msg = Path.Combine(git.Root, "msg");
        string patch = Path.Combine(git.Root, "patch");
        var mismatches = new List<string>();
        int compared = 0;
        for (int i = 0; i < messages.Length; i += step)
        {
            var span = messages[i].Span;
            byte[] bytes = quotedPrintable ? ToQuotedPrintable(flowed.AsSpan(span.Offset, span.Length)) : flowed.AsSpan(span.Offset, span.Length).ToArray();
            var m = PatchMailbox.Parse(bytes).Messages.Single();
            git.TryRun(git.Root, ["mailinfo", msg, patch], Encoding.UTF8.GetString(bytes))!.Value.ExitCode.Should().Be(0);
            string ids = git.TryRun(git.Root, ["patch-id", "--stable"], File.ReadAllText(patch))!.Value.Output;
            string? theirs = ids.Length >= 40 ? ids[..40] : null;
            if (theirs != m.Diff?.PatchId)
            {
                mismatches.Add($"message {i}: patch-id git {theirs}, ours {m.Diff?.PatchId}");
            }

            if (TrimLines(File.ReadAllText(msg)) != TrimLines(m.Commit!.Body))
            {
                mismatches.Add($"message {i}: body");
            }

            m.Diagnostics.Should().Contain(d => d.Code == "KP0214");
            compared++;
        }

        _output.WriteLine($"{compared} messages compared with git");
        mismatches.Should().BeEmpty();
        return compared;
    }

    /// <summary>One mail with its body written quoted-printable: <c>=XX</c> for <c>=</c>, controls, bytes above 0x7E and a
    /// line's last blank; lines cut at 76 with <c>=</c> soft breaks.</summary>
    private static byte[] ToQuotedPrintable(ReadOnlySpan<byte> mail)
    {
        int headerEnd = mail.IndexOf("\n\n"u8) + 1;
        string headers = Encoding.UTF8.GetString(mail[..headerEnd]);
        int cte = headers.IndexOf("\nContent-Transfer-Encoding:", StringComparison.OrdinalIgnoreCase);
        headers = cte < 0
            ? headers + "Content-Transfer-Encoding: quoted-printable\n"
            : headers[..(cte + 1)] + "Content-Transfer-Encoding: quoted-printable" + headers[headers.IndexOf('\n', cte + 1)..];
        var output = new StringBuilder(headers).Append('\n');
        var body = mail[(headerEnd + 1)..];
        while (!body.IsEmpty)
        {
            int nl = body.IndexOf((byte)'\n');
            var line = nl < 0 ? body : body[..nl];
            body = nl < 0 ? [] : body[(nl + 1)..];
            var encoded = new StringBuilder();
            for (int k = 0; k < line.Length; k++)
            {
                byte b = line[k];
                bool last = k == line.Length - 1;
                encoded.Append(b is >= 0x21 and <= 0x7E && b != (byte)'=' || (b is (byte)' ' && !last)
                    ? ((char)b).ToString()
                    : "=" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            string text = encoded.ToString();
            while (text.Length > 75)
            {
                int cut = 75;
                if (text[cut - 1] == '=')
                {
                    cut -= 1;
                }
                else if (text[cut - 2] == '=')
                {
                    cut -= 2;
                }

                output.Append(text, 0, cut).Append("=\n");
                text = text[cut..];
            }

            output.Append(text);
            if (nl >= 0)
            {
                output.Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    /// <summary>The b4 history with every message as a client with flowed text on sends it (every other one with delsp=yes).</summary>
    private static byte[] FlowedMailbox(string mbox, out int wrapped)
    {
        byte[] input = File.ReadAllBytes(mbox);
        var originals = PatchMailbox.Parse(input).Messages;
        var flowedBox = new MemoryStream();
        wrapped = 0;
        for (int i = 0; i < originals.Length; i++)
        {
            var span = originals[i].Span;
            flowedBox.Write(Flow(input.AsSpan(span.Offset, span.Length), delSp: i % 2 == 1, ref wrapped));
        }

        return flowedBox.ToArray();
    }

    private static string TrimLines(string text) => string.Join('\n', text.Split('\n').Select(l => l.TrimEnd(' ', '\t'))).TrimEnd();

    /// <summary>
    /// Writes one mail as a client with <c>format=flowed</c> sends it: spaces before a hard break dropped, lines over 72
    /// bytes broken softly (at a space; with delsp anywhere, a space added), lines starting with a blank, <c>&gt;</c>
    /// or <c>From </c> stuffed, the signature separator kept.
    /// </summary>
    private static byte[] Flow(ReadOnlySpan<byte> mail, bool delSp, ref int wrapped)
    {
        const int Width = 72;
        int headerEnd = mail.IndexOf("\n\n"u8) + 1;
        var output = new MemoryStream();
        string headers = Encoding.UTF8.GetString(mail[..headerEnd]);
        string parameter = "; format=flowed" + (delSp ? "; delsp=yes" : string.Empty);
        int type = headers.IndexOf("\nContent-Type:", StringComparison.OrdinalIgnoreCase);
        headers = type < 0
            ? headers + "Content-Type: text/plain" + parameter + "\n"
            : headers.Insert(headers.IndexOf('\n', type + 1), parameter);
        output.Write(Encoding.UTF8.GetBytes(headers));
        output.WriteByte((byte)'\n');

        var body = mail[(headerEnd + 1)..];
        while (!body.IsEmpty)
        {
            int nl = body.IndexOf((byte)'\n');
            var line = nl < 0 ? body : body[..nl];
            body = nl < 0 ? [] : body[(nl + 1)..];
            if (!line.SequenceEqual("-- "u8))
            {
                line = line.TrimEnd((byte)' ');
                while (line.Length > Width)
                {
                    int cut = delSp ? Width : line[..Width].LastIndexOf((byte)' ') + 1;
                    if (cut <= 0 || cut >= line.Length)
                    {
                        break;
                    }

                    WriteStuffed(output, line[..cut]);
                    if (delSp)
                    {
                        output.WriteByte((byte)' ');
                    }

                    output.WriteByte((byte)'\n');
                    line = line[cut..];
                    wrapped++;
                }

                WriteStuffed(output, line);
            }
            else
            {
                output.Write(line);
            }

            if (nl >= 0)
            {
                output.WriteByte((byte)'\n');
            }
        }

        return output.ToArray();
    }

    private static void WriteStuffed(MemoryStream output, ReadOnlySpan<byte> piece)
    {
        if (!piece.IsEmpty && (piece[0] is (byte)' ' or (byte)'>' || piece.StartsWith("From "u8)))
        {
            output.WriteByte((byte)' ');
        }

        output.Write(piece);
    }
}
