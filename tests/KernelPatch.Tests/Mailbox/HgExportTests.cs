using System.Globalization;
using System.Text;
using KernelPatch.Commit;
using KernelPatch.Diff;
using KernelPatch.Mail;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// <c>hg export</c> output (<see cref="PatchInputFormat.HgExport"/>): one message per changeset, read as
/// <c>git am --patch-format=hg</c> reads it.
/// </summary>
public sealed class HgExportTests(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    // Written the way hg export writes two changesets to one file (its second date line, node and parent lines).
    internal const string FirstChangeset =
        "# HG changeset patch\n" +
        "# User Jörg Doe <jorg@example.org>\n" +
        "# Date 1709978400 -3600\n" +
        "#      Sat Mar 09 11:00:00 2024 +0100\n" +
        "# Node ID 1111111111111111111111111111111111111111\n" +
        "# Parent  2222222222222222222222222222222222222222\n" +
        "net: fix the\n" +
        "frobnicator\n" +
        "\n" +
        "The frobnicator leaked.\n" +
        "\n" +
        "Signed-off-by: Jörg Doe <jorg@example.org>\n" +
        "\n" +
        "diff -r 222222222222 -r 111111111111 a.txt\n" +
        "--- a/a.txt\tSat Mar 09 10:00:00 2024 +0100\n" +
        "+++ b/a.txt\tSat Mar 09 11:00:00 2024 +0100\n" +
        "@@ -1,2 +1,2 @@\n" +
        " one\n" +
        "-two\n" +
        "+TWO\n";

    internal const string SecondChangeset =
        "# HG changeset patch\n" +
        "# User Ann Smith <ann@example.org>\n" +
        "# Date 1709998200 19800\n" +
        "# Node ID 3333333333333333333333333333333333333333\n" +
        "# Parent  1111111111111111111111111111111111111111\n" +
        "doc: add b.txt\n" +
        "\n" +
        "diff -r 111111111111 -r 333333333333 b.txt\n" +
        "--- /dev/null\tThu Jan 01 00:00:00 1970 +0000\n" +
        "+++ b/b.txt\tSat Mar 09 16:00:00 2024 -0530\n" +
        "@@ -0,0 +1,1 @@\n" +
        "+bee\n";

    [Fact]
    public void Reads_each_changeset_as_git_am_reads_an_hg_patch()
    {
        var mailbox = PatchMailbox.Parse(FirstChangeset + SecondChangeset);
        mailbox.Format.Should().Be(PatchInputFormat.HgExport);
        mailbox.Diagnostics.Should().BeEmpty();
        mailbox.Messages.Should().HaveCount(2);

        var first = mailbox.Messages[0];
        (first.Format, first.Mail, first.Kind, first.CommitId).Should().Be((PatchInputFormat.HgExport, (MailDocument?)null, MessageKind.Patch, (string?)null));
        first.Author.Should().Be(new MailIdentity("Jörg Doe", "jorg@example.org"));
        first.Date.Should().Be(new DateTimeOffset(2024, 3, 9, 11, 0, 0, TimeSpan.FromHours(1)), "hg's -3600 is an hour east of UTC");
        first.Title.Should().Be("net: fix the frobnicator", "the first paragraph, as git log %s shows the commit git am makes");
        first.Commit!.Body.Should().StartWith("The frobnicator leaked.\n\nSigned-off-by: Jörg Doe <jorg@example.org>\n");
        first.Trailers.Select(t => (t.Key, t.Value)).Should().Equal(("Signed-off-by", "Jörg Doe <jorg@example.org>"));
        var file = first.Files.Should().ContainSingle().Subject;
        (file.OldPath, file.NewPath, file.Dialect, file.AddedCount, file.RemovedCount).Should().Be(("a.txt", "a.txt", DiffDialect.Unified, 1, 1));
        file.Span.Offset.Should().Be(Encoding.UTF8.GetByteCount(FirstChangeset[..FirstChangeset.IndexOf("diff -r", StringComparison.Ordinal)]), "read in place: offsets exact");
        first.Diff!.PatchId.Should().Be(PatchDiff.Parse(Encoding.UTF8.GetBytes(FirstChangeset[FirstChangeset.IndexOf("diff -r", StringComparison.Ordinal)..])).PatchId);

        var second = mailbox.Messages[1];
        second.Author!.Email.Should().Be("ann@example.org");
        second.Date.Should().Be(new DateTimeOffset(2024, 3, 9, 10, 0, 0, TimeSpan.FromMinutes(-330)), "19800 seconds west is -05:30");
        (second.Title, second.Commit!.Body).Should().Be(("doc: add b.txt", ""));
        second.Files.Should().ContainSingle().Which.Status.Should().Be(DiffFileStatus.Added);

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(FirstChangeset + SecondChangeset));
        PatchMailbox.Read(stream).Select(m => (m.Title, m.Author, m.Date, m.Diff?.PatchId))
            .Should().Equal(mailbox.Messages.Select(m => (m.Title, m.Author, m.Date, m.Diff?.PatchId)));
        var act = () => PatchSeries.Parse(FirstChangeset + SecondChangeset);
        act.Should().Throw<PatchFormatException>().WithMessage("The input is hg export output with 2 changesets*");
    }

    [Fact]
    public void The_body_keeps_the_indent_of_its_first_line()
    {
        string input = FirstChangeset.Replace("The frobnicator leaked.\n", "    code();\nleaked.\n", StringComparison.Ordinal);
        PatchMailbox.Parse(input).Messages[0].Commit!.Body.Should().StartWith("    code();\nleaked.\n");
    }

    [Fact]
    public void A_date_line_git_am_refuses_is_said_and_the_rest_is_read()
    {
        string input = FirstChangeset.Replace("# Date 1709978400 -3600", "# Date yesterday", StringComparison.Ordinal);
        var m = PatchMailbox.Parse(input).Messages.Should().ContainSingle().Subject;
        m.Date.Should().BeNull();
        m.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0412", Encoding.UTF8.GetByteCount(input[..input.IndexOf("# Date", StringComparison.Ordinal)])));
        (m.Title, m.Files.Length).Should().Be(("net: fix the frobnicator", 1));
    }

    [Fact]
    public void Agrees_with_git_am_patch_format_hg_and_writes_mail_git_am_applies()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        foreach (string changeset in new[] { FirstChangeset, SecondChangeset })
        {
            // git am --patch-format=hg on the changeset itself
            string repo = git.InitRepo("hg-" + changeset.Length.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(repo, "a.txt"), "one\ntwo\n");
            git.Run(repo, "add", "a.txt");
            git.Run(repo, "commit", "-q", "-m", "base");
            string patch = Path.Combine(git.Root, "changeset.patch");
            File.WriteAllText(patch, changeset);
            git.Run(repo, "am", "-q", "--patch-format=hg", patch);
            string[] expected = git.Run(repo, "log", "-1", "--format=%an%x00%ae%x00%aI%x00%s%x00%b").Split('\0');
            string tree = git.Run(repo, "rev-parse", "HEAD^{tree}").Trim();

            var series = PatchSeries.Parse(changeset);
            var m = series.Patches.Should().ContainSingle().Subject.Message;
            m.Author.Should().Be(new MailIdentity(expected[0], expected[1]));
            m.Date.Should().Be(DateTimeOffset.Parse(expected[2], CultureInfo.InvariantCulture));
            m.Title.Should().Be(expected[3]);
            m.Commit!.Body.Trim().Should().Be(expected[4].Trim());

            // kernelpatch am's mail of it, through plain git am: the same commit
            var mbox = new MemoryStream();
            series.WriteAmMbox(mbox);
            git.Run(repo, "reset", "-q", "--hard", "HEAD~1");
            git.TryRun(repo, ["am", "-q"], Encoding.UTF8.GetString(mbox.ToArray()))!.Value.ExitCode.Should().Be(0);
            git.Run(repo, "rev-parse", "HEAD^{tree}").Trim().Should().Be(tree);
            git.Run(repo, "log", "-1", "--format=%an%x00%ae%x00%aI%x00%s%x00%b").Split('\0').Should().Equal(expected);
        }
    }
}
