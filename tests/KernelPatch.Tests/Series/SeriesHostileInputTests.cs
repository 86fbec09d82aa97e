using System.Collections.Immutable;
using System.Globalization;
using KernelPatch.Series;
using Xunit.Abstractions;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

public class SeriesHostileInputTests
{
    private readonly ITestOutputHelper _output;

    public SeriesHostileInputTests(ITestOutputHelper output) => _output = output;

    private static string Id(int i) => i.ToString(CultureInfo.InvariantCulture) + "@chain";

    [Fact]
    public void Ten_thousand_messages_each_replying_to_the_next_make_one_deep_thread()
    {
        const int count = 10_000;
        var messages = new SeriesMessageInfo[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = Reply(i, Id(i), i + 1 < count ? Id(i + 1) : null, "Reviewed-by: Rev Iewer <rev@example.org>\n");
        }

        var r = Assemble(messages);
        r.Threads.Roots.Should().Equal(count - 1);
        r.Threads.Parents[0].Should().Be(1);
        r.Threads.ThreadRoots.Should().OnlyContain(x => x == count - 1);
        r.Series.Should().BeEmpty();
        r.ReplyTo[5].Should().Be(6);
    }

    [Fact]
    public void Ten_thousand_nested_replies_to_a_patch_each_borrowing_a_trailer_are_read_once_each()
    {
        // b4 climbs from every reply with trailers to the patch and takes the trailers of each reply in between: done
        // naively that is 50 million steps here. Each reply is climbed through once.
        const int count = 10_000;
        var messages = new SeriesMessageInfo[count + 1];
        messages[0] = Patch(0, Id(0), "thing", 1, 1);
        for (int i = 1; i <= count; i++)
        {
            string who = "r" + i.ToString(CultureInfo.InvariantCulture);
            messages[i] = Reply(i, Id(i), Id(i - 1), "Reviewed-by: Someone Else <else@example.org>\nTested-by: " + who + " <" + who + "@example.org>\n", from: who + "@example.org", name: who);
        }

        var r = Assemble(messages);
        var trailers = r.Series.Should().ContainSingle().Subject.FollowUpTrailers;
        trailers.Count(t => t.Key == "Tested-by").Should().Be(count);
        trailers.Where(t => t.Key == "Reviewed-by").Select(t => t.FromReplyIndex).Should().Equal(Enumerable.Range(1, count - 1), "every reply but the last has a reply with trailers below it");
        r.Decisions.Count(d => d.Kind == SeriesDecisionKind.FollowUpTrailer).Should().Be((2 * count) - 1);
    }

    [Fact]
    public void Ten_thousand_chained_patches_make_one_complete_series()
    {
        const int count = 10_000;
        var messages = new SeriesMessageInfo[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = Patch(i, Id(i), "p" + i.ToString(CultureInfo.InvariantCulture), i + 1, count, inReplyTo: i > 0 ? Id(i - 1) : null);
        }

        var r = Assemble(messages);
        var s = r.Series.Should().ContainSingle().Subject;
        s.IsComplete.Should().BeTrue();
        s.Patches[^1].Should().Be(count - 1);
    }

    [Fact]
    public void A_huge_total_in_a_subject_is_bounded_and_reported()
    {
        // "[PATCH 1/2000000000]": the slot table must not follow the subject's claim.
        var r = Assemble([Patch(0, "a@x", "huge", 1, 2_000_000_000)]);
        var s = r.Series.Should().ContainSingle().Subject;
        s.Total.Should().Be(2_000_000_000);
        s.Patches.Length.Should().Be(SeriesAssembler.MaxTrackedTotal);
        s.Missing.Should().HaveCount(SeriesAssembler.MaxTrackedTotal - 1).And.StartWith(2);
        s.IsComplete.Should().BeFalse();
    }

    [Fact]
    public void A_huge_patch_index_is_an_extra_patch_not_a_table_that_large()
    {
        // Found by fuzzing: "[PATCH 999999998/999999999]" made a slot table (and a missing list) of a billion
        // positions and the process was killed. The table now holds at most MaxTrackedTotal positions per
        // message of the series, plus MaxTrackedTotal; a patch numbered beyond it is an extra patch.
        var messages = new[] { Patch(0, "a@x", "huge", 5_000_000, 5_000_001) };
        Assemble(messages); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (r, diagnostics) = AssembleWithDiagnostics(messages);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(200_000, "5,000,000 slots would be 40 MB");
        var s = r.Series.Should().ContainSingle().Subject;
        s.Total.Should().Be(5_000_001);
        s.Patches.Length.Should().Be(2 * SeriesAssembler.MaxTrackedTotal);
        s.Patches.Should().OnlyContain(p => p == null);
        s.Extra.Should().Equal(0);
        s.Missing.Should().HaveCount(2 * SeriesAssembler.MaxTrackedTotal);
        diagnostics.Select(d => d.Code).Should().Contain(["KP0606", "KP0605"]);
    }

    [Fact]
    public void A_lone_patch_of_a_long_series_keeps_its_place()
    {
        // A lone "[PATCH 1300/1392]" (one patch of a long series picked out of an archive) is still patch 1300:
        // positions up to the highest patch present are tracked while that is within the bound.
        var r = Assemble([Patch(0, "a@x", "long", 1300, 1392)]);
        var s = r.Series.Should().ContainSingle().Subject;
        s.Patches.Length.Should().Be(1300);
        s.Patches[1299].Should().Be(0);
        s.Extra.Should().BeEmpty();
    }

    [Fact]
    public void Many_lone_patches_claiming_large_totals_stay_linear()
    {
        // Every message from another sender, each claiming 1/5000: each series tracks at most
        // MaxTrackedTotal positions, so memory grows with the messages, not messages x total.
        const int count = 2_000;
        var messages = new SeriesMessageInfo[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = Patch(i, Id(i), "p", 1, 5_000, from: "dev" + i.ToString(CultureInfo.InvariantCulture) + "@example.org");
        }

        var r = Assemble(messages);
        r.Series.Should().HaveCount(count);
        r.Series.Sum(x => x.Patches.Length).Should().Be(count * SeriesAssembler.MaxTrackedTotal);
    }

    [Fact]
    public void Format_patch_output_without_message_ids_is_one_series_whatever_the_author_dates()
    {
        // git format-patch --stdout (no --thread) writes no Message-ID and the commits' author
        // dates, which may be years apart: the consecutive patches are still one series.
        var messages = new SeriesMessageInfo[5];
        for (int i = 0; i < 5; i++)
        {
            messages[i] = Patch(i, null, "p" + i.ToString(CultureInfo.InvariantCulture), i + 1, 5, minutes: i * 60 * 24 * 365);
        }

        var r = Assemble(messages);
        var s = r.Series.Should().ContainSingle().Subject;
        s.IsComplete.Should().BeTrue();
        s.Patches.Should().Equal(0, 1, 2, 3, 4);
        r.Decisions.Should().Contain(d => d.MessageIndex == 4 && d.Reason.Contains("no Message-ID"));
    }

    [Fact]
    public void A_one_patch_series_with_its_cover_letter_is_one_series_unthreaded()
    {
        // git format-patch --stdout --cover-letter -v2 -1 (no --thread): "[PATCH v2 0/1]" from the user running it,
        // dated now, and "[PATCH v2 1/1]" from the commit's author, dated years before; neither has a Message-ID.
        var r = Assemble(
            Patch(0, null, "cover", 0, 1, v: 2, from: "me@example.org", minutes: 60 * 24 * 900),
            Patch(1, null, "numbers: final", 1, 1, v: 2, from: "author@example.org"));
        var s = r.Series.Should().ContainSingle().Subject;
        (s.CoverIndex, s.IsComplete, s.Version).Should().Be(((int?)0, true, 2));
        s.Patches.Should().Equal(1);

        // The same sent unthreaded by one sender: the patch joins its cover letter sent an hour before.
        r = Assemble(Patch(0, "c@x", "cover", 0, 1, v: 2), Patch(1, "p@x", "numbers: final", 1, 1, v: 2, minutes: 60));
        r.Series.Should().ContainSingle().Which.Patches.Should().Equal(1);
        r.DecisionsFor(1).Should().Contain(d => d.Reason.Contains("same sender"));

        // Two lone "[PATCH 1/1]" with no cover letter stay two series of one, sent or not.
        Assemble(Patch(0, null, "one", 1, 1), Patch(1, null, "two", 1, 1)).Series.Should().HaveCount(2);
        Assemble(Patch(0, "a@x", "one", 1, 1), Patch(1, "b@x", "two", 1, 1, minutes: 5)).Series.Should().HaveCount(2);
    }

    [Fact]
    public void A_threaded_patch_joins_its_cover_letter_whatever_its_rfc_mark()
    {
        // b4 0.12 groups a thread's patches by version alone: "[RFC PATCH 0/2]" with "[PATCH 1/2]" and
        // "[RFC PATCH 2/2]" replying to it is one series of two (checked with b4 am on the same thread).
        var r = Assemble(
            Patch(0, "c@x", "topic", 0, 2, rfc: true),
            Patch(1, "p1@x", "a: one", 1, 2, inReplyTo: "c@x", minutes: 1),
            Patch(2, "p2@x", "b: two", 2, 2, inReplyTo: "c@x", minutes: 2, rfc: true));
        var s = r.Series.Should().ContainSingle().Subject;
        (s.IsRfc, s.IsComplete).Should().Be((true, true));
        s.Patches.Should().Equal(1, 2);

        // git format-patch output (no Message-ID) of a commit titled "[RFC] foo: bar": git's subject is
        // "[PATCH 2/3] [RFC] foo: bar", which reads as RFC, but it is one patch of the same run.
        r = Assemble(
            Patch(0, null, "one", 1, 3),
            Patch(1, null, "foo: bar", 2, 3, rfc: true, minutes: 60 * 24 * 30),
            Patch(2, null, "three", 3, 3));
        r.Series.Should().ContainSingle().Which.IsComplete.Should().BeTrue();

        // Sent unthreaded, the marks still tell two series of one sender apart.
        r = Assemble(Patch(0, "a@x", "one", 1, 2), Patch(1, "b@x", "two", 2, 2, rfc: true, minutes: 5));
        r.Series.Should().HaveCount(2);
    }

    [Fact]
    public void Cycles_and_self_references_are_cut_and_reported()
    {
        var (r, diagnostics) = AssembleWithDiagnostics(
            Reply(0, "a@x", "b@x", ""),
            Reply(1, "b@x", "c@x", ""),
            Reply(2, "c@x", "a@x", ""),            // a -> b -> c -> a
            Reply(3, "self@x", "self@x", ""),      // references itself
            Patch(4, "p@x", "one", references: ["p@x", "q@x"], inReplyTo: "q@x"),
            Patch(5, "q@x", "two", references: ["p@x"], inReplyTo: "p@x"));

        r.Threads.Parents.Should().Equal(-1, 2, 0, -1, -1, 4);
        r.Threads.Roots.Should().Equal(0, 3, 4);
        diagnostics.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0604", 3000), ("KP0604", 0), ("KP0604", 4000));
        r.DecisionsFor(0).Should().Contain(d => d.Reason.Contains("cycle"));
    }

    [Fact]
    public void Random_threads_assemble_without_throwing_and_every_message_reaches_a_root()
    {
        const int seed = 20240309;
        _output.WriteLine("seed " + seed.ToString(CultureInfo.InvariantCulture));
        var random = new Random(seed);
        for (int round = 0; round < 50; round++)
        {
            int count = random.Next(1, 200);
            var messages = new SeriesMessageInfo[count];
            for (int i = 0; i < count; i++)
            {
                string? id = random.Next(10) == 0 ? null : Id(random.Next(count + 5));
                string? parentId = random.Next(4) == 0 ? null : Id(random.Next(count + 5));
                var refs = new string[random.Next(4)];
                for (int k = 0; k < refs.Length; k++)
                {
                    refs[k] = Id(random.Next(count + 5));
                }

                int? total = random.Next(3) == 0 ? null : random.Next(0, 6);
                messages[i] = random.Next(3) == 0
                    ? Reply(i, id, parentId, "Acked-by: A <a@x.org>\n> Reviewed-by: B <b@x.org>\n", from: "a@x.org") with { References = [.. refs] }
                    : Patch(i, id, "t" + random.Next(5).ToString(CultureInfo.InvariantCulture), total is null ? null : random.Next(0, 7), total,
                        v: random.Next(3) == 0 ? random.Next(1, 4) : null, inReplyTo: parentId, references: refs, minutes: random.Next(0, 1000), changeId: random.Next(5) == 0 ? "cid" : null);
            }

            var r = Assemble(messages);
            for (int i = 0; i < count; i++)
            {
                int root = r.Threads.ThreadRoots[i];
                root.Should().BeGreaterThanOrEqualTo(0);
                r.Threads.Parents[root].Should().Be(-1);
            }

            int placed = 0;
            foreach (var s in r.Series)
            {
                // A partial re-roll also shows the patches (and cover letter) it took from the revision before it:
                // count only what each series placed of its own (a message's SeriesOf is the series it was posted in).
                placed += s.PresentPatches().Count(p => r.SeriesOf[p] == s.Id) + s.Extra.Length + (s.CoverIndex is int c && r.SeriesOf[c] == s.Id ? 1 : 0);
            }

            placed.Should().Be(r.Roles.Count(role => role is SeriesMessageRole.Patch or SeriesMessageRole.Cover));
            r.Submissions.Sum(x => x.Revisions.Length).Should().Be(r.Series.Length);
        }
    }

    [Fact]
    public void Every_prefix_of_a_thread_assembles()
    {
        var all = new List<SeriesMessageInfo>
        {
            Patch(0, "c@x", "Add foo", 0, 3),
            Patch(1, "p1@x", "one", 1, 3, inReplyTo: "c@x"),
            Reply(2, "r@x", "p1@x", "Reviewed-by: Rev Iewer <rev@example.org>\n"),
            Patch(3, "p2@x", "two", 2, 3, inReplyTo: "c@x"),
            Patch(4, "p3@x", "three", 3, 3, inReplyTo: "c@x"),
            Reply(5, "r2@x", "c@x", "Acked-by: Rev Iewer <rev@example.org>\n"),
        };

        for (int length = 0; length <= all.Count; length++)
        {
            var r = SeriesAssembler.Assemble(all.GetRange(0, length), new KernelPatch.Text.DiagnosticBag());
            r.Series.Length.Should().Be(length == 0 ? 0 : 1);
            if (length > 0)
            {
                r.Series[0].Missing.Should().Equal(new[] { 1, 2, 3 }.Where(p => p switch { 1 => length < 2, 2 => length < 4, _ => length < 5 }));
            }
        }
    }

    [Fact]
    public void Strict_mode_does_not_throw_on_series_warnings()
    {
        var bag = new KernelPatch.Text.DiagnosticBag(PatchParseOptions.Strict);
        var r = SeriesAssembler.Assemble([Patch(0, "a@x", "one", 1, 5, inReplyTo: "gone@x")], bag);
        r.Series[0].Missing.Should().Equal(2, 3, 4, 5);
        bag.ToImmutableAndClear().Select(d => d.Code).Should().Equal("KP0603", "KP0607");
    }
}
