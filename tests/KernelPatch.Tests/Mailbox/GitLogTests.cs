using System.Text;
using KernelPatch.Commit;
using KernelPatch.Diff;
using KernelPatch.Mail;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// <c>git log -p</c> / <c>git show</c> output (<see cref="PatchInputFormat.GitLog"/>): one message per commit, with the
/// commit's author, date, title, body, trailers, notes, diffstat and diff, as git's own tools read them.
/// </summary>
public sealed class GitLogTests(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    // Written the way git 2.39 writes `git log -p --stat` (medium format, notes shown, a second commit with no stat).
    internal const string TwoCommits =
        "commit 1111111111111111111111111111111111111111 (HEAD -> main)\n" +
        "Author: Jörg Doe <jorg@example.org>\n" +
        "Date:   Sat Mar 9 11:00:00 2024 +0100\n" +
        "\n" +
        "    net: fix the frobnicator\n" +
        "    \n" +
        "    The frobnicator leaked a buffer on the error path.\n" +
        "    \n" +
        "    Fixes: 0123456789ab (\"net: add the frobnicator\")\n" +
        "    Signed-off-by: Jörg Doe <jorg@example.org>\n" +
        "\n" +
        "Notes:\n" +
        "    tested on arm64\n" +
        "---\n" +
        " net/frob.c | 3 ++-\n" +
        " 1 file changed, 2 insertions(+), 1 deletion(-)\n" +
        "\n" +
        "diff --git a/net/frob.c b/net/frob.c\n" +
        "index 1234567..89abcde 100644\n" +
        "--- a/net/frob.c\n" +
        "+++ b/net/frob.c\n" +
        "@@ -10,3 +10,4 @@ int frob(void)\n" +
        " \tbuf = alloc();\n" +
        "-\treturn -1;\n" +
        "+\tfree(buf);\n" +
        "+\treturn -ENOMEM;\n" +
        " }\n" +
        "\n" +
        "commit 2222222222222222222222222222222222222222\n" +
        "Author: Ann Smith <ann@example.org>\n" +
        "Date:   Fri Mar 8 09:30:00 2024 -0500\n" +
        "\n" +
        "    doc: rename the\n" +
        "    frobnicator guide\n" +
        "\n" +
        "diff --git a/doc/frob.txt b/doc/frobnicator.txt\n" +
        "similarity index 100%\n" +
        "rename from doc/frob.txt\n" +
        "rename to doc/frobnicator.txt\n";

    [Fact]
    public void Detects_git_log_output_from_its_first_commit_line()
    {
        PatchMailbox.Parse(TwoCommits).Format.Should().Be(PatchInputFormat.GitLog);
        PatchMailbox.Parse("\n\ncommit " + new string('a', 64) + "\nAuthor: A <a@b.c>\n\n    t\n").Format.Should().Be(PatchInputFormat.GitLog);
        PatchMailbox.Parse("commit 123 is not an id\n\ndiff --git a/x b/x\n").Format.Should().Be(PatchInputFormat.Diff);
        PatchMailbox.Parse("commit " + new string('a', 41) + "\n").Format.Should().Be(PatchInputFormat.Diff);
    }

    [Fact]
    public void Reads_each_commit_of_the_log_as_a_message()
    {
        var mailbox = PatchMailbox.Parse(TwoCommits);
        mailbox.Messages.Should().HaveCount(2);
        mailbox.Diagnostics.Should().BeEmpty();

        var first = mailbox.Messages[0];
        first.Format.Should().Be(PatchInputFormat.GitLog);
        mailbox.Messages.Select(m => m.CommitId).Should().Equal(new string('1', 40), new string('2', 40));
        first.Mail.Should().BeNull();
        first.Kind.Should().Be(MessageKind.Patch);
        first.Author.Should().Be(new MailIdentity("Jörg Doe", "jorg@example.org"));
        first.Date.Should().Be(new DateTimeOffset(2024, 3, 9, 11, 0, 0, TimeSpan.FromHours(1)));
        first.Title.Should().Be("net: fix the frobnicator");
        first.Commit!.Body.Should().Be("The frobnicator leaked a buffer on the error path.\n\nFixes: 0123456789ab (\"net: add the frobnicator\")\nSigned-off-by: Jörg Doe <jorg@example.org>\n");
        first.Trailers.Select(t => (t.Key, t.Value)).Should().Equal(
            ("Fixes", "0123456789ab (\"net: add the frobnicator\")"), ("Signed-off-by", "Jörg Doe <jorg@example.org>"));
        first.Commit.Notes.Should().Be("Notes:\n    tested on arm64");
        first.Commit.Diffstat!.FilesChanged.Should().Be(1);
        first.Commit.Diffstat.Insertions.Should().Be(2);
        first.Diagnostics.Should().BeEmpty("the diffstat matches the diff");

        var file = first.Files.Should().ContainSingle().Subject;
        (file.OldPath, file.NewPath, file.Status, file.AddedCount, file.RemovedCount).Should().Be(("net/frob.c", "net/frob.c", DiffFileStatus.Modified, 2, 1));
        // The diff is read from the input itself: its offsets are exact.
        int diffAt = TwoCommits.IndexOf("diff --git a/net", StringComparison.Ordinal);
        file.Span.Offset.Should().Be(Encoding.UTF8.GetByteCount(TwoCommits[..diffAt]));
        first.Files[0].Hunks[0].NewStart.Should().Be(10);

        var second = mailbox.Messages[1];
        second.Author.Should().Be(new MailIdentity("Ann Smith", "ann@example.org"));
        second.Date.Should().Be(new DateTimeOffset(2024, 3, 8, 9, 30, 0, TimeSpan.FromHours(-5)));
        second.Title.Should().Be("doc: rename the frobnicator guide", "git's subject joins the lines of the first paragraph");
        second.Commit!.Body.Should().BeEmpty();
        second.Files.Should().ContainSingle().Which.Status.Should().Be(DiffFileStatus.Renamed);
        second.Diff!.PatchId.Should().NotBeNull().And.NotBe(first.Diff!.PatchId, "each commit has its own patch-id, as git patch-id gives one per commit");
        first.Diff.PatchId.Should().Be(PatchDiff.Parse(Encoding.UTF8.GetBytes(TwoCommits[diffAt..TwoCommits.IndexOf("commit 2222", StringComparison.Ordinal)])).PatchId);
    }

    [Fact]
    public void A_series_is_one_commit_and_a_longer_log_says_so()
    {
        var act = () => PatchSeries.Parse(TwoCommits);
        act.Should().Throw<PatchFormatException>().WithMessage("The input is git log output with 2 commits*PatchMailbox.Parse*");
        var one = PatchSeries.Parse(TwoCommits[..TwoCommits.IndexOf("commit 2222", StringComparison.Ordinal)]);
        (one.Title, one.Patches.Length, one.Author!.Email).Should().Be(("net: fix the frobnicator", 1, "jorg@example.org"));
    }

    [Fact]
    public void Streaming_gives_the_same_messages_as_parsing_the_whole_input()
    {
        var whole = PatchMailbox.Parse(TwoCommits).Messages;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(TwoCommits));
        var streamed = PatchMailbox.Read(stream).ToList();
        streamed.Select(m => (m.Title, m.Author, m.Date, m.Diff?.PatchId, m.Files.Length, m.SourceOffset + m.Span.Offset))
            .Should().Equal(whole.Select(m => (m.Title, m.Author, m.Date, m.Diff?.PatchId, m.Files.Length, m.SourceOffset + m.Span.Offset)));
    }

    [Fact]
    public void Reads_the_fuller_and_raw_formats_dates()
    {
        const string fuller =
            "commit 3333333333333333333333333333333333333333\n" +
            "Author:     Ann Smith <ann@example.org>\n" +
            "AuthorDate: Fri Mar 8 09:30:00 2024 -0500\n" +
            "Commit:     Bob Roe <bob@example.org>\n" +
            "CommitDate: Sat Mar 9 10:00:00 2024 +0000\n" +
            "\n" +
            "    title\n";
        var m = PatchMailbox.Parse(fuller).Messages.Should().ContainSingle().Subject;
        (m.Author!.Name, m.Date).Should().Be(("Ann Smith", new DateTimeOffset(2024, 3, 8, 9, 30, 0, TimeSpan.FromHours(-5))), "the author's date, not the committer's");

        const string raw =
            "commit 4444444444444444444444444444444444444444\n" +
            "tree 5555555555555555555555555555555555555555\n" +
            "parent 6666666666666666666666666666666666666666\n" +
            "author Ann Smith <ann@example.org> 1709908200 -0500\n" +
            "committer Bob Roe <bob@example.org> 1709978400 +0000\n" +
            "gpgsig -----BEGIN PGP SIGNATURE-----\n" +
            " \n" +
            " iQEzBAABCAAdFiEE\n" +
            " -----END PGP SIGNATURE-----\n" +
            "\n" +
            "    title\n";
        m = PatchMailbox.Parse(raw).Messages.Should().ContainSingle().Subject;
        (m.Author!.Email, m.Date, m.Title).Should().Be(("ann@example.org", new DateTimeOffset(2024, 3, 8, 9, 30, 0, TimeSpan.FromHours(-5)), "title"));
        m.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Says_what_it_cannot_read_and_goes_on()
    {
        const string input =
            "junk before the log\n" +
            "commit 7777777777777777777777777777777777777777\n" +
            "Author: nobody\n" +
            "Date:   3 days ago\n" +
            "\n" +
            "    title\n" +
            "\n" +
            " a.c | 1 +\n" +
            " 1 file changed, 1 insertion(+)\n";
        PatchMailbox.Parse(input).Format.Should().Be(PatchInputFormat.Diff, "detection looks at the first non-blank line");
        var mailbox = PatchMailbox.Parse(input, new PatchParseOptions { Format = PatchInputFormat.GitLog });
        mailbox.Messages.Should().HaveCount(2);
        mailbox.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0101", 0));
        var m = mailbox.Messages[1];
        (m.Author, m.Date, m.Title).Should().Be((null, null, "title"));
        int header = input.IndexOf("Author:", StringComparison.Ordinal);
        m.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0412", header), ("KP0412", input.IndexOf("Date:", StringComparison.Ordinal)));
        m.Commit!.Diffstat!.FilesChanged.Should().Be(1, "git log --stat without -p: a diffstat and no diff, which is not a mail cut short (no KP0409)");
        m.HasErrors.Should().BeFalse();
    }

    [Fact]
    public void Agrees_with_git_on_every_commit_in_every_log_format()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = git.InitRepo();
        var env = (string date) => new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_AUTHOR_NAME"] = "Zoë Ünïcode", ["GIT_AUTHOR_EMAIL"] = "zoe@example.org" };
        void Commit(string message, string date) =>
            git.TryRun(repo, ["commit", "-q", "--allow-empty", "-F", "-"], message, env(date))!.Value.ExitCode.Should().Be(0);

        File.WriteAllText(Path.Combine(repo, "a.c"), "one\ntwo\nthree\n");
        File.WriteAllBytes(Path.Combine(repo, "logo.bin"), [0, 1, 2, 3, 255, 0, 7]);
        git.Run(repo, "add", "-A");
        Commit("lib: add a.c\n\nFirst  version,  with  blanks.\n\nSigned-off-by: Zoë Ünïcode <zoe@example.org>\n", "2024-01-02T03:04:05+0530");
        File.WriteAllText(Path.Combine(repo, "a.c"), "one\n2\nthree\nfour");
        git.Run(repo, "mv", "logo.bin", "icon.bin");
        git.Run(repo, "add", "-A");
        Commit("lib: change a.c and\nrename the logo\n\ndiff -u shows why:\n  the old code was wrong\n\nReviewed-by: R <r@example.org>\n", "2024-02-03T04:05:06-0800");
        git.Run(repo, "notes", "add", "-m", "a note", "HEAD");
        Commit("empty: nothing changes\n", "2024-03-04T05:06:07+0000");

        string[][] formats = [["-p"], ["-p", "--stat"], ["--format=fuller", "-p", "--binary"], ["--format=raw", "-p"], ["-p", "--reverse"], ["--stat"], ["-p", "--date=iso"], ["-p", "--date=raw"], ["-p", "--date=unix"]];
        string reference = git.Run(repo, "log", "--no-notes", "--format=%H%x00%an%x00%ae%x00%aI%x00%s%x01");
        var commits = reference.Split('\x01', StringSplitOptions.RemoveEmptyEntries).Where(r => r.Trim().Length > 0).Select(r => r.TrimStart('\n').Split('\0')).ToList();
        foreach (var format in formats)
        {
            string log = git.Run(repo, ["log", .. format]);
            var ids = git.TryRun(git.Root, ["patch-id", "--stable"], log)!.Value.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(l => l.Split(' ')[1], l => l.Split(' ')[0]);
            var messages = PatchMailbox.Parse(log).Messages;
            var expected = format.Contains("--reverse") ? Enumerable.Reverse(commits).ToList() : commits;
            messages.Should().HaveCount(expected.Count, string.Join(' ', format));
            for (int i = 0; i < messages.Length; i++)
            {
                var (m, c) = (messages[i], expected[i]);
                string because = string.Join(' ', format) + " " + c[4];
                m.CommitId.Should().Be(c[0], because);
                m.Author.Should().Be(new MailIdentity(c[1], c[2]), because);
                m.Date.Should().Be(DateTimeOffset.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture), because);
                m.Title.Should().Be(c[4], because);
                m.Diff?.PatchId.Should().Be(ids.GetValueOrDefault(c[0]), because);
                m.Diagnostics.Should().BeEmpty(because);
            }

            if (format.Contains("-p"))
            {
                var second = messages[1]; // the middle one of three in either order
                second.Commit!.Body.Should().StartWith("diff -u shows why:\n  the old code was wrong\n", "a message line that looks like a diff is message, as the log says");
                second.Files.Select(f => (f.NewPath, f.Status, f.AddedCount, f.RemovedCount)).Should().Equal(
                    ("a.c", DiffFileStatus.Modified, 2, 1), ("icon.bin", DiffFileStatus.Renamed, 0, 0));
            }
        }
    }

    [Fact]
    public void Merges_per_parent_and_combined_get_git_patch_ids()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = git.InitRepo();
        string file = Path.Combine(repo, "f");
        File.WriteAllText(file, "a\nb\nc\n");
        git.Run(repo, "add", "f");
        git.Run(repo, "commit", "-q", "-m", "base");
        git.Run(repo, "checkout", "-q", "-b", "side");
        File.WriteAllText(file, "a\nB\nc\n");
        git.Run(repo, "commit", "-q", "-a", "-m", "side");
        git.Run(repo, "checkout", "-q", "main");
        File.WriteAllText(file, "A\nb\nc\n");
        git.Run(repo, "commit", "-q", "-a", "-m", "main");
        git.TryRun(repo, ["merge", "-q", "side", "-m", "merge"]); // a conflict, resolved by hand below
        File.WriteAllText(file, "A\nB\nC\n");
        git.Run(repo, "commit", "-q", "-a", "-m", "merge side");

        // -m: one commit block per parent ("commit <merge> (from <parent>)"); --cc and -c: one combined diff.
        foreach (string format in new[] { "-m", "--cc", "-c" })
        {
            string log = git.Run(repo, "log", "-p", format);
            var expected = git.TryRun(git.Root, ["patch-id", "--stable"], log)!.Value.Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (l.Split(' ')[0], l.Split(' ')[1])).ToList();
            var messages = PatchMailbox.Parse(log).Messages;
            messages.Select(m => (m.Diff?.PatchId, m.CommitId)).Should().Equal(expected.Select(e => ((string?)e.Item1, (string?)e.Item2)), format);
            messages[0].Title.Should().Be("merge side");
        }

        PatchMailbox.Parse(git.Run(repo, "log", "-p", "--cc")).Messages[0].Files.Should().ContainSingle()
            .Which.CombinedHunks.Should().ContainSingle().Which.ParentCount.Should().Be(2);
    }

    [Fact]
    public void Writes_a_commit_of_the_log_as_mail_that_git_am_applies()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = git.InitRepo();
        File.WriteAllText(Path.Combine(repo, "a.c"), "one\ntwo\n");
        git.Run(repo, "add", "-A");
        git.Run(repo, "commit", "-q", "-m", "base");
        File.WriteAllText(Path.Combine(repo, "a.c"), "one\n2\n");
        git.Run(repo, "commit", "-q", "-a", "-m", "lib: change a.c\n\nBecause.\n\nSigned-off-by: Dev Eloper <dev@example.org>");
        string tree = git.Run(repo, "rev-parse", "HEAD^{tree}").Trim();

        var series = PatchSeries.Parse(git.Run(repo, "show", "--stat", "-p", "HEAD"));
        var mbox = new MemoryStream();
        series.WriteAmMbox(mbox, new AmMboxOptions { Identity = new MailIdentity("Mae Ntainer", "mae@example.org"), AddSignOff = true }).Should().Be(1);
        string mail = Encoding.UTF8.GetString(mbox.ToArray());
        mail.Should().Contain("Subject: [PATCH] lib: change a.c\n").And.Contain("Date: Sat, 9 Mar 2024 10:00:00 +0000\n");

        git.Run(repo, "reset", "-q", "--hard", "HEAD~1");
        git.TryRun(repo, ["am", "-q"], mail)!.Value.ExitCode.Should().Be(0);
        git.Run(repo, "rev-parse", "HEAD^{tree}").Trim().Should().Be(tree);
        git.Run(repo, "log", "-1", "--format=%an <%ae>|%aI|%B").Should().Be(
            "Dev Eloper <dev@example.org>|2024-03-09T10:00:00+00:00|lib: change a.c\n\nBecause.\n\nSigned-off-by: Dev Eloper <dev@example.org>\nSigned-off-by: Mae Ntainer <mae@example.org>\n\n");
    }
}
