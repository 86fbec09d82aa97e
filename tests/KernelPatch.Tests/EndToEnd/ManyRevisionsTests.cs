using System.Globalization;
using System.Text;
using KernelPatch.Tests.Tool;
using KernelPatch.Tool;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// One patch sent again and again (here: <c>git format-patch --stdout</c> output, no Message-ID, concatenated):
/// every copy takes the place the one before already holds, so each is a revision of its own, and all of them
/// are one submission. Found by mutation fuzzing, where a duplicated message made thousands of revisions.
/// </summary>
public class ManyRevisionsTests
{
    private static string Copy(int i, string subject = "[PATCH 1/3] lib: add a helper") =>
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
        + "From: Ada Lovelace <ada@example.org>\n"
        + "Date: Tue, 10 Mar 2026 10:" + (i % 60).ToString("00", CultureInfo.InvariantCulture) + ":00 +0100\n"
        + "Subject: " + subject + "\n\n"
        + "Body.\n\nSigned-off-by: Ada Lovelace <ada@example.org>\n---\n lib/a.c | 1 +\n 1 file changed, 1 insertion(+)\n\n"
        + "diff --git a/lib/a.c b/lib/a.c\n--- a/lib/a.c\n+++ b/lib/a.c\n@@ -1 +1,2 @@\n a\n+b\n";

    private static byte[] Copies(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(Copy(i));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void Every_revision_names_the_others_and_they_are_the_mailbox_s_own_series()
    {
        var box = PatchMailbox.Parse(Copies(5));

        var revisions = box.Submissions.Should().ContainSingle().Subject.Revisions;
        revisions.Should().HaveCount(5);
        box.Series.Should().Equal(revisions, ReferenceEquals);
        foreach (var s in revisions)
        {
            s.OlderRevisions.Should().Equal(revisions.Where(r => !ReferenceEquals(r, s)), ReferenceEquals);
            foreach (var other in s.OlderRevisions)
            {
                // The others are the same objects, so they name this one in turn.
                other.OlderRevisions.Should().HaveCount(4).And.Contain(x => ReferenceEquals(x, s));
            }
        }

        // Newest first: copies 4, 3, 2, 1, 0 (dates 10:04 down to 10:00).
        revisions.Select(r => r.Patches[0].Message.Index).Should().Equal(4, 3, 2, 1, 0);
        revisions[2].OlderRevisions.Select(r => r.Patches[0].Message.Index).Should().Equal(4, 3, 1, 0);
    }

    [Fact]
    public void A_value_given_with_with_replaces_the_shared_list()
    {
        var box = PatchMailbox.Parse(Copies(3));
        var first = box.Series[0];

        var alone = first with { OlderRevisions = [] };
        alone.OlderRevisions.Should().BeEmpty();
        var retitled = first with { Title = "another title" };
        retitled.OlderRevisions.Should().Equal(first.OlderRevisions, ReferenceEquals);
    }

    [Fact]
    public void Memory_grows_with_the_revisions_not_their_square()
    {
        // Before, each of k revisions kept its own list of the k - 1 others: 4,000 copies allocated
        // 128 MB for those lists alone. Now the lists are made on first access, from one shared list.
        byte[] small = Copies(2_000);
        byte[] large = Copies(4_000);
        PatchMailbox.Parse(small); // warm-up: the JIT's and the runtime's one-time allocations

        long smallBytes = Allocated(small);
        long largeBytes = Allocated(large);

        largeBytes.Should().BeLessThan(smallBytes * 23 / 10, "twice the copies may cost twice the memory, not four times");
        (largeBytes / large.Length).Should().BeLessThan(20, "bytes allocated per input byte");
    }

    [Fact]
    public void Show_names_ten_other_revisions_and_counts_the_rest()
    {
        var (exit, stdout) = Show(Copies(12));

        exit.Should().Be(CommandLine.ExitOk);
        stdout.Should().Contain("  other revisions in this input: v1, v1, v1, v1, v1, v1, v1, v1, v1, v1, and 1 more\n");
        CommandLineTests.Count(stdout, "  other revisions in this input: ").Should().Be(12);
    }

    [Fact]
    public void Show_names_the_other_revisions_without_making_each_revision_s_list()
    {
        // Found by fuzzing: show asked every one of k revisions for its OlderRevisions (a list of k - 1 made
        // per revision), so it took time and memory with the square of k. 4,000 copies: about 128 MB of lists.
        byte[] small = Copies(2_000);
        byte[] large = Copies(4_000);
        Show(small); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        var (exit, stdout) = Show(small);
        long smallBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        Show(large);
        long largeBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        exit.Should().Be(CommandLine.ExitOk);
        CommandLineTests.Count(stdout, "  other revisions in this input: v1, v1, v1, v1, v1, v1, v1, v1, v1, v1, and 1989 more\n").Should().Be(2_000);
        largeBytes.Should().BeLessThan(smallBytes * 23 / 10, "twice the revisions may cost twice the memory, not four times");
    }

    [Fact]
    public void Show_writes_a_run_of_missing_patches_up_to_a_huge_total_as_one_line()
    {
        // The largest total a subject may claim (nine digits): the run's end is computed, not walked to.
        var (exit, stdout) = Show(Encoding.UTF8.GetBytes(Copy(0, "[PATCH 2/999999999] lib: add a helper")));

        exit.Should().Be(CommandLine.ExitOk);
        stdout.Should().Contain("  [1/999999999] MISSING\n  [2/999999999] lib: add a helper\n");
        stdout.Should().Contain("  [3-999999999/999999999] MISSING\n");
    }

    [Fact]
    public void Reviewed_revisions_of_one_patch_carry_a_bounded_number_of_reviews_to_each_other()
    {
        // Every revision of the same patch (same patch-id) in one thread, each reviewed by someone else: b4 would give
        // each revision every other's review. Output quadratic in the input unless bounded: at most 1,000 looked at.
        static byte[] Chain(int count)
        {
            var text = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                string v = (i + 1).ToString(CultureInfo.InvariantCulture);
                text.Append(Copy(i, "[PATCH v" + v + "] lib: add a helper").Replace("Subject:", "Message-Id: <m" + v + "@x>\n" + (i == 0 ? "" : "In-Reply-To: <m" + i.ToString(CultureInfo.InvariantCulture) + "@x>\n") + "Subject:", StringComparison.Ordinal));
                text.Append("From 0 Mon Sep 17 00:00:00 2001\nFrom: R" + v + " <r" + v + "@x.org>\nMessage-Id: <r" + v + "@x>\nIn-Reply-To: <m" + v + "@x>\n")
                    .Append("Subject: Re: [PATCH v" + v + "] lib: add a helper\n\n> b\n\nReviewed-by: R" + v + " <r" + v + "@x.org>\n");
            }

            return Encoding.UTF8.GetBytes(text.ToString());
        }

        var few = PatchMailbox.Parse(Chain(4)).Submissions.Single();
        few.Newest.Version.Should().Be(4);
        few.Newest.Patches.Single().FollowUpTrailers.Select(t => t.Value).Should().Equal(
            "R4 <r4@x.org>", "R3 <r3@x.org>", "R2 <r2@x.org>", "R1 <r1@x.org>");

        var many = PatchMailbox.Parse(Chain(3_000));
        many.Submissions.Single().Revisions.Should().HaveCount(3_000);
        many.Series.Max(s => s.Patches.Single().FollowUpTrailers.Length).Should().Be(1 + PatchMailbox.MaxCarriedTrailers);

        byte[] small = Chain(1_500);
        byte[] large = Chain(3_000);
        PatchMailbox.Parse(small); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        PatchMailbox.Parse(small);
        long smallBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        PatchMailbox.Parse(large);
        long largeBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        largeBytes.Should().BeLessThan(smallBytes * 3, "twice the revisions may cost twice the memory (and the bound), not four times");
    }

    [Fact]
    public void Thousands_of_partial_v2_copies_find_their_v1_and_are_each_completed()
    {
        // v1 whole, then 2,000 copies of a v2 2/2 each in reply to v1's 2/2: every copy is its own revision, and each
        // takes 1/2 from v1 (a lookup per revision over all others would be quadratic).
        var text = new StringBuilder();
        text.Append(Copy(0, "[PATCH 1/2] lib: add a helper").Replace("Subject:", "Message-Id: <a1@x>\nSubject:", StringComparison.Ordinal));
        text.Append(Copy(0, "[PATCH 2/2] lib: add a helper").Replace("Subject:", "Message-Id: <a2@x>\nIn-Reply-To: <a1@x>\nSubject:", StringComparison.Ordinal));
        for (int i = 0; i < 2_000; i++)
        {
            text.Append(Copy(i + 1, "[PATCH v2 2/2] lib: add a helper").Replace("Subject:", "Message-Id: <b" + i.ToString(CultureInfo.InvariantCulture) + "@x>\nIn-Reply-To: <a2@x>\nSubject:", StringComparison.Ordinal));
        }

        var box = PatchMailbox.Parse(Encoding.UTF8.GetBytes(text.ToString()));
        var revisions = box.Submissions.Single().Revisions;
        revisions.Should().HaveCount(2_001);
        revisions.Where(r => r.Version == 2).Should().HaveCount(2_000).And.OnlyContain(r => r.IsComplete && r.Patches[0].FromVersion == 1);
        revisions.Count(r => r.Decisions.Any(d => d.Kind == KernelPatch.Series.SeriesDecisionKind.PartialReroll)).Should().Be(2_000);
    }

    private static long Allocated(byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var box = PatchMailbox.Parse(input);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        box.Series.Length.Should().Be(box.Messages.Length);
        return bytes;
    }

    private static (int Exit, string Stdout) Show(byte[] input)
    {
        using var stdin = new MemoryStream(input);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int exit = CommandLine.Run(["show", "-"], stdin, stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
