using System.Runtime.InteropServices;
using System.Text;
using KernelPatch.Commit;
using KernelPatch.Mail;

namespace KernelPatch.Tests.Commit;

public sealed class CommitMessageTests
{
    private static readonly MailIdentity s_sender = new("Sender", "sender@example.org");
    private static readonly DateTimeOffset s_mailDate = new(2020, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static byte[] Fixture(string name, bool crlf = false)
    {
        string text = File.ReadAllText(TestPaths.Fixture("commit", name)).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(crlf ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text);
    }

    private static CommitMessage Parse(string body, string subject = "[PATCH] subject", PatchParseOptions? options = null) =>
        CommitMessage.Parse(Encoding.UTF8.GetBytes(body), subject, s_sender, s_mailDate, options);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InBodyHeaders_OverrideTheMail(bool crlf)
    {
        byte[] bytes = Fixture("inbody-headers.txt", crlf);
        CommitMessage m = CommitMessage.Parse(bytes, "[PATCH] wrong subject", s_sender, s_mailDate);
        m.Author.Should().Be(new MailIdentity("Philippe Mathieu-Daudé", "f4bug@amsat.org"));
        m.Date.Should().Be(new DateTimeOffset(2020, 3, 9, 10, 24, 7, TimeSpan.FromHours(-4)));
        m.Subject.Index.Should().Be(3);
        m.Subject.Total.Should().Be(5);
        m.Title.Should().Be("accel: Restrict stubs to system mode");
        m.Body.Should().Be("The stubs are only needed in system mode.\n\nSigned-off-by: Philippe Mathieu-Daudé <f4bug@amsat.org>\n");
        m.Trailers.Should().ContainSingle().Which.Person!.Name.Should().Be("Philippe Mathieu-Daudé");
        m.Signature.Should().Be("2.24.1");
        m.HasDiff.Should().BeTrue();
        m.Kind.Should().Be(MessageKind.Patch);
        string patch = Encoding.UTF8.GetString(m.Patch.Span);
        patch.Should().StartWith("diff --git a/accel/stubs/Makefile.objs");
        patch.Should().EndWith(crlf ? "+obj-$(CONFIG_SOFTMMU) += a.o\r\n" : "+obj-$(CONFIG_SOFTMMU) += a.o\n");
        m.PatchOffset.Should().Be(bytes.AsSpan().IndexOf("diff --git"u8));
        m.Diffstat!.Files.Should().ContainSingle().Which.Changes.Should().Be(2);
        m.Diffstat.Insertions.Should().Be(1);
        m.Diffstat.Deletions.Should().Be(1);
        m.Span.Should().Be(new KernelPatch.Text.SourceSpan(0, bytes.Length));
    }

    [Theory]
    // in-body headers are used only when the mail has a patch part (git: mi->patch_lines)
    // (the header lines are still taken out of the message text, as git does)
    [InlineData("From: Other <o@x.org>\n\nCover text.\n", "Sender", "Cover text.\n")]
    // with a patch part the in-body From: wins and is removed from the body
    [InlineData("From: Other <o@x.org>\n\nText.\n---\n", "Other", "Text.\n")]
    // leading blank lines are skipped before in-body headers
    [InlineData("\n\nFrom: Other <o@x.org>\n\nText.\n---\n", "Other", "Text.\n")]
    // a body line before the header ends the header stage: From: is message text
    [InlineData("Text.\nFrom: Other <o@x.org>\n---\n", "Sender", "Text.\nFrom: Other <o@x.org>\n")]
    // header names are case-insensitive
    [InlineData("FROM: Other <o@x.org>\n\nText.\n---\n", "Other", "Text.\n")]
    // a second From: is not a header any more: it ends the header stage and stays in the body
    [InlineData("From: Other <o@x.org>\nFrom: Third <t@x.org>\n\nText.\n---\n", "Other", "From: Third <t@x.org>\n\nText.\n")]
    // the header stage ends without a blank line at the first non-header line
    [InlineData("From: Other <o@x.org>\nText.\n---\n", "Other", "Text.\n")]
    // "Last, First" quoted names
    [InlineData("From: \"Doe, John\" <j@x.org>\n\nText.\n---\n", "Doe, John", "Text.\n")]
    // a bare address: git uses the email as the name
    [InlineData("From: j@x.org\n\nText.\n---\n", "j@x.org", "Text.\n")]
    public void InBodyHeaders_WhereGitAcceptsThem(string body, string authorName, string expectedBody)
    {
        CommitMessage m = Parse(body);
        m.Author!.Name.Should().Be(authorName);
        m.Body.Should().Be(expectedBody);
    }

    [Fact]
    public void InBodySubject_FromPatchLine()
    {
        CommitMessage m = Parse("[PATCH] x86: real title\n\nText.\n---\n", "[PATCH] mail subject");
        m.Title.Should().Be("x86: real title");
        m.Body.Should().Be("Text.\n");
    }

    [Fact]
    public void InBodyDate_Invalid_IsDiagnosedAndLeavesNoDate()
    {
        // git mailinfo prints "Date: yesterday" in place of the mail's date, b4 0.12 writes it into its am mbox, and
        // git am stops with "invalid date format: yesterday" (git var says the same of GIT_AUTHOR_DATE=yesterday).
        CommitMessage m = Parse("Date: yesterday\n\nText.\n---\n");
        m.Date.Should().BeNull();
        var warning = m.Diagnostics.Should().ContainSingle(d => d.Code == "KP0403").Which;
        warning.Offset.Should().Be(0);
        warning.Message.Should().Be("Expected a date in the in-body Date: line; found 'yesterday'. It replaces the mail's Date, so the patch has no date (git am refuses it).");
        m.Body.Should().Be("Text.\n");
    }

    [Fact]
    public void InBodyDate_Valid_ReplacesTheMailDate_WithItsOffset()
    {
        // An ISO form git's parse_date takes as well (git var: 1704189600 +0100).
        CommitMessage m = Parse("Date: 2024-01-02 11:00:00 +0100\n\nText.\n---\n");
        m.Date.Should().Be(new DateTimeOffset(2024, 1, 2, 11, 0, 0, TimeSpan.FromHours(1)));
        m.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scissors_ReportedAlways_AppliedByOption(bool apply)
    {
        byte[] bytes = Fixture("scissors.txt");
        var options = PatchParseOptions.Default with { Scissors = apply };
        CommitMessage m = CommitMessage.Parse(bytes, "Re: [PATCH] mm: broken", s_sender, s_mailDate, options);
        int at = Encoding.UTF8.GetString(bytes).IndexOf("-- >8 --", StringComparison.Ordinal);
        m.Scissors.Should().Be(new KernelPatch.Text.SourceSpan(at, 8));
        m.ScissorsApplied.Should().Be(apply);
        m.Diagnostics.Should().Contain(d => d.Code == "KP0401" && d.Offset == at);
        if (apply)
        {
            m.Author.Should().Be(new MailIdentity("Real Author", "real@example.org"));
            m.Title.Should().Be("mm: fix the thing");
            m.Body.Should().Be("The thing was broken.\n\nSigned-off-by: Real Author <real@example.org>\n");
            m.Kind.Should().Be(MessageKind.Patch);
        }
        else
        {
            m.Author.Should().Be(s_sender);
            m.Title.Should().Be("mm: broken");
            m.Body.Should().StartWith("Thanks for the report, this should fix it.\n\n-- >8 --\nFrom: Real Author");
        }
    }

    [Theory]
    // all the forms git mailinfo --scissors accepts
    [InlineData("-- >8 --", true)]
    [InlineData("-- 8< --", true)]
    [InlineData("-->8--------", true)]
    [InlineData("-- %< --", true)]
    [InlineData("---- >% ----", true)]
    [InlineData("------------------------ >8 ------------------------", true)]
    [InlineData("-- >8 -- cut here --", true)]
    // too short (fewer than 8 visible bytes)
    [InlineData("- >8 -", false)]
    // no scissors mark, only dashes
    [InlineData("----------", false)]
    // too much text for the perforation
    [InlineData("-- >8 -- please cut the text right here and apply", false)]
    public void ScissorsLine_Forms(string line, bool expected)
    {
        ScissorsLine.IsScissors(Encoding.UTF8.GetBytes(line), hasNewline: true).Should().Be(expected);
    }

    [Theory]
    // body, expected trailer keys (| separated)
    // all lines are trailers
    [InlineData("Text.\n\nReviewed-by: A <a@x.org>\nAcked-by: B <b@x.org>\n", "Reviewed-by|Acked-by")]
    // 25% rule: one Signed-off-by among three non-trailer lines is enough (1*3 >= 3)
    [InlineData("Text.\n\nSome text\nmore text\nand more\nSigned-off-by: A <a@x.org>\n", "Signed-off-by")]
    // 25% rule fails: 1*3 < 4
    [InlineData("Text.\n\nSome text\nmore text\nand more\nand more\nSigned-off-by: A <a@x.org>\n", "")]
    // without a git-generated trailer any non-trailer line rejects the paragraph
    [InlineData("Text.\n\nReviewed-by: A <a@x.org>\nnot a trailer\n", "")]
    // a last paragraph that is not trailers: none
    [InlineData("Text.\n\nSigned-off-by: A <a@x.org>\n\nPS: just prose here, not trailers.\nreally\n", "")]
    // cherry-picked line counts as git-generated
    [InlineData("Text.\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nSigned-off-by: A <a@x.org>\n", "cherry-picked-from|Signed-off-by")]
    // bracketed maintainer notes neither end the block nor count
    [InlineData("Text.\n\nSigned-off-by: A <a@x.org>\n[maz: fixed typo]\nSigned-off-by: Marc Z <maz@kernel.org>\n", "Signed-off-by|Signed-off-by")]
    // trailing blank lines are ignored
    [InlineData("Text.\n\nAcked-by: B <b@x.org>\n\n\n", "Acked-by")]
    // the whole body can be the trailer block (the title is the subject)
    [InlineData("Signed-off-by: A <a@x.org>\n", "Signed-off-by")]
    // The rows below are git interpret-trailers --parse --no-divider (git 2.39) on the commit git am makes of them.
    // '#' lines are comments to git (core.commentChar): they neither count against the block nor end it...
    [InlineData("Text.\n\n#Signed-off-by: x <x@y>\nFixes:\tabc\nAcked-by :\nSigned-off-by:\thttps://x\n", "Fixes|Acked-by|Signed-off-by")]
    [InlineData("Text.\n\nCloses:\t<s@x>\n# comment\n", "Closes")]
    // ...and blank lines below a last comment are skipped like trailing blank lines
    [InlineData("Text.\n\nAcked-by: B <b@x.org>\n\n# comment\n\n", "Acked-by")]
    // an indented line at the top of the paragraph continues nothing: it counts against the block
    [InlineData("Text.\n\n\tcontinued\nAcked-by: B <b@x.org>\n", "")]
    public void Trailers_BlockRules(string body, string keys)
    {
        CommitMessage m = Parse(body + "---\n");
        m.Trailers.Select(t => t.Key).Should().Equal(keys.Length == 0 ? [] : keys.Split('|'));
    }

    [Fact]
    public void Trailers_ContinuationLines_AreJoined()
    {
        string body = "Text.\n\nLink: https://lore.kernel.org/r/1\nCc: Someone Long\n  <long@x.org>\nSigned-off-by: A <a@x.org>\n---\n";
        CommitMessage m = Parse(body);
        m.Trailers.Select(t => t.Value).Should().Equal("https://lore.kernel.org/r/1", "Someone Long <long@x.org>", "A <a@x.org>");
        m.Trailers[0].Url.Should().Be("https://lore.kernel.org/r/1");
        m.Trailers[1].Person.Should().Be(new MailIdentity("Someone Long", "long@x.org"));
        int cc = body.IndexOf("Cc:", StringComparison.Ordinal);
        m.Trailers[1].Span.Should().Be(KernelPatch.Text.SourceSpan.FromBounds(cc, body.IndexOf("\nSigned", StringComparison.Ordinal)));
    }

    [Fact]
    public void Trailers_FixesWrappedOverTwoLines_IsJoined()
    {
        CommitMessage m = Parse("Text.\n\nFixes: 0123456789ab (\"mm: a very long title that\nwraps\")\nSigned-off-by: A <a@x.org>\n---\n");
        CommitTrailer fixes = m.Trailers[0];
        fixes.Key.Should().Be("Fixes");
        fixes.FixesSha.Should().Be("0123456789ab");
        fixes.FixesTitle.Should().Be("mm: a very long title that wraps");
        m.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    // git interpret-trailers --parse --no-divider on each: the Fixes: value ends at its line when the title does not close
    // within three lines, or when the next line is a git trailer of its own; a comment ends a trailer's continuation lines.
    [InlineData("Fixes: 0123456789ab (\"mm: a very long title that\nfree text here\nSigned-off-by: A <a@x.org>\n", "Fixes: 0123456789ab (\"mm: a very long title that|Signed-off-by: A <a@x.org>")]
    [InlineData("Fixes: 0123456789ab (\"mm: title that\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nSigned-off-by: A <a@x.org>\n", "Fixes: 0123456789ab (\"mm: title that|cherry-picked-from: 0123456789abcdef0123456789abcdef01234567|Signed-off-by: A <a@x.org>")]
    [InlineData("Cc: Someone Long\n# note\n  <long@x.org>\nSigned-off-by: A <a@x.org>\n", "Cc: Someone Long|Signed-off-by: A <a@x.org>")]
    [InlineData("Fixes: 0123456789ab (\"mm: title that\n# note\nwraps\")\nSigned-off-by: A <a@x.org>\n", "Fixes: 0123456789ab (\"mm: title that|Signed-off-by: A <a@x.org>")]
    public void Trailers_ValuesEndWhereGitEndsThem(string block, string trailers)
    {
        CommitMessage m = Parse("Text.\n\n" + block + "---\n");
        m.Trailers.Select(t => t.Key + ": " + t.Value).Should().Equal(trailers.Split('|'));
    }

    [Theory]
    // short sha
    [InlineData("Fixes: 05da455 (\"KVM: MMU: large page support\")", "KP0404", "05da455", "KVM: MMU: large page support")]
    // missing title
    [InlineData("Fixes: 05da45583de9b", "KP0405", "05da45583de9b", null)]
    // no sha at all
    [InlineData("Fixes: commit foo", "KP0405", null, null)]
    // the opening ("" and the closing "") overlap (found by fuzzing: cutting the title out between them threw)
    [InlineData("Fixes: 7ccea87a5f68 (\")", "KP0405", "7ccea87a5f68", null)]
    // an empty title is still a title (here the sha is short)
    [InlineData("Fixes: 7ccea87a5f (\"\")", "KP0404", "7ccea87a5f", "")]
    public void Trailers_FixesDiagnostics(string line, string code, string? sha, string? title)
    {
        CommitMessage m = Parse("Text.\n\n" + line + "\n---\n");
        m.Trailers[0].FixesSha.Should().Be(sha);
        m.Trailers[0].FixesTitle.Should().Be(title);
        m.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(code);
        m.Diagnostics[0].Offset.Should().Be(7);
    }

    [Fact]
    public void Trailers_StrictMode_ThrowsNothingForWarnings()
    {
        CommitMessage m = Parse("Text.\n\nFixes: 05da455 (\"t\")\n---\n", options: PatchParseOptions.Strict);
        m.Diagnostics.Should().ContainSingle(d => d.Code == "KP0404");
    }

    [Fact]
    public void Trailers_CcStableWithComment()
    {
        CommitMessage m = Parse("Text.\n\nCc: stable@vger.kernel.org # 5.4.x\nCc: <stable@vger.kernel.org> # v4.19+\n---\n");
        m.Trailers[0].Person.Should().Be(new MailIdentity("stable@vger.kernel.org", "stable@vger.kernel.org"));
        m.Trailers[0].Comment.Should().Be("5.4.x");
        m.Trailers[0].Value.Should().Be("stable@vger.kernel.org # 5.4.x");
        m.Trailers[1].Person!.Email.Should().Be("stable@vger.kernel.org");
        m.Trailers[1].Comment.Should().Be("v4.19+");
    }

    [Fact]
    public void Notes_ChangelogAndSeriesMetadata()
    {
        byte[] bytes = Fixture("notes-changelog.txt");
        string text = Encoding.UTF8.GetString(bytes);
        CommitMessage m = CommitMessage.Parse(bytes, "[PATCH v3] frob: fix", s_sender, s_mailDate);
        m.Notes.Should().Be("Changes since v2:\n- reworded the commit message\n- dropped the second hunk\n\nv1 -> v2:\n * fixed a typo [Reviewer]\n\nSome free text after the changelog.");
        m.Revisions.Select(r => (r.Heading, r.Version)).Should().Equal(("Changes since v2:", (int?)3), ("v1 -> v2:", (int?)2));
        m.Revisions[0].Text.Should().Be("- reworded the commit message\n- dropped the second hunk");
        m.Revisions[1].Text.Should().Be(" * fixed a typo [Reviewer]");
        m.Revisions[0].Span.Offset.Should().Be(text.IndexOf("Changes since", StringComparison.Ordinal));
        m.BaseCommit.Should().Be("0123456789abcdef0123456789abcdef01234567");
        m.ChangeId.Should().Be("20240101-frob-fix-1234abcd5678");
        m.PrerequisitePatchIds.Should().Equal(new string('1', 40), new string('2', 40));
        m.Signature.Should().Be("2.43.0");
        string patch = Encoding.UTF8.GetString(m.Patch.Span);
        patch.Should().StartWith("diff --git a/drivers/frob.c").And.EndWith(" d\n\n");
        m.Kind.Should().Be(MessageKind.Patch);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Diffstat_AllForms(bool crlf)
    {
        byte[] bytes = Fixture("diffstat-forms.txt", crlf);
        CommitMessage m = CommitMessage.Parse(bytes, "[PATCH 1/2] move", s_sender, s_mailDate);
        CommitDiffstat s = m.Diffstat!;
        s.FilesChanged.Should().Be(8);
        s.Insertions.Should().Be(15);
        s.Deletions.Should().Be(9);
        s.Files.Select(f => f.Path).Should().Equal(
            ".../selftests/kvm/include/kvm_util.h", "Documentation/new/guide.rst", "lib/sub/helper.c", "tools/new-name.sh",
            "images/logo.png", "images/old.png", "docs/unchanged.bin", "tools/run.sh");
        s.Files.Select(f => f.OldPath).Should().Equal(null, "Documentation/old/guide.rst", "lib/helper.c", "scripts/old-name.sh", null, null, null, null);
        s.Files[0].IsTruncated.Should().BeTrue();
        s.Files[0].Changes.Should().Be(18);
        s.Files[0].PlusCount.Should().Be(4);
        s.Files[0].MinusCount.Should().Be(1);
        s.Files[4].IsBinary.Should().BeTrue();
        (s.Files[4].OldSize, s.Files[4].NewSize).Should().Be((0L, 1234L));
        (s.Files[5].OldSize, s.Files[5].NewSize).Should().Be((4096L, 0L));
        s.Files[6].IsBinary.Should().BeTrue();
        s.Files[6].NewSize.Should().BeNull();
        s.Files[6].OldSize.Should().BeNull();
        // A binary line's sizes live apart from the entry: setting one keeps the other, and equality is by value.
        (s.Files[4] with { OldSize = 7 }).Should().Match<DiffstatEntry>(e => e.OldSize == 7 && e.NewSize == 1234 && e.Path == "images/logo.png");
        (s.Files[4] with { OldSize = 7 }).Should().NotBe(s.Files[4]);
        (s.Files[4] with { OldSize = 7 } with { OldSize = 0 }).Should().Be(s.Files[4]);
        (s.Files[4] with { OldSize = null, NewSize = null }).Should().Match<DiffstatEntry>(e => e.OldSize == null && e.NewSize == null && e.IsBinary)
            .And.NotBe(s.Files[4]);
        s.Files[0].Should().Match<DiffstatEntry>(e => e.OldSize == null && e.NewSize == null);
        s.Files[4].ToString().Should().Contain("OldSize = 0").And.Contain("NewSize = 1234");
        s.Changes.Select(c => (c.Kind, c.Path, c.OldPath, c.Mode, c.OldMode, c.Similarity)).Should().Equal(
            (DiffstatChangeKind.Create, "images/logo.png", null, "100644", null, null),
            (DiffstatChangeKind.Delete, "images/old.png", null, "100644", null, null),
            (DiffstatChangeKind.Rename, "Documentation/new/guide.rst", "Documentation/old/guide.rst", null, null, (int?)100),
            (DiffstatChangeKind.Rename, "lib/sub/helper.c", "lib/helper.c", null, null, (int?)90),
            (DiffstatChangeKind.Copy, "c/d.c", "a/b.c", null, null, (int?)75),
            (DiffstatChangeKind.ModeChange, "tools/run.sh", null, "100755", "100644", null),
            (DiffstatChangeKind.Rewrite, "big/file.c", null, null, null, (int?)80));
        string text = Encoding.UTF8.GetString(bytes);
        s.SummarySpan.Offset.Should().Be(text.IndexOf(" 8 files changed", StringComparison.Ordinal));
        s.Span.Offset.Should().Be(text.IndexOf(" .../selftests", StringComparison.Ordinal));
        s.Span.End.Should().Be(text.TrimEnd().Length);
        // cut after the diffstat: a patch without a diff, reported as info
        m.HasDiff.Should().BeFalse();
        m.Kind.Should().Be(MessageKind.Patch);
        m.Diagnostics.Select(d => d.Code).Should().Equal("KP0409");
    }

    [Fact]
    public void A_b4_cover_letter_with_its_shortlog_and_diffstat_below_dashes_is_whole()
    {
        // What b4 0.12's "b4 send -o" writes for a cover letter: the sign-off, '---', the shortlog and the series
        // diffstat, '---' again, the series metadata and b4's signature. There is no diff, and none is missing.
        string body = "This series renames things.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\nAnn Author (3):\n      Deep non-ASCII names\n      Rename the deep files\n      numbers: final\n\n"
            + " \"deep/dir/with/many/levels/renamed-\\303\\251.txt\" | 6 ++++++\n deep/dir/with/other/plain-long-name-file.txt     | 3 +++\n numbers.txt                                      | 1 +\n 3 files changed, 10 insertions(+)\n"
            + "---\nbase-commit: 688d15b09a200c19c99b3d852286de977d49de9b\nchange-id: 20261124-odd-names-a67e332e822f\n\nBest regards,\n-- \nAnn Author <ann@example.org>\n";
        CommitMessage m = Parse(body, "[PATCH 0/3] Odd names for everyone");

        m.Kind.Should().Be(MessageKind.Cover);
        m.HasDiff.Should().BeFalse();
        m.Diagnostics.Should().BeEmpty();
        m.Diffstat!.Files.Select(f => (f.Path, f.Changes)).Should().Equal(
            ("deep/dir/with/many/levels/renamed-\u00e9.txt", 6), ("deep/dir/with/other/plain-long-name-file.txt", 3), ("numbers.txt", 1));
        (m.BaseCommit, m.ChangeId, m.Signature).Should().Be(("688d15b09a200c19c99b3d852286de977d49de9b", "20261124-odd-names-a67e332e822f", "Ann Author <ann@example.org>"));
        m.Trailers.Select(t => t.Key).Should().Equal("Signed-off-by");

        // The same text as a numbered patch is a patch whose diff was cut off, and says so.
        Parse(body, "[PATCH 1/3] Deep non-ASCII names").Diagnostics.Select(d => d.Code).Should().Equal("KP0409");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_b4_single_patch_keeps_its_separators_out_of_the_notes_and_the_patch(bool crlf)
    {
        // What b4 0.12's "b4 send -o" writes for a one-patch series: the cover text under the cut, a second '---'
        // before the diffstat, and a blank line and '---' between the diff and the series metadata.
        string body = "Signed-off-by: Ann Author <ann@example.org>\n---\nOnly one patch, so the cover text goes here.\n---\n numbers.txt | 1 +\n 1 file changed, 1 insertion(+)\n\n"
            + "diff --git a/numbers.txt b/numbers.txt\nindex a869941..dd7c661 100644\n--- a/numbers.txt\n+++ b/numbers.txt\n@@ -40,2 +40,3 @@ twenty\n 40\n 41\n+final\n\n"
            + "---\nbase-commit: 68a8260a76e0bd5d1c2fae2126e0d8ceea3ccfdf\nchange-id: 20261124-single-e9c788815e20\n\nBest regards,\n-- \nAnn Author <ann@example.org>\n";
        string nl = crlf ? "\r\n" : "\n";
        CommitMessage m = Parse(body.Replace("\n", nl, StringComparison.Ordinal), "[PATCH] numbers: final");

        m.Diagnostics.Should().BeEmpty();
        Encoding.UTF8.GetString(m.RawNotes!.Value.Span).Should().Be("Only one patch, so the cover text goes here.");
        Encoding.UTF8.GetString(m.Patch.Span).Should().EndWith("+final" + nl + nl).And.StartWith("diff --git");
        m.Diffstat!.FilesChanged.Should().Be(1);
        (m.BaseCommit, m.ChangeId, m.Signature).Should().Be(("68a8260a76e0bd5d1c2fae2126e0d8ceea3ccfdf", "20261124-single-e9c788815e20", "Ann Author <ann@example.org>"));

        // A diff whose last removed line is "--" (written "---") right before the metadata keeps it: no blank line before it.
        string removed = body.Replace("+final\n\n---\n", "+final\n---\n", StringComparison.Ordinal).Replace("@@ -40,2 +40,3 @@", "@@ -40,3 +40,3 @@", StringComparison.Ordinal);
        Encoding.UTF8.GetString(Parse(removed, "[PATCH] numbers: final").Patch.Span).Should().EndWith("+final\n---\n");
    }

    [Theory]
    // summary line forms: singular, plural, only insertions, only deletions
    [InlineData(" 1 file changed, 1 insertion(+)", 1, 1, 0)]
    [InlineData(" 8 files changed, 440 insertions(+), 136 deletions(-)", 8, 440, 136)]
    [InlineData(" 2 files changed, 5 deletions(-)", 2, 0, 5)]
    [InlineData(" 1 file changed, 1 deletion(-)", 1, 0, 1)]
    [InlineData(" 3 files changed, 1 insertion(+), 1 deletion(-)", 3, 1, 1)]
    [InlineData(" 1 file changed", 1, 0, 0)]
    public void Diffstat_SummaryForms(string line, int files, int insertions, int deletions)
    {
        DiffstatParser.TryTotals(Encoding.UTF8.GetBytes(line), out int f, out int i, out int d).Should().BeTrue();
        (f, i, d).Should().Be((files, insertions, deletions));
    }

    [Theory]
    [InlineData("1 file changed, 1 insertion(+)")]    // no leading space: not git's format
    [InlineData(" 1 file changed, 1 insertion")]      // no (+)
    [InlineData(" files changed")]
    public void Diffstat_SummaryRejects(string line)
    {
        DiffstatParser.TryTotals(Encoding.UTF8.GetBytes(line), out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Diffstat_TotalsMismatch_IsReported()
    {
        string body = "Text.\n---\n a.c | 3 ++-\n 1 file changed, 5 insertions(+)\n";
        CommitMessage m = Parse(body);
        m.Diagnostics.Select(d => (d.Code, d.Offset)).Should().Contain(("KP0407", body.IndexOf(" 1 file", StringComparison.Ordinal)));
    }

    [Fact]
    public void CrossCheck_ReportsMismatches()
    {
        string body = "Text.\n---\n a.c | 3 ++-\n .../deep/b.c | 2 +-\n img.png | Bin 0 -> 10 bytes\n 3 files changed, 3 insertions(+), 2 deletions(-)\n";
        CommitDiffstat declared = Parse(body).Diffstat!;

        var bag = new KernelPatch.Text.DiagnosticBag();
        CommitMessage.CrossCheck(declared, [new("a.c", "a.c", 2, 1, false), new("x/deep/b.c", "x/deep/b.c", 1, 1, false), new(null, "img.png", 0, 0, true)], bag);
        bag.ToImmutableAndClear().Should().BeEmpty();

        // a truncated diff: b.c lost a line, img.png is missing
        CommitMessage.CrossCheck(declared, [new("a.c", "a.c", 2, 1, false), new("x/deep/b.c", "x/deep/b.c", 1, 0, false)], bag);
        var d = bag.ToImmutableAndClear();
        d.Should().OnlyContain(x => x.Code == "KP0408");
        d.Select(x => x.Offset).Should().Equal(
            declared.SummarySpan.Offset, declared.SummarySpan.Offset, declared.Files[1].Span.Offset, declared.Files[2].Span.Offset);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void CrossCheck_matches_paths_the_same_way_for_few_and_many_files(int count)
    {
        // Few files are matched by a scan, many through a map: the same matches and the same reports.
        // File 1 is a rename ("dir/{old1.c => f1.c}"), file 0 has one line less in the diff, and the last
        // declared file is absent from the diff.
        var stat = new System.Text.StringBuilder("Text.\n---\n");
        var parsed = new List<DiffstatTarget>();
        for (int i = 0; i < count; i++)
        {
            string name = "dir/f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".c";
            stat.Append(' ').Append(i == 1 ? "dir/{old1.c => f1.c}" : name).Append(" | 2 +-\n");
            if (i < count - 1)
            {
                parsed.Add(new(i == 1 ? "dir/old1.c" : name, name, 1, i == 0 ? 0 : 1, false));
            }
        }

        stat.Append(' ').Append(count).Append(" files changed, ").Append(count).Append(" insertions(+), ").Append(count).Append(" deletions(-)\n");
        CommitDiffstat declared = Parse(stat.ToString()).Diffstat!;
        declared.Files.Should().HaveCount(count);

        var bag = new KernelPatch.Text.DiagnosticBag();
        CommitMessage.CrossCheck(declared, CollectionsMarshal.AsSpan(parsed), bag);

        var d = bag.ToImmutableAndClear();
        d.Should().OnlyContain(x => x.Code == "KP0408");
        d.Select(x => x.Offset).Should().Equal(
            declared.SummarySpan.Offset, declared.SummarySpan.Offset, declared.Files[0].Span.Offset, declared.Files[count - 1].Span.Offset);
    }

    [Fact]
    public void CrossCheck_matches_paths_cut_to_the_same_tail_in_the_diffs_order()
    {
        // git format-patch output (made with git 2.39 for this test): three files of the same name in
        // deep folders, cut by the diffstat to the same ".../010_ssl_no_ssl2_no_ssl3.patch", with 3, 5
        // and 7 lines. The diffstat lists files in the diff's order, so the second line is the second file.
        var message = PatchMessage.Parse(File.ReadAllBytes(TestPaths.Fixture("commit", "diffstat-same-tail.patch")));
        message.Commit!.Diffstat!.Files.Select(f => (f.Path, f.IsTruncated, f.Changes)).Should().Equal(
            (".../010_ssl_no_ssl2_no_ssl3.patch", true, 3),
            (".../010_ssl_no_ssl2_no_ssl3.patch", true, 5),
            (".../010_ssl_no_ssl2_no_ssl3.patch", true, 7),
            (".../share/python-build/patches/README.blank", true, 1000));
        message.Files.Select(f => (f.NewPath, f.AddedCount)).Should().Equal(
            ("plugins/python-build/share/python-build/patches/2.6.8/Python-2.6.8/010_ssl_no_ssl2_no_ssl3.patch", 3),
            ("plugins/python-build/share/python-build/patches/2.6.9/Python-2.6.9/010_ssl_no_ssl2_no_ssl3.patch", 5),
            ("plugins/python-build/share/python-build/patches/2.7.10/Python-2.7.10/010_ssl_no_ssl2_no_ssl3.patch", 7),
            ("plugins/python-build/share/python-build/patches/README.blank", 1000));
        message.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void CrossCheck_matches_a_rename_cut_inside_its_braces_by_the_new_names_tail()
    {
        // git cuts "arch/x86/{include/asm => kvm/mmu}/tdp_mmu.h" from the left, into the braces. Here the
        // diffstat (edited by hand) lists the files in another order than the diff, so only the tails can
        // pair them: the new side's visible part plus what follows the brace.
        string body = "Text.\n---\n .../asm/tdp_mmu.h => kvm/mmu/kvm_main.h} | 32 ++--\n .../include/asm/paging_tmpl.h}/x.h     | 70 +++\n 2 files changed, 86 insertions(+), 16 deletions(-)\n";
        CommitDiffstat declared = Parse(body).Diffstat!;
        declared.Files.Should().OnlyContain(f => f.IsTruncated);
        var parsed = new List<DiffstatTarget>
        {
            new("arch/x86/kvm/paging_tmpl.h/x.h", "arch/x86/include/asm/paging_tmpl.h/x.h", 70, 0, false),
            new("arch/x86/kvm/tdp_mmu.h", "arch/x86/kvm/mmu/kvm_main.h", 16, 16, false),
        };

        var bag = new KernelPatch.Text.DiagnosticBag();
        CommitMessage.CrossCheck(declared, CollectionsMarshal.AsSpan(parsed), bag);
        bag.ToImmutableAndClear().Should().BeEmpty();

        // Other counts in the diff: each line is checked against its own file and disagrees with it.
        CommitMessage.CrossCheck(declared, [parsed[0] with { Added = 60 }, parsed[1] with { Added = 26 }], bag);
        bag.ToImmutableAndClear().Where(d => d.Offset != declared.SummarySpan.Offset).Select(d => d.Message).Should().Equal(
            "Expected 32 changed lines for '.../asm/tdp_mmu.h => kvm/mmu/kvm_main.h}' as the diffstat declares; found 42 changed lines in the diff.",
            "Expected 70 changed lines for '.../include/asm/paging_tmpl.h}/x.h' as the diffstat declares; found 60 changed lines in the diff.");
    }

    [Fact]
    public void CrossCheck_of_cut_paths_stays_linear_when_nothing_matches()
    {
        // 3,000 declared ".../nomatch-N.c" against 3,000 files of other names: a scan of every file for
        // every cut path would be 9 million comparisons. The check gives up after a bound linear in the
        // sizes and says so once, instead of guessing.
        const int count = 3000;
        var stat = new System.Text.StringBuilder("Text.\n---\n");
        var parsed = new List<DiffstatTarget>();
        for (int i = 0; i < count; i++)
        {
            string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            stat.Append(" .../nomatch-").Append(n).Append(".c | 1 +\n");
            parsed.Add(new(null, "some/where/file-" + n + ".c", 1, 0, false));
        }

        stat.Append(' ').Append(count).Append(" files changed, ").Append(count).Append(" insertions(+)\n");
        CommitDiffstat declared = Parse(stat.ToString()).Diffstat!;
        declared.Files.Should().HaveCount(count).And.OnlyContain(f => f.IsTruncated);

        var bag = new KernelPatch.Text.DiagnosticBag();
        CommitMessage.CrossCheck(declared, CollectionsMarshal.AsSpan(parsed), bag);

        var d = bag.ToImmutableAndClear();
        int missing = d.Count(x => x.Code == "KP0408");
        missing.Should().BeGreaterThan(0).And.BeLessThan(count, "the search stops once its budget is spent");
        d.Should().ContainSingle(x => x.Code == "KP0411").Which.Offset.Should().Be(declared.Files[missing].Span.Offset);
    }

    [Fact]
    public void PullRequest_IsParsed()
    {
        byte[] bytes = Fixture("pull-request.txt");
        CommitMessage m = CommitMessage.Parse(bytes, "[GIT PULL] KVM fixes for Linux 5.6-rc2", s_sender, s_mailDate);
        m.Kind.Should().Be(MessageKind.Pull);
        m.Pull!.BaseCommit.Should().Be("bb6d3fb354c5ee8d6bde2d576eb7220ea09862b9");
        m.Pull.RepositoryUrl.Should().Be("https://git.kernel.org/pub/scm/virt/kvm/kvm.git");
        m.Pull.Branch.Should().Be("tags/for-linus");
        m.Pull.EndCommit.Should().Be("4c1b4ee7cb89ef5f2bf1da14bd3c0a21f18d60bb");
        m.Pull.Span.Offset.Should().Be(Encoding.UTF8.GetString(bytes).IndexOf("The following", StringComparison.Ordinal));
        m.Diffstat!.FilesChanged.Should().Be(1);
        m.HasDiff.Should().BeFalse();
        m.Diagnostics.Should().BeEmpty();
    }

    [Theory]
    // subject, body, kind
    [InlineData("[PATCH 0/3] series", "Intro.\n", MessageKind.Cover)]
    [InlineData("[PATCH] intro without numbering", "Intro.\n", MessageKind.Cover)]
    [InlineData("[PATCH 2/3] cut", "Text.\n---\n a | 1 +\n 1 file changed, 1 insertion(+)\n", MessageKind.Patch)]
    [InlineData("[PATCH] x", "Text.\n---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n", MessageKind.Patch)]
    [InlineData("Re: [PATCH] x", "> quoted\nreply\n", MessageKind.Reply)]
    [InlineData("Re: [PATCH] x", "Like this?\n---\ndiff --git a/a b/a\n", MessageKind.Patch)]
    [InlineData("Meeting notes", "Hello\n", MessageKind.Other)]
    public void Kind_FromSubjectDiffAndShape(string subject, string body, MessageKind kind)
    {
        Parse(body, subject).Kind.Should().Be(kind);
    }

    [Fact]
    public void PatchBreak_DiffWithoutSeparator()
    {
        string body = "Text.\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n";
        CommitMessage m = Parse(body);
        m.Body.Should().Be("Text.\n");
        m.Notes.Should().BeNull();
        m.HasDiff.Should().BeTrue();
        m.PatchOffset.Should().Be(6);
        m.Signature.Should().BeNull();
    }

    [Fact]
    public void CrlfBody_GivesLfText()
    {
        CommitMessage m = Parse("Line one.\r\n\r\nSigned-off-by: A <a@x.org>\r\n---\r\n");
        m.Body.Should().Be("Line one.\n\nSigned-off-by: A <a@x.org>\n");
        m.Trailers[0].Value.Should().Be("A <a@x.org>");
        m.Trailers[0].Span.Should().Be(new KernelPatch.Text.SourceSpan(13, 26));
    }

    [Fact]
    public void AbsoluteOffsets_AreShiftedByBodyOffset()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("Text.\n\nFixes: abc (\"t\")\n---\n");
        var bag = new KernelPatch.Text.DiagnosticBag();
        CommitMessage m = CommitMessage.Parse(bytes, 1000, "[PATCH] x", null, null, bag);
        m.Span.Should().Be(new KernelPatch.Text.SourceSpan(1000, bytes.Length));
        m.Trailers[0].Span.Offset.Should().Be(1007);
        m.Diagnostics.Single().Offset.Should().Be(1007);
    }

    [Theory]
    [InlineData("inbody-headers.txt")]
    [InlineData("scissors.txt")]
    [InlineData("notes-changelog.txt")]
    [InlineData("diffstat-forms.txt")]
    [InlineData("pull-request.txt")]
    public void EveryPrefixOfAFixture_Parses(string name)
    {
        byte[] bytes = Fixture(name);
        var options = PatchParseOptions.Default with { Scissors = true };
        for (int n = 0; n <= bytes.Length; n++)
        {
            CommitMessage m = CommitMessage.Parse(bytes.AsMemory(0, n), "[PATCH 1/2] t", s_sender, s_mailDate, options);
            m.Span.Length.Should().Be(n);
            (m.PatchOffset + m.Patch.Length).Should().BeLessThanOrEqualTo(n);
        }
    }

    [Fact]
    public void HostileInput_NeverThrows()
    {
        var random = new Random(4242);
        byte[][] pieces =
        [
            "---\n"u8.ToArray(), "diff --git a b\n"u8.ToArray(), "-- \n"u8.ToArray(), "From: x\n"u8.ToArray(), " a | 3 ++\n"u8.ToArray(),
            " 1 file changed, 3 insertions(+)\n"u8.ToArray(), "Signed-off-by: a\n"u8.ToArray(), " cont\n"u8.ToArray(), "\n"u8.ToArray(),
            "-- >8 --\n"u8.ToArray(), "Fixes: (\"\n"u8.ToArray(), "[x]\n"u8.ToArray(), "The following changes since commit abcdef0:\n"u8.ToArray(),
            "v2:\n"u8.ToArray(), "\r"u8.ToArray(), "=?utf-8?q?=C3?=\n"u8.ToArray(),
        ];
        var options = PatchParseOptions.Default with { Scissors = true };
        for (int round = 0; round < 300; round++)
        {
            var buffer = new List<byte>();
            int count = random.Next(0, 60);
            for (int i = 0; i < count; i++)
            {
                if (random.Next(4) == 0)
                {
                    var junk = new byte[random.Next(1, 20)];
                    random.NextBytes(junk);
                    buffer.AddRange(junk);
                }
                else
                {
                    buffer.AddRange(pieces[random.Next(pieces.Length)]);
                }
            }

            byte[] input = buffer.ToArray();
            CommitMessage m = CommitMessage.Parse(input, "Re: [PATCH 1/2] t", s_sender, s_mailDate, options);
            m.Span.Length.Should().Be(input.Length, $"seed 4242 round {round}");
        }

        // long lines and deep repetition
        byte[] longLine = Encoding.ASCII.GetBytes(new string('-', 1_000_000) + "\n\nSigned-off-by: a <b@c>\n" + string.Concat(Enumerable.Repeat(" cont\n", 100_000)));
        CommitMessage big = CommitMessage.Parse(longLine, "[PATCH] t", s_sender, s_mailDate);
        big.Trailers.Should().ContainSingle().Which.Value.Length.Should().Be("a <b@c>".Length + (100_000 * " cont".Length));

        // many continuation lines above a Signed-off-by: git counts them as non-trailer lines, so no block
        byte[] noBlock = Encoding.ASCII.GetBytes("x\n" + string.Concat(Enumerable.Repeat(" cont\n", 100_000)) + "Signed-off-by: a <b@c>\n");
        CommitMessage.Parse(noBlock, "[PATCH] t").Trailers.Should().BeEmpty();
        byte[] brackets = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("[a: b]\n", 100_000)));
        CommitMessage.Parse(brackets, "[PATCH] t").Trailers.Should().BeEmpty();
    }
}
