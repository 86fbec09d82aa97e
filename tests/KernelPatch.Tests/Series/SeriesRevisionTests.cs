using KernelPatch.Series;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

public class SeriesRevisionTests
{
    [Fact]
    public void Unthreaded_revisions_with_the_same_title_and_sender_are_one_submission_newest_first()
    {
        var r = Assemble(
            Patch(0, "v1c@x", "Add foo", 0, 2),
            Patch(1, "v1p1@x", "foo: one", 1, 2, inReplyTo: "v1c@x"),
            Patch(2, "v1p2@x", "foo: two", 2, 2, inReplyTo: "v1c@x"),
            Patch(3, "v3c@x", "Add  FOO", 0, 2, v: 3, minutes: 60 * 24 * 14), // title differs by case and space only
            Patch(4, "v3p1@x", "foo: one", 1, 2, v: 3, inReplyTo: "v3c@x", minutes: 60 * 24 * 14),
            Patch(5, "v2c@x", "Add foo", 0, 1, v: 2, minutes: 60 * 24 * 7),
            Patch(6, "v2p1@x", "foo: one and two", 1, 1, v: 2, inReplyTo: "v2c@x", minutes: 60 * 24 * 7));

        r.Series.Should().HaveCount(3);
        var submission = r.Submissions.Should().ContainSingle().Subject;
        submission.Revisions.Select(id => r.Series[id].Version).Should().Equal(3, 2, 1);
        r.Newest(submission).CoverIndex.Should().Be(3);
        submission.Title.Should().Be("Add  FOO");
        r.Series.Select(s => s.SubmissionId).Should().Equal(0, 0, 0);
        r.DecisionsFor(3).Should().Contain(d => d.Kind == SeriesDecisionKind.Revision && d.Reason.Contains("revision 3 of 3") && d.Reason.Contains("same series title and sender"));
        r.DecisionsFor(0).Should().Contain(d => d.Kind == SeriesDecisionKind.Revision && d.Reason.Contains("revision 1 of 3"));
    }

    [Fact]
    public void Title_and_sender_compare_folded_tabs_case_and_blank_ends_included()
    {
        var r = Assemble(
            Patch(0, "a@x", "  Add\tfoo  bar ", from: "Dev@Example.org"),
            Patch(1, "b@x", "add FOO\n bar", v: 2, from: "dev@example.ORG", minutes: 9000),
            Patch(2, "c@x", "add foobar", v: 3, from: "dev@example.org", minutes: 18000),
            Patch(3, "d@x", "add foo bar", v: 4, from: "other@example.org", minutes: 27000));

        r.Series.Should().HaveCount(4);
        r.Submissions.Should().HaveCount(3);
        r.Series[0].SubmissionId.Should().Be(r.Series[1].SubmissionId);
        r.Series[2].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "'foobar' is not 'foo bar'");
        r.Series[3].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "another sender");
    }

    [Fact]
    public void Title_folding_covers_non_ascii_case_and_blanks_and_titles_longer_than_one_hash_block()
    {
        string tail = string.Concat(Enumerable.Repeat(" word", 40)); // 200 characters: the key is hashed in several blocks
        var r = Assemble(
            Patch(0, "a@x", "Ärger\u00a0mit ÉCOLE" + tail, from: "Dev@Example.org"),
            Patch(1, "b@x", "ärger mit  école" + tail.ToUpperInvariant() + "\t", v: 2, from: "dev@example.org", minutes: 9000),
            Patch(2, "c@x", "ärger mit école" + tail + "s", v: 3, from: "dev@example.org", minutes: 18000),
            Patch(3, "d@x", "ärger mitécole" + tail, v: 4, from: "dev@example.org", minutes: 27000));

        r.Series.Should().HaveCount(4);
        r.Series[1].SubmissionId.Should().Be(r.Series[0].SubmissionId, "only case (non-ASCII too) and blanks (a no-break space too) differ");
        r.Series[2].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "the last word differs");
        r.Series[3].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "'mitécole' is not 'mit école'");
        r.Submissions.Should().HaveCount(3);
    }

    [Fact]
    public void Title_folding_is_the_same_when_a_blank_or_the_title_end_falls_on_a_block_boundary()
    {
        // Titles are folded and compared 128 characters at a time: here the folded blank is the 128th character, the
        // word after it starts the second block, and a title of exactly 128 folded characters ends on the boundary.
        string head = new('a', 127);
        string full = new('q', 128);
        var r = Assemble(
            Patch(0, "a@x", head + " b", from: "dev@example.org"),
            Patch(1, "b@x", " " + head.ToUpperInvariant() + "\t \u00a0 B  ", v: 2, from: "dev@example.org", minutes: 9000),
            Patch(2, "c@x", head + "b", v: 3, from: "dev@example.org", minutes: 18000),
            Patch(3, "d@x", head + " c", v: 4, from: "dev@example.org", minutes: 27000),
            Patch(4, "e@x", full, from: "dev@example.org", minutes: 36000),
            Patch(5, "f@x", full.ToUpperInvariant() + "   ", v: 2, from: "dev@example.org", minutes: 45000),
            Patch(6, "g@x", full + " q", v: 3, from: "dev@example.org", minutes: 54000));

        r.Series.Should().HaveCount(7);
        r.Series[1].SubmissionId.Should().Be(r.Series[0].SubmissionId, "only case and blanks differ");
        r.Series[2].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "the blank before 'b' is missing");
        r.Series[3].SubmissionId.Should().NotBe(r.Series[0].SubmissionId, "the word after the boundary differs");
        r.Series[5].SubmissionId.Should().Be(r.Series[4].SubmissionId, "only case and trailing blanks differ");
        r.Series[6].SubmissionId.Should().NotBe(r.Series[4].SubmissionId, "a word follows the boundary");
        r.Submissions.Should().HaveCount(5);
    }

    [Fact]
    public void V2_sent_in_reply_to_the_v1_cover_letter_is_a_revision_of_it()
    {
        var r = Assemble(
            Patch(0, "v1c@x", "First try", 0, 1),
            Patch(1, "v1p1@x", "one", 1, 1, inReplyTo: "v1c@x"),
            Patch(2, "v2c@x", "Second, renamed", 0, 1, v: 2, inReplyTo: "v1c@x", from: "other@x.org", minutes: 600),
            Patch(3, "v2p1@x", "one, better", 1, 1, v: 2, inReplyTo: "v2c@x", from: "other@x.org", minutes: 601));

        r.Series.Should().HaveCount(2);
        r.Series[1].CoverIndex.Should().Be(2);
        r.Series[1].Patches.Should().Equal(3);
        r.Submissions.Should().ContainSingle().Which.Revisions.Should().Equal(1, 0);
        r.DecisionsFor(2).Should().Contain(d => d.Kind == SeriesDecisionKind.Revision && d.Reason.Contains("message #2 replies to message #0 of series 0") && d.RelatedIndex == 0);
    }

    [Fact]
    public void A_single_rerolled_patch_in_reply_to_its_v1_is_a_revision()
    {
        var r = Assemble(
            Patch(0, "c@x", "Series", 0, 7),
            Patch(1, "p3@x", "three", 3, 7, inReplyTo: "c@x"),
            Patch(2, "p3v2@x", "three", 3, 7, v: 2, inReplyTo: "p3@x", minutes: 300));

        r.Series.Should().HaveCount(2);
        r.Series[0].Patches.Should().Equal(null, null, 1, null, null, null, null);
        r.Series[1].Version.Should().Be(2);
        r.Series[1].Patches.Should().Equal(null, null, 2, null, null, null, null);
        r.Submissions.Should().ContainSingle().Which.Revisions.Should().Equal(1, 0);
        r.DecisionsFor(2).Should().Contain(d => d.Kind == SeriesDecisionKind.Patch && d.Reason.Contains("another version"));
    }

    [Fact]
    public void A_resend_is_a_newer_revision_of_the_same_version()
    {
        var r = Assemble(
            Patch(0, "a@x", "fix the thing"),
            Patch(1, "b@x", "fix the thing", resend: true, minutes: 60 * 24 * 10));

        r.Series.Should().HaveCount(2);
        r.Series[1].IsResend.Should().BeTrue();
        r.Submissions.Should().ContainSingle().Which.Revisions.Should().Equal(1, 0);
        r.DecisionsFor(1).Should().Contain(d => d.Kind == SeriesDecisionKind.Revision && d.Reason.Contains("RESEND"));
    }

    [Fact]
    public void Change_id_links_revisions_with_different_titles()
    {
        var r = Assemble(
            Patch(0, "a@x", "old title", changeId: "20240101-foo-1234"),
            Patch(1, "b@x", "new title", v: 2, changeId: "20240101-foo-1234", from: "moved@x.org", minutes: 9000),
            Patch(2, "c@x", "unrelated", minutes: 9001));

        r.Submissions.Should().HaveCount(2);
        r.Submissions[0].Revisions.Should().Equal(1, 0);
        r.Submissions[1].Revisions.Should().Equal(2);
        r.Series[0].ChangeId.Should().Be("20240101-foo-1234");
        r.DecisionsFor(1).Should().Contain(d => d.Reason.Contains("same change-id"));
    }

    [Fact]
    public void Different_senders_with_the_same_title_stay_apart()
    {
        var r = Assemble(
            Patch(0, "a@x", "Update MAINTAINERS", from: "one@x.org"),
            Patch(1, "b@x", "Update MAINTAINERS", from: "two@x.org"));

        r.Submissions.Should().HaveCount(2);
    }
}
