using System.Collections.Immutable;
using KernelPatch.Series;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

public class SeriesAssemblerTests
{
    [Fact]
    public void Patches_replying_to_the_cover_letter_form_one_series()
    {
        var r = Assemble(
            Patch(0, "c@x", "Add foo", 0, 3),
            Patch(1, "p1@x", "foo: one", 1, 3, inReplyTo: "c@x", minutes: 1),
            Patch(2, "p2@x", "foo: two", 2, 3, inReplyTo: "c@x", minutes: 2),
            Patch(3, "p3@x", "foo: three", 3, 3, inReplyTo: "c@x", minutes: 3));

        r.Series.Should().HaveCount(1);
        var s = r.Series[0];
        s.CoverIndex.Should().Be(0);
        s.Patches.Should().Equal(1, 2, 3);
        s.Total.Should().Be(3);
        s.Version.Should().Be(1);
        s.Title.Should().Be("Add foo");
        s.IsComplete.Should().BeTrue();
        s.Missing.Should().BeEmpty();
        s.Date.Should().Be(T0);
        r.Threads.Roots.Should().Equal(0);
        r.Threads.Children[0].Should().Equal(1, 2, 3);
        r.Roles.Should().Equal(SeriesMessageRole.Cover, SeriesMessageRole.Patch, SeriesMessageRole.Patch, SeriesMessageRole.Patch);
        r.DecisionsFor(0).Should().Contain(d => d.Kind == SeriesDecisionKind.CoverLetter && d.Reason.Contains("numbered 0/3"));
        r.DecisionsFor(2).Should().Contain(d => d.Kind == SeriesDecisionKind.Patch && d.Reason.Contains("the cover letter, message #0") && d.RelatedIndex == 0);
    }

    [Fact]
    public void Patches_all_replying_to_patch_one_form_one_series_without_cover()
    {
        var r = Assemble(
            Patch(0, "p1@x", "one", 1, 3),
            Patch(1, "p2@x", "two", 2, 3, inReplyTo: "p1@x"),
            Patch(2, "p3@x", "three", 3, 3, inReplyTo: "p1@x"));

        r.Series.Should().ContainSingle();
        r.Series[0].CoverIndex.Should().BeNull();
        r.Series[0].Patches.Should().Equal(0, 1, 2);
        r.Series[0].Title.Should().Be("one");
        r.DecisionsFor(2).Should().Contain(d => d.Kind == SeriesDecisionKind.Patch && d.Reason.Contains("patch 1, message #0"));
    }

    [Fact]
    public void Chained_replies_form_one_series()
    {
        // git send-email --chain-reply-to: each patch answers the previous one.
        var r = Assemble(
            Patch(0, "c@x", "cover", 0, 3),
            Patch(1, "p1@x", "one", 1, 3, inReplyTo: "c@x"),
            Patch(2, "p2@x", "two", 2, 3, references: ["c@x", "p1@x"], inReplyTo: "p1@x"),
            Patch(3, "p3@x", "three", 3, 3, references: ["c@x", "p1@x", "p2@x"], inReplyTo: "p2@x"));

        r.Series.Should().ContainSingle();
        r.Series[0].Patches.Should().Equal(1, 2, 3);
        r.Threads.Parents.Should().Equal(-1, 0, 1, 2);
        r.Threads.ThreadRoots.Should().Equal(0, 0, 0, 0);
        r.DecisionsFor(3).Should().Contain(d => d.Reason.Contains("patch 2 (chained replies)"));
    }

    [Fact]
    public void Unthreaded_patches_group_by_sender_version_total_and_time()
    {
        var r = Assemble(
            Patch(0, "a1@x", "one", 1, 2, minutes: 0),
            Patch(1, "a2@x", "two", 2, 2, minutes: 5),
            Patch(2, "b1@x", "other one", 1, 2, minutes: 6, from: "someone@else.org"), // other sender
            Patch(3, "c1@x", "late one", 1, 2, minutes: 60 * 24 * 3),                   // three days later
            Patch(4, "c2@x", "late two", 2, 2, minutes: 60 * 24 * 3 + 1));

        r.Series.Should().HaveCount(3);
        r.Series[0].Patches.Should().Equal(0, 1);
        r.Series[1].Patches.Should().Equal(2, null);
        r.Series[2].Patches.Should().Equal(3, 4);
        r.DecisionsFor(1).Should().Contain(d => d.Reason.Contains("same sender, version v1 and total 2") && d.Reason.Contains("within 6 hours"));
    }

    [Fact]
    public void A_lone_patch_is_a_series_of_one()
    {
        var r = Assemble(Patch(0, "p@x", "fix it"), Patch(1, "q@x", "fix that", minutes: 1));
        r.Series.Should().HaveCount(2);
        r.Series[0].Patches.Should().Equal(0);
        r.Series[0].Total.Should().Be(1);
        r.Series[0].IsComplete.Should().BeTrue();
        r.Series[1].Patches.Should().Equal(1);
        r.Submissions.Should().HaveCount(2);
        r.DecisionsFor(0).Should().Contain(d => d.Kind == SeriesDecisionKind.Patch && d.Reason.Contains("lone patch"));
    }

    [Fact]
    public void Seed_shape_two_patches_of_five_replying_to_an_absent_cover()
    {
        // seeds/004: [PATCH 1/5] and [PATCH 2/5] of the PV-lock series reply to <...-1-yezengruan@huawei.com>, absent.
        const string absent = "20191217135549.3240-1-yezengruan@huawei.com";
        var (r, diagnostics) = AssembleWithDiagnostics(
            Patch(0, "20191217135549.3240-2-yezengruan@huawei.com", "KVM: arm64: Document PV-lock interface", 1, 5, inReplyTo: absent, from: "yezengruan@huawei.com", name: "Zengruan Ye"),
            Patch(1, "20191217135549.3240-3-yezengruan@huawei.com", "KVM: arm64: Implement PV_LOCK_FEATURES call", 2, 5, inReplyTo: absent, from: "yezengruan@huawei.com", name: "Zengruan Ye", minutes: 1));

        r.Series.Should().ContainSingle();
        var s = r.Series[0];
        s.Patches.Should().Equal(0, 1, null, null, null);
        s.Missing.Should().Equal(3, 4, 5);
        s.CoverIndex.Should().BeNull();
        s.IsComplete.Should().BeFalse();
        s.Title.Should().Be("KVM: arm64: Document PV-lock interface");
        r.Threads.MissingParents.Should().ContainSingle();
        r.Threads.MissingParents[0].MessageId.Should().Be(absent);
        r.Threads.MissingParents[0].Replies.Should().Equal(0, 1);
        r.Threads.Roots.Should().Equal(0, 1);
        diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0603", 0), ("KP0603", 1000), ("KP0607", 0));
        diagnostics[2].Message.Should().Contain("missing: 3-5");
        r.DecisionsFor(1).Should().Contain(d => d.Kind == SeriesDecisionKind.Patch && d.Reason.Contains("absent message <" + absent + ">"));
    }

    [Fact]
    public void A_series_lists_every_prerequisite_patch_id_of_its_messages_once_in_order()
    {
        // b4 reads prerequisite-patch-id lines from the cover letter and the patches; the revision gathers them.
        string a = new('a', 40), b = new('b', 40), c = new('c', 40);
        var (r, _) = AssembleWithDiagnostics(
            Patch(0, "c@x", "cover", 0, 2) with { PrerequisitePatchIds = [a, b], BaseCommit = "1234abcd" },
            Patch(1, "p1@x", "one", 1, 2, inReplyTo: "c@x") with { PrerequisitePatchIds = [b, c], BaseCommit = "ffff0000" },
            Patch(2, "p2@x", "two", 2, 2, inReplyTo: "c@x"),
            Patch(3, "q@x", "alone", minutes: 5, from: "other@example.org"));

        r.Series.Should().HaveCount(2);
        r.Series[0].PrerequisitePatchIds.Should().Equal(a, b, c);
        r.Series[0].BaseCommit.Should().Be("1234abcd", "the cover letter's base commit comes first");
        r.Series[0].Extra.Should().BeEmpty();
        r.Series[0].TotalMismatches.Should().BeEmpty();
        r.Series[1].PrerequisitePatchIds.IsDefault.Should().BeFalse();
        r.Series[1].PrerequisitePatchIds.Should().BeEmpty();
        r.Series[1].Patches.Should().Equal(3);
        r.Series[1].IsComplete.Should().BeTrue();
        r.Threads.Duplicates.IsDefault.Should().BeFalse();
        r.Threads.Duplicates.Should().BeEmpty();
        r.Threads.MissingParents.Should().BeEmpty();
    }

    [Fact]
    public void Duplicate_message_ids_keep_the_first_copy_and_report_the_other()
    {
        var (r, diagnostics) = AssembleWithDiagnostics(
            Patch(0, "c@x", "cover", 0, 2),
            Patch(1, "p1@x", "one", 1, 2, inReplyTo: "c@x"),
            Patch(2, "p1@x", "one", 1, 2, inReplyTo: "c@x"),
            Patch(3, "p2@x", "two", 2, 2, inReplyTo: "c@x"));

        r.Roles[2].Should().Be(SeriesMessageRole.Duplicate);
        r.Threads.Duplicates.Should().Equal((2, 1));
        r.Threads.ThreadRoots[2].Should().Be(0);
        r.SeriesOf[2].Should().Be(-1);
        r.Series.Should().ContainSingle();
        r.Series[0].Patches.Should().Equal(1, 3);
        r.Series[0].Extra.Should().BeEmpty();
        diagnostics.Select(d => (d.Code, d.Severity, d.Offset)).Should().Equal(("KP0601", PatchDiagnosticSeverity.Warning, 2000));
        r.DecisionsFor(2).Should().ContainSingle(d => d.Kind == SeriesDecisionKind.Duplicate && d.RelatedIndex == 1);
    }

    [Fact]
    public void Message_without_id_is_reported_and_still_placed()
    {
        var (r, diagnostics) = AssembleWithDiagnostics(
            Patch(0, null, "one", 1, 2),
            Patch(1, "p2@x", "two", 2, 2, minutes: 1));

        diagnostics.Select(d => d.Code).Should().Equal("KP0602");
        r.Series.Should().ContainSingle().Which.Patches.Should().Equal(0, 1);
        r.Threads.Roots.Should().Equal(0, 1);
    }

    [Fact]
    public void Extra_and_duplicate_indexes_and_disagreeing_totals_are_reported()
    {
        var (r, diagnostics) = AssembleWithDiagnostics(
            Patch(0, "c@x", "cover", 0, 3),
            Patch(1, "p1@x", "one", 1, 3, inReplyTo: "c@x"),
            Patch(2, "p2@x", "two", 2, 4, inReplyTo: "c@x"),   // says 2/4: total disagrees
            Patch(3, "p4@x", "four", 4, 4, inReplyTo: "c@x"),  // index above the total of 3
            Patch(4, "p3@x", "three", 3, 3, inReplyTo: "c@x"));

        var s = r.Series.Should().ContainSingle().Subject;
        s.Patches.Should().Equal(1, 2, 4);
        s.Extra.Should().Equal(3);
        s.TotalMismatches.Should().Equal(2, 3);
        s.IsComplete.Should().BeTrue();
        diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0606", 2000), ("KP0606", 3000), ("KP0605", 3000));
    }

    [Fact]
    public void Parents_after_children_are_found()
    {
        var r = Assemble(
            Patch(0, "p2@x", "two", 2, 2, inReplyTo: "c@x"),
            Patch(1, "p1@x", "one", 1, 2, inReplyTo: "c@x"),
            Patch(2, "c@x", "cover", 0, 2));

        r.Threads.Roots.Should().Equal(2);
        r.Series.Should().ContainSingle();
        r.Series[0].CoverIndex.Should().Be(2);
        r.Series[0].Patches.Should().Equal(1, 0);
    }

    [Fact]
    public void References_find_the_nearest_present_ancestor_when_in_reply_to_is_absent()
    {
        var r = Assemble(
            Patch(0, "c@x", "cover", 0, 2),
            Patch(1, "p1@x", "one", 1, 2, inReplyTo: "gone@x", references: ["c@x", "gone@x"]),
            Patch(2, "p2@x", "two", 2, 2, inReplyTo: "c@x"));

        r.Threads.Parents[1].Should().Be(0);
        r.Threads.MissingParents.Should().BeEmpty();
        r.Series.Should().ContainSingle().Which.Patches.Should().Equal(1, 2);
    }
}
