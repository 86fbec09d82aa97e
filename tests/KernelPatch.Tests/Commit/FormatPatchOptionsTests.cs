using System.Text;
using KernelPatch.Commit;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Commit;

/// <summary>
/// What <c>git format-patch</c> writes under options that change the diffstat or the diff: a type change (one diffstat
/// line, two diffs), <c>-D</c> (a deletion without its content), C-quoted names in the diffstat and its summary, and
/// <c>--relative</c> on a submodule (an empty name). The diffstat cross-check (KP0408) must not call any of it a
/// mismatch, and must still see a real one.
/// </summary>
public class FormatPatchOptionsTests
{
    private readonly ITestOutputHelper _output;

    public FormatPatchOptionsTests(ITestOutputHelper output) => _output = output;

    private const string Head = "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: Ann Author <ann@example.org>\nDate: Sat, 2 Mar 2024 10:00:00 +0100\nSubject: [PATCH] t\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n";

    private static PatchMessage Message(string afterDashes) => PatchMessage.Parse(Encoding.UTF8.GetBytes(Head + afterDashes + "-- \n2.39.5\n\n"));

    // A symbolic link turned into a file, as git 2.39 writes it: one diffstat line, a deletion and an addition.
    private const string TypeChangeDiff =
        "diff --git a/link b/link\ndeleted file mode 120000\nindex 8a03e94..0000000\n--- a/link\n+++ /dev/null\n@@ -1 +0,0 @@\n-main.c\n\\ No newline at end of file\n"
        + "diff --git a/link b/link\nnew file mode 100644\nindex 0000000..0e04407\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+notalink\n";

    [Fact]
    public void A_type_change_is_one_diffstat_line_over_two_diffs()
    {
        var m = Message(" link | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n mode change 120000 => 100644 link\n\n" + TypeChangeDiff);

        m.Diagnostics.Should().BeEmpty();
        m.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.AddedCount, f.RemovedCount)).Should().Equal(
            ("link", (string?)null, DiffFileStatus.Deleted, 0, 1),
            (null, "link", DiffFileStatus.Added, 1, 0));
        m.Commit!.Diffstat!.Changes.Single().Should().Match<DiffstatChange>(c => c.Kind == DiffstatChangeKind.ModeChange && c.Path == "link" && c.OldMode == "120000" && c.Mode == "100644");
    }

    [Fact]
    public void A_type_change_whose_counts_differ_from_the_diffstat_is_still_reported()
    {
        string stat = " link | 3 ++-\n 1 file changed, 2 insertions(+), 1 deletion(-)\n\n";
        var m = Message(stat + TypeChangeDiff);

        int line = (Head + stat).IndexOf(" link |", StringComparison.Ordinal);
        int totals = (Head + stat).IndexOf(" 1 file changed", StringComparison.Ordinal);
        m.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0408", totals), ("KP0408", line));
        m.Diagnostics[1].Message.Should().Be("Expected 3 changed lines for 'link' as the diffstat declares; found 2 changed lines in the diff.");
    }

    [Fact]
    public void A_deletion_without_its_content_agrees_with_the_diffstat_that_counts_it()
    {
        // git format-patch -D: the deleted lines (or bytes) are counted by the diffstat and not shown.
        var m = Message(
            " big.txt | 200 ------------------\n img.png | Bin 32 -> 0 bytes\n keep.c  |   1 +\n 3 files changed, 1 insertion(+), 200 deletions(-)\n delete mode 100644 big.txt\n delete mode 100644 img.png\n\n"
            + "diff --git a/big.txt b/big.txt\ndeleted file mode 100644\nindex 9ab7a9e..0000000\n"
            + "diff --git a/img.png b/img.png\ndeleted file mode 100644\nindex ac932b37c6560ba2c4b539cbf473b1fc831081f9..0000000000000000000000000000000000000000\n"
            + "diff --git a/keep.c b/keep.c\nindex 1111111..2222222 100644\n--- a/keep.c\n+++ b/keep.c\n@@ -1 +1,2 @@\n x\n+y\n");

        m.Diagnostics.Should().BeEmpty();
        m.Files.Select(f => (f.OldPath, f.Status, f.Hunks.Length, f.IsBinary)).Should().Equal(
            ("big.txt", DiffFileStatus.Deleted, 0, false), ("img.png", DiffFileStatus.Deleted, 0, false), ("keep.c", DiffFileStatus.Modified, 1, false));
    }

    [Fact]
    public void A_deletion_without_content_does_not_excuse_other_counts()
    {
        // The insertions are all shown, so they must agree; an added line the diffstat does not count is reported.
        string stat = " big.txt | 200 ------------------\n keep.c  |   1 +\n 2 files changed, 1 insertion(+), 200 deletions(-)\n\n";
        var m = Message(stat
            + "diff --git a/big.txt b/big.txt\ndeleted file mode 100644\nindex 9ab7a9e..0000000\n"
            + "diff --git a/keep.c b/keep.c\nindex 1111111..2222222 100644\n--- a/keep.c\n+++ b/keep.c\n@@ -1 +1,3 @@\n x\n+y\n+z\n");

        string text = Head + stat;
        m.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(
            ("KP0408", text.IndexOf(" 2 files", StringComparison.Ordinal)), ("KP0408", text.IndexOf(" keep.c", StringComparison.Ordinal)));
        m.Diagnostics[0].Message.Should().Be("Expected 1 insertions and 200 deletions as the diffstat declares; found 2 and 0 in the diff.");
    }

    [Fact]
    public void Quoted_names_in_the_diffstat_and_its_summary_are_decoded_as_the_diffs_are()
    {
        // git quotes a name with a quote, a backslash, a control character or (core.quotepath, the default) a
        // non-ASCII byte, in the diffstat as in the diff; a rename with either side quoted is written "a" => "b".
        string stat =
            " \"caf\\303\\251.txt\"                 | 1 +\n"
            + " \"q\\\"uote.txt\" => unquoted.txt    | 0\n"
            + " \"tab\\tname\"                      | 1 +\n"
            + " \"na\\303\\257ve.txt\" => \"r\\303\\251.txt\" | 1 +\n"
            + " 4 files changed, 3 insertions(+)\n"
            + " create mode 100644 \"caf\\303\\251.txt\"\n"
            + " rename \"q\\\"uote.txt\" => unquoted.txt (100%)\n"
            + " create mode 100644 \"tab\\tname\"\n"
            + " rename \"na\\303\\257ve.txt\" => \"r\\303\\251.txt\" (83%)\n\n";
        string diff =
            "diff --git \"a/caf\\303\\251.txt\" \"b/caf\\303\\251.txt\"\nnew file mode 100644\nindex 0000000..587be6b\n--- /dev/null\n+++ \"b/caf\\303\\251.txt\"\n@@ -0,0 +1 @@\n+x\n"
            + "diff --git \"a/q\\\"uote.txt\" b/unquoted.txt\nsimilarity index 100%\nrename from \"q\\\"uote.txt\"\nrename to unquoted.txt\n"
            + "diff --git \"a/tab\\tname\" \"b/tab\\tname\"\nnew file mode 100644\nindex 0000000..8e27be7\n--- /dev/null\n+++ \"b/tab\\tname\"\n@@ -0,0 +1 @@\n+t\n"
            + "diff --git \"a/na\\303\\257ve.txt\" \"b/r\\303\\251.txt\"\nsimilarity index 83%\nrename from \"na\\303\\257ve.txt\"\nrename to \"r\\303\\251.txt\"\nindex 8a1218a..9f4d96d 100644\n--- \"a/na\\303\\257ve.txt\"\n+++ \"b/r\\303\\251.txt\"\n@@ -5,0 +6 @@\n+6\n";
        var m = Message(stat + diff);

        m.Diagnostics.Should().BeEmpty();
        var ds = m.Commit!.Diffstat!;
        ds.Files.Select(f => (f.RawPath, f.OldPath, f.Path)).Should().Equal(
            ("\"caf\\303\\251.txt\"", (string?)null, "caf\u00e9.txt"),
            ("\"q\\\"uote.txt\" => unquoted.txt", "q\"uote.txt", "unquoted.txt"),
            ("\"tab\\tname\"", null, "tab\tname"),
            ("\"na\\303\\257ve.txt\" => \"r\\303\\251.txt\"", "na\u00efve.txt", "r\u00e9.txt"));
        ds.Changes.Select(c => (c.Kind, c.OldPath, c.Path, c.Similarity)).Should().Equal(
            (DiffstatChangeKind.Create, (string?)null, "caf\u00e9.txt", (int?)null),
            (DiffstatChangeKind.Rename, "q\"uote.txt", "unquoted.txt", 100),
            (DiffstatChangeKind.Create, null, "tab\tname", null),
            (DiffstatChangeKind.Rename, "na\u00efve.txt", "r\u00e9.txt", 83));
        ds.Files.Select(f => f.Path).Should().Equal(m.Files.Select(f => f.NewPath));
    }

    [Fact]
    public void A_quoted_name_the_diffstat_cut_short_is_matched_by_its_decoded_end()
    {
        // --stat=40: git cuts the quoted text from the left, then moves to the next '/' when there is one; without
        // one the cut may fall inside an escape ("...320\271\320\273-name.txt\"").
        string stat =
            " .../levels/renamed-\\303\\251.txt\" | 1 +\n"
            + " ...320\\271\\320\\273-name.txt\" | 2 ++\n"
            + " 2 files changed, 3 insertions(+)\n\n";
        string diff =
            "diff --git \"a/deep/dir/levels/na\\303\\257ve.txt\" \"b/deep/dir/levels/renamed-\\303\\251.txt\"\nsimilarity index 83%\nrename from \"deep/dir/levels/na\\303\\257ve.txt\"\nrename to \"deep/dir/levels/renamed-\\303\\251.txt\"\nindex 8a1218a..9f4d96d 100644\n--- \"a/deep/dir/levels/na\\303\\257ve.txt\"\n+++ \"b/deep/dir/levels/renamed-\\303\\251.txt\"\n@@ -5,0 +6 @@\n+6\n"
            + "diff --git \"a/deep/\\321\\204\\320\\260\\320\\271\\320\\273-name.txt\" \"b/deep/\\321\\204\\320\\260\\320\\271\\320\\273-name.txt\"\nnew file mode 100644\nindex 0000000..1191247\n--- /dev/null\n+++ \"b/deep/\\321\\204\\320\\260\\320\\271\\320\\273-name.txt\"\n@@ -0,0 +1,2 @@\n+1\n+2\n";
        var m = Message(stat + diff);

        m.Commit!.Diffstat!.Files.Should().OnlyContain(f => f.IsTruncated);
        m.Files.Select(f => f.NewPath).Should().Equal("deep/dir/levels/renamed-\u00e9.txt", "deep/\u0444\u0430\u0439\u043b-name.txt");
        m.Diagnostics.Should().BeEmpty();

        // The same diffstat over a diff with the counts swapped: each line is checked against its own file.
        var swapped = Message(stat.Replace("| 1 +\n", "| 9 +\n", StringComparison.Ordinal) + diff);
        swapped.Diagnostics.Where(d => d.Message.StartsWith("Expected 9", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Message.Should().Be("Expected 9 changed lines for '.../levels/renamed-\\303\\251.txt\"' as the diffstat declares; found 1 changed lines in the diff.");
    }

    [Fact]
    public void An_empty_name_after_the_prefix_is_reported()
    {
        // git format-patch --relative=sub, where sub is a submodule: git apply refuses "diff --git a/ b/".
        string body = " | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n";
        string diff = "diff --git a/ b/\nindex 2f07389..7982a48 160000\n--- a/\n+++ b/\n@@ -1 +1 @@\n-Subproject commit 2f073896cd17dd828b9a6180fc84714c5ae0f19c\n+Subproject commit 7982a4843acac96e88011afd9898300db318d020\n";
        var m = Message(body + diff);

        var d = m.Diagnostics.Should().ContainSingle().Subject;
        d.Code.Should().Be("KP0505");
        d.Offset.Should().Be((Head + body).Length);
        m.Files.Single().Should().Match<DiffFile>(f => f.OldPath == string.Empty && f.NewPath == string.Empty && f.OldMode == 0xE000 && f.AddedCount == 1);
    }

    [Fact]
    public void Git_format_patch_under_its_diffstat_and_diff_options_gives_no_mismatch_and_git_s_patch_ids()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = MakeRepository(git);

        string[][] variants =
        [
            [],
            ["-D"],
            ["--stat=40"],
            ["--stat=30", "--irreversible-delete"],
            ["-c", "core.quotepath=false", "--stat=30"],
            ["--no-prefix", "--stat=50"],
            ["--binary", "--full-index", "-M", "-C"],
        ];
        int messages = 0;
        foreach (string[] options in variants)
        {
            string[] args = options.Length > 0 && options[0] == "-c"
                ? [options[0], options[1], "format-patch", "--stdout", "--root", "HEAD", .. options[2..]]
                : ["format-patch", "--stdout", "--root", "HEAD", .. options];
            string mbox = git.Run(repo, args);
            byte[] bytes = Encoding.UTF8.GetBytes(mbox);
            var box = PatchMailbox.Parse(bytes);
            box.Messages.Should().HaveCount(6, string.Join(' ', options));
            foreach (var m in box.Messages)
            {
                m.Diagnostics.Should().BeEmpty("{0} of git format-patch {1}", m.Commit!.Title, string.Join(' ', options));
                string patch = git.MailInfo(Encoding.UTF8.GetString(bytes, m.Span.Offset, m.Span.Length)).Patch;
                m.Diff!.PatchId.Should().Be(git.PatchId(patch), "{0} of git format-patch {1}", m.Commit.Title, string.Join(' ', options));
                messages++;
            }
        }

        messages.Should().Be(variants.Length * 6);
    }

    /// <summary>
    /// A repository whose six commits hold what changes git's diffstat and diff: a symbolic link, then turned into a
    /// file, non-ASCII names in deep folders, a quote and a tab in names, renames of those, and deletions.
    /// </summary>
    private static string MakeRepository(TestGit git)
    {
        string repo = Path.Combine(git.Root, "repo");
        Directory.CreateDirectory(repo);
        git.Run(repo, "init", "-q");
        void Commit(string title)
        {
            git.Run(repo, "add", "-A");
            git.Run(repo, "commit", "-q", "-m", title);
        }

        File.WriteAllText(Path.Combine(repo, "main.c"), "int main(void)\n{\n\treturn 0;\n}\n");
        File.WriteAllText(Path.Combine(repo, "big.txt"), string.Concat(Enumerable.Range(1, 50).Select(i => i + "\n")));
        File.WriteAllBytes(Path.Combine(repo, "img.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 1, 2, 3, 0, 9]);
        Commit("Initial");
        File.CreateSymbolicLink(Path.Combine(repo, "link"), "main.c");
        Commit("Add a symbolic link");
        File.Delete(Path.Combine(repo, "link"));
        File.WriteAllText(Path.Combine(repo, "link"), "notalink\n");
        Commit("Turn the link into a file");
        string deep = Path.Combine(repo, "deep", "dir", "with", "many", "levels");
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "na\u00efve-\u0444\u0430\u0439\u043b-name.txt"), "1\n2\n3\n4\n5\n");
        File.WriteAllText(Path.Combine(repo, "q\"uote.txt"), "q\n");
        File.WriteAllText(Path.Combine(repo, "tab\tname"), "t\n");
        Commit("Odd names");
        File.Move(Path.Combine(deep, "na\u00efve-\u0444\u0430\u0439\u043b-name.txt"), Path.Combine(deep, "renamed-\u00e9.txt"));
        File.AppendAllText(Path.Combine(deep, "renamed-\u00e9.txt"), "6\n");
        File.Move(Path.Combine(repo, "q\"uote.txt"), Path.Combine(repo, "unquoted.txt"));
        Commit("Rename the odd names");
        File.Delete(Path.Combine(repo, "big.txt"));
        File.Delete(Path.Combine(repo, "img.png"));
        Commit("Delete big.txt and the image");

        return repo;
    }

    [Fact]
    public void Git_request_pull_with_and_without_the_patch_gives_the_pull_and_its_diffstat()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = MakeRepository(git);
        string start = git.Run(repo, "rev-parse", "HEAD~4").Trim(); // after the link was added: the range turns it into a file
        string end = git.Run(repo, "rev-parse", "HEAD").Trim();
        foreach (bool withPatch in new[] { false, true })
        {
            string[] args = withPatch ? ["request-pull", "-p", "HEAD~4", repo, "main"] : ["request-pull", "HEAD~4", repo, "main"];
            string text = "From: Dev Eloper <dev@example.org>\nDate: Sat, 9 Mar 2024 10:00:00 +0000\nSubject: [GIT PULL] odd names\n\nPlease pull.\n\n" + git.Run(repo, args);
            var m = PatchMessage.Parse(Encoding.UTF8.GetBytes(text));

            m.Kind.Should().Be(MessageKind.Pull);
            m.Commit!.Pull.Should().Match<PullRequest>(p => p.BaseCommit == start && p.EndCommit == end && p.RepositoryUrl == repo && p.Branch == "main");
            var stat = m.Commit.Diffstat!;
            stat.FilesChanged.Should().Be(6);
            stat.Files.Select(f => f.Path).Should().Equal("big.txt", "deep/dir/with/many/levels/renamed-\u00e9.txt", "img.png", "link", "tab\tname", "unquoted.txt");
            m.Diagnostics.Should().BeEmpty(withPatch ? "with -p" : "without -p");
            if (withPatch)
            {
                // the diffstat ends the message and the diff follows: it is cross-checked, and agrees
                m.Files.Should().HaveCount(7); // the type change is two diffs under one diffstat line
                m.Diff!.PatchId.Should().Be(git.PatchId(git.MailInfo(text).Patch));
            }
            else
            {
                m.Diff.Should().BeNull();
            }
        }
    }

    [Fact]
    public void A_cover_letter_s_series_diffstat_is_not_checked_against_its_interdiff()
    {
        // git format-patch --cover-letter --interdiff: the interdiff is written unindented below the series diffstat,
        // so git mailinfo (and we) read it as the cover letter's diff; the diffstat counts the series, not it.
        string cover = "From: Ann Author <ann@example.org>\nDate: Sat, 2 Mar 2024 10:00:00 +0100\nSubject: [PATCH v2 0/1] Numbers\n\nBlurb.\n\nAnn Author (1):\n  numbers: final\n\n"
            + " numbers.txt | 3 +++\n 1 file changed, 3 insertions(+)\n\nInterdiff against v1:\n"
            + "diff --git a/numbers.txt b/numbers.txt\nindex 83e16a5..dd7c661 100644\n--- a/numbers.txt\n+++ b/numbers.txt\n@@ -41 +41 @@\n-final prev\n+final\n-- \n2.39.5\n";
        var m = PatchMessage.Parse(Encoding.UTF8.GetBytes(cover));

        m.Commit!.Diffstat!.Should().Match<CommitDiffstat>(d => d.FilesChanged == 1 && d.Insertions == 3);
        m.Files.Single().Should().Match<DiffFile>(f => f.AddedCount == 1 && f.RemovedCount == 1);
        m.Diagnostics.Should().BeEmpty();
    }
}
