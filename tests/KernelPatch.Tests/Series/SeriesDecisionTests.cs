using KernelPatch.Series;
using Xunit.Abstractions;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

public class SeriesDecisionTests
{
    private readonly ITestOutputHelper _output;

    public SeriesDecisionTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_decision_says_why_in_plain_words()
    {
        var r = Assemble(
            Patch(0, "v1c@x", "Add foo", 0, 2),
            Patch(1, "v1p1@x", "foo: one", 1, 2, inReplyTo: "v1c@x"),
            Patch(2, "v1p2@x", "foo: two", 2, 2, inReplyTo: "v1p1@x"),
            Reply(3, "r@x", "v1c@x", "Acked-by: Rev Iewer <rev@example.org>\n"),
            Patch(4, "v2c@x", "Add foo", 0, 2, v: 2, inReplyTo: "v1c@x", minutes: 900),
            Patch(5, "v2p1@x", "foo: one", 1, 2, v: 2, inReplyTo: "v2c@x", minutes: 901),
            Reply(6, "r2@x", "v2p1@x", "Reviewed-by: Rev Iewer <rev@example.org>\n", minutes: 960));

        foreach (var d in r.Decisions)
        {
            _output.WriteLine(d.ToString());
        }

        r.DecisionsFor(0).Select(d => d.ToString()).Should().Equal(
            "#0 CoverLetter: cover letter of series 0: its subject is numbered 0/2: it is the cover letter of a new series (v1)",
            "#0 Revision: series 0 is revision 1 of 2 (newest first: position 2, v1)");
        r.DecisionsFor(2).Select(d => d.ToString()).Should().Equal(
            "#2 Patch: patch 2 of series 0: it replies (directly or through replies) to patch 1, message #1, of the same version v1",
            "#2 ThreadParent: it replies to message #1");
        r.DecisionsFor(3).Select(d => d.ToString()).Should().Equal(
            "#3 Reply: it answers message #0, the cover letter of series 0",
            "#3 FollowUpTrailer: \"Acked-by: Rev Iewer <rev@example.org>\" is a follow-up trailer: it was written in reply to the cover letter, so it applies to every patch of series 0 (2 present)");
        r.DecisionsFor(6).Select(d => d.ToString()).Should().Equal(
            "#6 Reply: it answers message #5, patch 1 of series 1",
            "#6 FollowUpTrailer: \"Reviewed-by: Rev Iewer <rev@example.org>\" is a follow-up trailer: it was written in reply to patch 1 (message #5), so it applies to that patch");
        r.DecisionsFor(6)[1].RelatedIndex.Should().Be(5);
        r.DecisionsFor(4).Should().Contain(d => d.ToString() == "#4 Revision: series 1 is revision 2 of 2 (newest first: position 1, v2), linked because message #4 replies to message #0 of series 0");
        r.Decisions.Should().OnlyContain(d => d.Reason.Length > 10);
    }

    [Fact]
    public void A_decision_written_on_demand_equals_one_given_its_text()
    {
        var r = Assemble(
            Patch(0, "c@x", "Add foo", 0, 1),
            Patch(1, "p1@x", "foo: one", 1, 1, inReplyTo: "c@x"));
        var assembled = r.DecisionsFor(1).First(d => d.Kind == SeriesDecisionKind.Patch);
        var given = new SeriesDecision(1, SeriesDecisionKind.Patch, assembled.Reason, 0);

        given.Should().Be(assembled);
        given.GetHashCode().Should().Be(assembled.GetHashCode());
        assembled.Reason.Should().Be("patch 1 of series 0: it replies (directly or through replies) to the cover letter, message #0, of the same version v1");
        (assembled with { Reason = "other" }).Should().NotBe(assembled);
        var (index, kind, reason, related) = assembled;
        (index, kind, reason, related).Should().Be((1, SeriesDecisionKind.Patch, assembled.Reason, (int?)0));
    }
}
