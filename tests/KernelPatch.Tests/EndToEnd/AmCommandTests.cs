using System.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// <c>kernelpatch am</c> against the real <c>git am</c>: a series made with <c>git format-patch</c>,
/// reply mails carrying trailers, the command's mbox applied on the base commit.
/// </summary>
public sealed class AmCommandTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TestGit _git = new();

    public AmCommandTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _git.Dispose();

    [Fact]
    public void Kernelpatch_am_output_applies_with_git_am_and_carries_the_follow_up_trailers()
    {
        if (NewRepository() is not string repo)
        {
            return;
        }

        CommitFile(repo, "counter.c", "int counter;\n\nint get(void)\n{\n\treturn counter;\n}\n", "counter: initial version");
        string baseCommit = _git.Run(repo, "rev-parse", "HEAD").Trim();

        File.AppendAllText(Path.Combine(repo, "counter.c"), "\nvoid inc(void)\n{\n\tcounter++;\n}\n");
        _git.Run(repo, "commit", "-q", "-a", "-s", "-m", "counter: add inc()", "-m", "Callers open-code the increment.");
        CommitFile(repo, "README", "A counter.\n", "counter: add a README", "-s");

        string series = _git.Run(repo, "format-patch", "--cover-letter", "--thread=shallow", "-v2", "-2", "--stdout", "--base=" + baseCommit);
        string cover = MessageIdOf(series, "[PATCH v2 0/2]");
        string patch1 = MessageIdOf(series, "[PATCH v2 1/2]");
        var mbox = new StringBuilder(series);
        mbox.Append(Reply("r1@example.org", "Rev Iewer <rev@example.org>", patch1, "Re: [PATCH v2 1/2] counter: add inc()",
            "On Sat, Mar 9, Dev Eloper wrote:\n> Signed-off-by: Dev Eloper <dev@example.org>\n> Reviewed-by: Quoted Person <quoted@example.org>\n\nReviewed-by: Rev Iewer <rev@example.org>\n"));
        mbox.Append(Reply("r2@example.org", "Ack Er <ack@example.org>", cover, "Re: [PATCH v2 0/2] *** SUBJECT HERE ***",
            "Whole series:\n\nAcked-by: Ack Er <ack@example.org>\n"));
        string input = Path.Combine(_git.Root, "in.mbox");
        string output = Path.Combine(_git.Root, "out.mbox");
        File.WriteAllText(input, mbox.ToString());

        var (exit, _, stderr) = CorpusAgreementTests.RunTool("am", input, "-o", output);
        _output.WriteLine(stderr);
        exit.Should().Be(0);
        stderr.Should().Contain("2 patch(es), 3 follow-up trailer(s) added");

        _git.Run(repo, "checkout", "-q", baseCommit);
        _git.Run(repo, "am", "-q", output);
        string log = _git.Run(repo, "log", "--reverse", "--format=%s%n%b%n--end--", baseCommit + "..HEAD");
        _output.WriteLine(log);
        string[] commits = log.Split("--end--\n", StringSplitOptions.RemoveEmptyEntries);
        commits.Should().HaveCount(2);
        commits[0].Should().Be(
            "counter: add inc()\nCallers open-code the increment.\n\n" +
            "Signed-off-by: Dev Eloper <dev@example.org>\n" +
            "Reviewed-by: Rev Iewer <rev@example.org>\n" +
            "Acked-by: Ack Er <ack@example.org>\n\n");
        commits[1].Should().Be(
            "counter: add a README\n" +
            "Signed-off-by: Dev Eloper <dev@example.org>\n" +
            "Acked-by: Ack Er <ack@example.org>\n\n");
        commits[0].Should().NotContain("Quoted Person", "quoted text in a reply is never a trailer");
    }

    [Fact]
    public void A_flowed_patch_applies_with_git_am_from_kernelpatch_am()
    {
        // b4 am 0.12 rewrites Content-Type without format=flowed, so git am then reads the soft breaks and stuffed
        // context lines as they were sent and refuses the patch; kernelpatch am writes the text unflowed, as git reads it.
        if (NewRepository() is not string repo)
        {
            return;
        }

        var lines = new StringBuilder();
        for (int i = 1; i <= 8; i++)
        {
            lines.Append("/* line ").Append(i).Append(" */\n");
        }

        lines.Append("int foo(void)\n{\n\tint bar = get_bar();\n\treturn 0;\n}\n");
        CommitFile(repo, "foo.c", lines.ToString(), "foo: initial version");

        string input = Path.Combine(_git.Root, "flowed.mbox");
        string output = Path.Combine(_git.Root, "out.mbox");
        File.WriteAllText(input, "From mailer Mon Mar  2 10:00:00 2020\n" + Mail.FlowedMailTests.FlowedPatch
            + Reply("r1@example.org", "Rev Iewer <rev@example.org>", "1@example.org", "Re: [PATCH] foo: report the bar", "Reviewed-by: Rev Iewer <rev@example.org>\n"));
        var (exit, _, stderr) = CorpusAgreementTests.RunTool("am", input, "-o", output);
        _output.WriteLine(stderr);
        exit.Should().Be(0);
        stderr.Should().Contain("1 patch(es), 1 follow-up trailer(s) added");

        _git.Run(repo, "am", "-q", output);
        _git.Run(repo, "log", "-1", "--format=%s%n%b").Should().Be(
            "foo: report the bar\nThe bar was never reported, which left the users of foo guessing at what went wrong.\n\n"
            + "Signed-off-by: Jane Doe <jane@example.org>\nReviewed-by: Rev Iewer <rev@example.org>\n\n");
        File.ReadAllText(Path.Combine(repo, "foo.c")).Should().EndWith(
            "int foo(void)\n{\n\tint bar = get_bar();\n\tpr_err(\"foo: the bar is %d, which is not what anyone expected here\\n\", bar);\n\treturn -EINVAL;\n}\n");
    }

    [Fact]
    public void A_base64_patch_gets_its_follow_up_trailer_and_applies_with_git_am()
    {
        // As b4 am does, the body is written decoded (8bit) so the trailer can go in; before, it was passed through
        // without the trailer.
        if (NewRepository() is not string repo)
        {
            return;
        }

        CommitFile(repo, "a.c", "int x;\nint y;\nint w;\n", "a: initial version");

        string body = "Fix the b\u00e4r.\n\nSigned-off-by: Jane Doe <jane@example.org>\n---\n a.c | 2 +-\n\ndiff --git a/a.c b/a.c\n"
            + "index 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n int x;\n-int y;\n+int z;\n int w;\n-- \n2.25.1\n";
        string patch = "From mailer Mon Mar  2 10:00:00 2020\nFrom: Jane Doe <jane@example.org>\nSubject: [PATCH] a: fix the bar\n"
            + "Date: Mon, 2 Mar 2020 10:00:00 +0100\nMessage-ID: <b64@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            + "Content-Transfer-Encoding: base64\n\n" + Convert.ToBase64String(Encoding.UTF8.GetBytes(body), Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        string input = Path.Combine(_git.Root, "b64.mbox");
        string output = Path.Combine(_git.Root, "out.mbox");
        File.WriteAllText(input, patch + Reply("r1@example.org", "Rev Iewer <rev@example.org>", "b64@example.org", "Re: [PATCH] a: fix the bar", "Reviewed-by: Rev Iewer <rev@example.org>\n"));
        var (exit, _, stderr) = CorpusAgreementTests.RunTool("am", input, "-o", output);
        exit.Should().Be(0);
        stderr.Should().Contain("1 patch(es), 1 follow-up trailer(s) added");

        _git.Run(repo, "am", "-q", output);
        _git.Run(repo, "log", "-1", "--format=%s%n%b").Should().Be(
            "a: fix the bar\nFix the b\u00e4r.\n\nSigned-off-by: Jane Doe <jane@example.org>\nReviewed-by: Rev Iewer <rev@example.org>\n\n");
        File.ReadAllText(Path.Combine(repo, "a.c")).Should().Be("int x;\nint z;\nint w;\n");
    }

    /// <summary>An empty repository under the test's folder; null (said in the output) when git is not installed.</summary>
    private string? NewRepository()
    {
        if (!_git.IsAvailable)
        {
            _output.WriteLine("git not on PATH, skipped");
            return null;
        }

        string repo = Path.Combine(_git.Root, "repo");
        Directory.CreateDirectory(repo);
        _git.Run(repo, "init", "-q");
        return repo;
    }

    // Writes one file, adds it and commits it with the message (and extra commit options, such as -s).
    private void CommitFile(string repo, string name, string content, string message, params string[] options)
    {
        File.WriteAllText(Path.Combine(repo, name), content);
        _git.Run(repo, "add", name);
        _git.Run(repo, ["commit", "-q", .. options, "-m", message]);
    }

    private static string MessageIdOf(string mbox, string subjectPrefix)
    {
        int subject = mbox.IndexOf("Subject: " + subjectPrefix, StringComparison.Ordinal);
        subject.Should().BeGreaterThan(0);
        int start = mbox.LastIndexOf("\nFrom ", subject, StringComparison.Ordinal);
        int id = mbox.IndexOf("Message-Id: <", Math.Max(start, 0), StringComparison.OrdinalIgnoreCase);
        int end = mbox.IndexOf('>', id);
        return mbox[(id + "Message-Id: <".Length)..end];
    }

    // b4 takes a person trailer from a reply only when that person sent the reply.
    private static string Reply(string id, string from, string parent, string subject, string body) =>
        "From mailer Sat Mar  9 12:00:00 2024\n" +
        $"From: {from}\n" +
        "Date: Sat, 9 Mar 2024 12:00:00 +0000\n" +
        $"Subject: {subject}\n" +
        $"Message-Id: <{id}>\n" +
        $"In-Reply-To: <{parent}>\n" +
        $"References: <{parent}>\n\n" +
        body + "\n";
}
