using System.Globalization;
using System.Text;
using KernelPatch.Series;

namespace KernelPatch.Tests.Series;

/// <summary>
/// b4's partial re-roll: a v2 that re-sends only some patches of v1, each in reply to the v1 patch it replaces, is
/// completed from v1 (<c>b4 am</c> logs "Partial reroll detected, reconstituting from v1"). Without those replies, or
/// without a v1, the series stays as posted.
/// </summary>
public class PartialRerollTests
{
    [Fact]
    public void A_v2_that_resends_one_patch_in_reply_to_its_v1_takes_the_rest_and_the_cover_letter_from_v1()
    {
        string text = PartialV2();
        var box = PatchMailbox.Parse(text);

        var submission = box.Submissions.Should().ContainSingle().Subject;
        submission.Revisions.Select(s => s.Version).Should().Equal(2, 1);
        var v2 = submission.Revisions[0];
        var v1 = submission.Revisions[1];

        v2.IsComplete.Should().BeTrue();
        v2.Missing.Should().BeEmpty();
        v2.Title.Should().Be("thing: do it", "b4 takes v1's subject once the series is whole");
        v2.CoverLetter!.MessageId.Should().Be("c1@x");
        v2.CoverLetterFromVersion.Should().Be(1);
        v2.Patches.Select(p => (p.Number, p.Message.MessageId, p.FromVersion)).Should().Equal(
            (1, "p1@x", (int?)1), (2, "q2@x", (int?)null), (3, "p3@x", (int?)1));

        // Trailers travel with what they were written for: the review of v1 1/3 stays on 1/3, and the ack sent to the
        // cover letter reaches every patch of the series that took the cover letter over, the re-sent one included.
        string Added(SeriesPatch p) => string.Join(" | ", p.FollowUpTrailers.Select(t => t.ToString()));
        v2.Patches.Select(Added).Should().Equal(
            "Reviewed-by: Rev <rev@x.org> | Acked-by: Ack <ack@x.org>",
            "Acked-by: Ack <ack@x.org>",
            "Acked-by: Ack <ack@x.org>");

        // v1 is unchanged.
        v1.IsComplete.Should().BeTrue();
        v1.CoverLetterFromVersion.Should().BeNull("v1 posted its own cover letter");
        v1.Patches.Select(p => (p.Message.MessageId, p.FromVersion)).Should().Equal(("p1@x", (int?)null), ("p2@x", (int?)null), ("p3@x", (int?)null));

        // The input says what v2 posted; the mailbox says how it was completed.
        int q2 = box.Messages.Single(m => m.MessageId == "q2@x").Index;
        int q2Offset = box.Messages[q2].Span.Offset;
        box.Diagnostics.Select(d => (d.Code, d.Severity, d.Offset, d.Message)).Should().Equal(
            ("KP0607", PatchDiagnosticSeverity.Warning, q2Offset, "Expected patches 1..3 of \"thing: part 2, fixed\" (v2), found 1; missing: 1, 3."),
            ("KP0608", PatchDiagnosticSeverity.Info, q2Offset, "v2 of \"thing: part 2, fixed\" is a partial re-roll of v1: positions 1, 3 and the cover letter are taken from v1, as b4 am does."));
        var decision = v2.Decisions.Single(d => d.Kind == SeriesDecisionKind.PartialReroll);
        decision.MessageIndex.Should().Be(q2);
        decision.RelatedIndex.Should().Be(0);

        // What a maintainer applies: the newest revision, whole.
        var newest = PatchSeries.Parse(text);
        newest.Version.Should().Be(2);
        using var am = new MemoryStream();
        newest.WriteAmMbox(am).Should().Be(4, "one Reviewed-by and three Acked-by are added");
        string mbox = Encoding.UTF8.GetString(am.ToArray());
        mbox.Split("\nSubject: ").Skip(1).Select(s => s[..s.IndexOf('\n', StringComparison.Ordinal)]).Should().Equal(
            "[PATCH 1/3] thing: part 1", "[PATCH v2 2/3] thing: part 2, fixed", "[PATCH 3/3] thing: part 3");
    }

    [Fact]
    public void A_re_roll_of_a_re_roll_takes_each_patch_from_the_newest_revision_that_has_it()
    {
        string text = PartialV2() + Mail("s3@x", "[PATCH v3 3/3] thing: part 3, fixed", 4, "p3@x", ["c1@x", "p3@x"]);
        var box = PatchMailbox.Parse(text);

        var v3 = box.Submissions.Single().Revisions[0];
        v3.Version.Should().Be(3);
        v3.IsComplete.Should().BeTrue();
        v3.Patches.Select(p => (p.Message.MessageId, p.FromVersion)).Should().Equal(("p1@x", (int?)1), ("q2@x", (int?)2), ("s3@x", (int?)null));
        v3.CoverLetterFromVersion.Should().Be(1, "v2 took v1's cover letter, and v3 takes it from v2");
        box.Diagnostics.Count(d => d.Code == "KP0608").Should().Be(2);
    }

    [Theory]
    [InlineData("p1@x", "a v2 2/3 answering v1 1/3 is not its counterpart")]
    [InlineData(null, "a v2 2/3 sent on its own (linked to v1 by its title only)")]
    public void Without_replies_to_the_counterparts_the_v2_stays_as_posted(string? inReplyTo, string because)
    {
        string text = V1() + Mail("q2@x", "[PATCH v2 2/3] thing: part 2", 3, inReplyTo, inReplyTo is null ? [] : ["c1@x", inReplyTo]);
        var box = PatchMailbox.Parse(text);

        var v2 = box.Submissions.Should().ContainSingle(because).Subject.Revisions[0];
        v2.Version.Should().Be(2);
        v2.IsComplete.Should().BeFalse(because);
        v2.Missing.Should().Equal(1, 3);
        v2.CoverLetter.Should().BeNull();
        v2.Patches.Should().ContainSingle().Which.FromVersion.Should().BeNull();
        box.Diagnostics.Should().NotContain(d => d.Code == "KP0608");
    }

    [Fact]
    public void A_v3_with_no_v2_in_the_input_is_not_filled_from_v1()
    {
        // b4 fills vN only from v(N-1).
        string text = V1() + Mail("q2@x", "[PATCH v3 2/3] thing: part 2", 3, "p2@x", ["c1@x", "p2@x"]);
        var v3 = PatchMailbox.Parse(text).Submissions.Single().Revisions[0];
        v3.Version.Should().Be(3);
        v3.Missing.Should().Equal(1, 3);
    }

    [Fact]
    public void Kernelpatch_show_says_which_patches_a_partial_re_roll_took_from_the_revision_before()
    {
        string text = PartialV2();
        var lines = Encoding.UTF8.GetString(RunTool("show", text, out _)).Split('\n');
        int v2 = Array.IndexOf(lines, "  v2, 3/3 patches, by Dev <dev@x.org>, 2024-01-04T00:00:00+00:00");
        v2.Should().BeGreaterThan(0);
        lines[v2 - 1].Should().Be("thing: do it");
        lines[v2 + 1].Should().Be("  [0/3] cover letter: thing: do it  (from v1)");
        lines[v2 + 2].Should().Be("  [1/3] thing: part 1  (from v1: a partial re-roll)");
        lines.Should().Contain("  [2/3] thing: part 2, fixed").And.Contain("  [3/3] thing: part 3  (from v1: a partial re-roll)");
    }

    [Fact]
    public void A_v2_patch_with_the_patch_id_of_a_reviewed_v1_patch_keeps_its_review_as_b4_am_carries_it_over()
    {
        // v2 re-sends the whole series in v1's thread; 1/3 is unchanged (same diff, so the same git patch-id) and 2/3
        // changed. b4 am carries the v1 review of 1/3 over to v2 1/3 and nothing to 2/3; v1's cover letter ack stays
        // with v1 (it is no patch trailer). A review of v2 1/3 itself comes first.
        string text = V1()
            + Mail("c2@x", "[PATCH v2 0/3] thing: do it", 3, "c1@x", ["c1@x"], "Cover v2.\n", diff: false)
            + Mail("p1@x2", "[PATCH v2 1/3] thing: part 1", 3, "c2@x", ["c1@x", "c2@x"])
            + Mail("q2@x", "[PATCH v2 2/3] thing: part 2", 3, "c2@x", ["c1@x", "c2@x"])
            + Mail("p3@x2", "[PATCH v2 3/3] thing: part 3", 3, "c2@x", ["c1@x", "c2@x"])
            + Mail("t1@x", "Re: [PATCH v2 1/3] thing: part 1", 4, "p1@x2", ["c1@x", "c2@x", "p1@x2"], "> One.\n\nTested-by: Test <test@x.org>\n", diff: false, from: "Test <test@x.org>");
        var box = PatchMailbox.Parse(text);
        var v2 = box.Submissions.Single().Revisions[0];
        v2.Version.Should().Be(2);
        v2.Patches.Select(p => string.Join(" | ", p.FollowUpTrailers.Select(t => t.ToString()))).Should().Equal(
            "Tested-by: Test <test@x.org> | Reviewed-by: Rev <rev@x.org>", "", "");
        var carried = v2.Patches[0].FollowUpTrailers[1];
        box.Messages[carried.TargetIndex].MessageId.Should().Be("p1@x", "the trailer says which patch it was written for");
        box.Messages[carried.FromReplyIndex].MessageId.Should().Be("r1@x");

        int r1 = box.Messages.Single(m => m.MessageId == "r1@x").Index;
        int p1 = box.Messages.Single(m => m.MessageId == "p1@x").Index;
        Encoding.UTF8.GetString(RunTool("show", text, out _)).Split('\n').Should().Contain(
            $"        Reviewed-by: Rev <rev@x.org>  (follow-up, from reply #{r1} to message #{p1}, the same patch in another revision)");

        // The same v2 sent as a thread of its own: b4 reads one thread, so nothing is carried over.
        string unthreaded = V1()
            + Mail("c2@x", "[PATCH v2 0/3] thing: do it", 3, null, [], "Cover v2.\n", diff: false)
            + Mail("p1@x2", "[PATCH v2 1/3] thing: part 1", 3, "c2@x", ["c2@x"])
            + Mail("q2@x", "[PATCH v2 2/3] thing: part 2", 3, "c2@x", ["c2@x"])
            + Mail("p3@x2", "[PATCH v2 3/3] thing: part 3", 3, "c2@x", ["c2@x"])
            + Mail("t1@x", "Re: [PATCH v2 1/3] thing: part 1", 4, "p1@x2", ["c2@x", "p1@x2"], "> One.\n\nTested-by: Test <test@x.org>\n", diff: false, from: "Test <test@x.org>");
        var alone = PatchMailbox.Parse(unthreaded).Submissions.Single().Revisions[0];
        alone.Version.Should().Be(2, "linked to v1 by title and sender, in a thread of its own");
        alone.Patches[0].FollowUpTrailers.Select(t => t.ToString()).Should().Equal("Tested-by: Test <test@x.org>");
    }

    [Fact]
    public void Kernelpatch_am_writes_the_completed_series_and_says_how_many_patches_it_took()
    {
        string text = PartialV2();
        byte[] mbox = RunTool("am", text, out string stderr);
        stderr.Should().Be("kernelpatch: v2 \"thing: do it\": 3 patch(es) (2 taken from an earlier revision: a partial re-roll, as b4 am completes it), 4 follow-up trailer(s) added\n");
        PatchMailbox.Parse(mbox).Messages.Select(m => m.MessageId).Should().Equal("p1@x", "q2@x", "p3@x");
    }

    [Fact]
    public void The_appliers_sign_off_moves_below_the_added_trailers_and_is_added_with_AddSignOff_as_b4_am_does()
    {
        // b4 am (0.12) with git's user "Dev <dev@x.org>", the patches' own signer: the sign-off moves below the
        // follow-ups and the link; with -s a maintainer's is added at the bottom (B4AgreementTests asks b4 itself).
        var series = PatchSeries.Parse(PartialV2());
        var dev = new KernelPatch.Mail.MailIdentity("Dev", "dev@x.org");
        using var moved = new MemoryStream();
        series.WriteAmMbox(moved, new AmMboxOptions { Identity = dev, AddLink = true }).Should().Be(7, "four follow-ups and three links; a moved sign-off is not added");
        PatchMailbox.Parse(moved.ToArray()).Messages.Select(m => string.Join(" | ", m.Trailers.Select(t => t.Key + ": " + t.Value))).Should().Equal(
            "Reviewed-by: Rev <rev@x.org> | Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/p1@x | Signed-off-by: Dev <dev@x.org>",
            "Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/q2@x | Signed-off-by: Dev <dev@x.org>",
            "Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/p3@x | Signed-off-by: Dev <dev@x.org>");

        var maintainer = new KernelPatch.Mail.MailIdentity("Main Tainer", "maint@example.org");
        using var signed = new MemoryStream();
        series.WriteAmMbox(signed, new AmMboxOptions { Identity = maintainer, AddSignOff = true }).Should().Be(7, "four follow-ups and three sign-offs");
        PatchMailbox.Parse(signed.ToArray()).Messages.Select(m => m.Trailers[^1].Value).Should().Equal(Enumerable.Repeat("Main Tainer <maint@example.org>", 3));

        // Only an identity moves nothing it does not find, and adds nothing.
        using var untouched = new MemoryStream();
        series.WriteAmMbox(untouched, new AmMboxOptions { Identity = maintainer }).Should().Be(4);
        PatchMailbox.Parse(untouched.ToArray()).Messages[0].Trailers[0].Value.Should().Be("Dev <dev@x.org>");

        // A reply in which the applier signs off: the sign-off is written once, at the bottom (b4 0.12 keeps it where
        // it was as well, listing it among the follow-ups, and so writes it twice).
        string withReply = PartialV2() + Mail("t9@x", "Re: [PATCH v2 2/3] thing: part 2, fixed", 5, "q2@x", ["c1@x", "q2@x"], "Signed-off-by: Dev <dev@x.org>\n", diff: false, from: "Dev <dev@x.org>");
        using var once = new MemoryStream();
        PatchSeries.Parse(withReply).WriteAmMbox(once, new AmMboxOptions { Identity = dev });
        PatchMailbox.Parse(once.ToArray()).Messages[1].Trailers.Select(t => t.Key + ": " + t.Value).Should().Equal("Acked-by: Ack <ack@x.org>", "Signed-off-by: Dev <dev@x.org>");

        FluentActions.Invoking(() => series.WriteAmMbox(new MemoryStream(), new AmMboxOptions { AddSignOff = true }))
            .Should().Throw<ArgumentException>().WithMessage("AddSignOff needs an Identity with an email*");

        // The command: --signoff and --identity.
        byte[] mbox = RunTool("am", PartialV2(), out string stderr, "--signoff", "Main Tainer <maint@example.org>");
        PatchMailbox.Parse(mbox).Messages.Select(m => m.Trailers[^1].Value).Should().Equal(Enumerable.Repeat("Main Tainer <maint@example.org>", 3));
        stderr.Should().EndWith(", 7 trailer(s) added (follow-ups, links and sign-offs)\n");
        mbox = RunTool("am", PartialV2(), out _, "--identity", "Dev <dev@x.org>");
        PatchMailbox.Parse(mbox).Messages.Select(m => m.Trailers[^1].Key + ": " + m.Trailers[^1].Value).Should().Equal(Enumerable.Repeat("Signed-off-by: Dev <dev@x.org>", 3));
        PatchMailbox.Parse(mbox).Messages[0].Trailers[0].Key.Should().Be("Reviewed-by");
    }

    [Fact]
    public void Am_with_links_adds_a_lore_link_to_each_patch_after_the_other_trailers_as_b4_am_l_does()
    {
        // b4 am -l -t on this thread writes, for each patch, its trailers, the follow-ups, then
        // "Link: https://lore.kernel.org/r/<message id>" (checked with b4 0.12).
        var series = PatchSeries.Parse(PartialV2());
        using var output = new MemoryStream();
        series.WriteAmMbox(output, new AmMboxOptions { AddLink = true }).Should().Be(7, "four follow-ups and three links");
        var written = PatchMailbox.Parse(output.ToArray()).Messages;
        written.Select(m => string.Join(" | ", m.Trailers.Select(t => t.Key + ": " + t.Value))).Should().Equal(
            "Signed-off-by: Dev <dev@x.org> | Reviewed-by: Rev <rev@x.org> | Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/p1@x",
            "Signed-off-by: Dev <dev@x.org> | Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/q2@x",
            "Signed-off-by: Dev <dev@x.org> | Acked-by: Ack <ack@x.org> | Link: https://lore.kernel.org/r/p3@x");

        // Another archive, and a link already there is not added twice.
        int addedAgain = 0;
        foreach (var s in PatchMailbox.Parse(output.ToArray()).Series)
        {
            using var again = new MemoryStream();
            addedAgain += s.WriteAmMbox(again, new AmMboxOptions { AddLink = true, LinkPrefix = "https://lore.kernel.org/r/" });
        }

        addedAgain.Should().Be(0);
        using var other = new MemoryStream();
        series.WriteAmMbox(other, new AmMboxOptions { AddLink = true, LinkPrefix = "https://patch.msgid.link/" });
        PatchMailbox.Parse(other.ToArray()).Messages[1].Trailers[^1].Value.Should().Be("https://patch.msgid.link/q2@x");

        // The command: -l (b4's flag) and --link-prefix.
        byte[] mbox = RunTool("am", PartialV2(), out string stderr, "-l");
        PatchMailbox.Parse(mbox).Messages.Select(m => m.Trailers[^1].Key + ": " + m.Trailers[^1].Value).Should().Equal(
            "Link: https://lore.kernel.org/r/p1@x", "Link: https://lore.kernel.org/r/q2@x", "Link: https://lore.kernel.org/r/p3@x");
        stderr.Should().EndWith(", 7 trailer(s) added (follow-ups, links and sign-offs)\n");
    }

    /// <summary>v1 and a v2 that re-sends only 2/3, in reply to v1's 2/3.</summary>
    internal static string PartialV2() => V1() + Mail("q2@x", "[PATCH v2 2/3] thing: part 2, fixed", 3, "p2@x", ["c1@x", "p2@x"]);

    private static byte[] RunTool(string command, string mbox, out string stderr, params string[] options)
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(mbox));
        using var stdout = new MemoryStream();
        using var errors = new StringWriter();
        KernelPatch.Tool.CommandLine.Run([command, .. options, "-"], stdin, stdout, errors).Should().Be(0);
        stderr = errors.ToString();
        return stdout.ToArray();
    }

    /// <summary>v1: cover letter and three patches, a review of 1/3 and an ack for the whole series.</summary>
    internal static string V1() =>
        Mail("c1@x", "[PATCH 0/3] thing: do it", 0, null, [], "Cover.\n", diff: false)
        + Mail("p1@x", "[PATCH 1/3] thing: part 1", 1, "c1@x", ["c1@x"])
        + Mail("p2@x", "[PATCH 2/3] thing: part 2", 1, "c1@x", ["c1@x"])
        + Mail("p3@x", "[PATCH 3/3] thing: part 3", 1, "c1@x", ["c1@x"])
        + Mail("r1@x", "Re: [PATCH 1/3] thing: part 1", 2, "p1@x", ["c1@x", "p1@x"], "> One.\n\nReviewed-by: Rev <rev@x.org>\n", diff: false, from: "Rev <rev@x.org>")
        + Mail("r0@x", "Re: [PATCH 0/3] thing: do it", 2, "c1@x", ["c1@x"], "For the series:\n\nAcked-by: Ack <ack@x.org>\n", diff: false, from: "Ack <ack@x.org>");

    internal static string Mail(string id, string subject, int day, string? inReplyTo, string[] references, string body = "One.\n", bool diff = true, string from = "Dev <dev@x.org>")
    {
        var sb = new StringBuilder();
        sb.Append("From mboxrd@z Thu Jan  1 00:00:00 1970\n");
        sb.Append("From: ").Append(from).Append('\n');
        sb.Append("Subject: ").Append(subject).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"Date: Mon, {day + 1} Jan 2024 00:00:00 +0000\n");
        sb.Append("Message-Id: <").Append(id).Append(">\n");
        if (inReplyTo is not null)
        {
            sb.Append("In-Reply-To: <").Append(inReplyTo).Append(">\n");
            sb.Append("References: ").AppendJoin(' ', references.Select(r => "<" + r + ">")).Append('\n');
        }

        sb.Append('\n').Append(body);
        if (diff)
        {
            string file = id[..id.IndexOf('@', StringComparison.Ordinal)];
            sb.Append("\nSigned-off-by: Dev <dev@x.org>\n---\n ").Append(file).Append(" | 1 +\n 1 file changed, 1 insertion(+)\n\n");
            sb.Append("diff --git a/").Append(file).Append(" b/").Append(file).Append("\n--- a/").Append(file).Append("\n+++ b/").Append(file).Append("\n@@ -0,0 +1 @@\n+x\n");
        }

        return sb.Append('\n').ToString();
    }
}
