using System.Collections.Immutable;
using KernelPatch.Series;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

public class FollowUpTrailerTests
{
    [Theory]
    // plain person trailer
    [InlineData("Looks good.\n\nReviewed-by: Rev Iewer <rev@example.org>\n", "Reviewed-by: Rev Iewer <rev@example.org>")]
    // quoted trailers are the patch's own, never follow-ups
    [InlineData("> Signed-off-by: Dev <dev@example.org>\n> Acked-by: X <x@example.org>\nThanks\n", "")]
    // below the reply's signature marker
    [InlineData("Nice.\n-- \nTested-by: Bot <bot@example.org>\n", "")]
    // CRLF and leading blanks are fine; the "# comment" stays in the value, as b4 0.12's am writes it back (b4 reads the
    // person without it: its "extinfo")
    [InlineData("  Acked-by: Rev Iewer <rev@example.org> # for the arm64 bits\r\n", "Acked-by: Rev Iewer <rev@example.org> # for the arm64 bits")]
    // prose with a colon is not a trailer
    [InlineData("Note: this breaks the build on arm\n", "")]
    // a non-person trailer known to b4
    [InlineData("Fixes: 0123456789ab (\"foo: bar\")\n", "Fixes: 0123456789ab (\"foo: bar\")")]
    // link trailers take URLs, others do not
    [InlineData("Link: https://lore.kernel.org/r/123@x\nReviewed-by: https://example.org/rev@x.org\n", "Link: https://lore.kernel.org/r/123@x")]
    // Cc and From are mail headers for b4, not follow-up trailers
    [InlineData("Cc: stable@vger.kernel.org\nFrom: Rev Iewer <rev@example.org>\n", "")]
    // a bare email, a quoted display name and a bracketed address: the value as written, as b4 0.12's am writes it
    [InlineData("Tested-by: rev@example.org\nReported-by: \"Rev Iewer\" <rev@example.org>\nAcked-by: <rev@example.org>\n", "Tested-by: rev@example.org|Reported-by: \"Rev Iewer\" <rev@example.org>|Acked-by: <rev@example.org>")]
    // a person trailer wrapped before its address is joined, as b4 does
    [InlineData("Reviewed-by: Rev Iewer\n  <rev@example.org>\nThanks\n", "Reviewed-by: Rev Iewer <rev@example.org>")]
    // a value that is not one address (text after it, or words before a bare one) is nobody's to b4 0.12 (Python's
    // parseaddr gives no address), so b4 am leaves it out: checked with b4 am on a reply from bob@example.com
    [InlineData("Acked-by: Bob Roe <bob@example.com> thanks\nTested-by: Bob Roe bob@example.com\nReviewed-by: Bob Roe <bob@example.com>\n", "Reviewed-by: Bob Roe <bob@example.com>")]
    public void Reader_takes_the_lines_b4_takes(string body, string expected)
    {
        var taken = FollowUpTrailerReader.Read(body).Where(c => c.Accepted).Select(c => c.Key + ": " + c.Value);
        string.Join("|", taken).Should().Be(expected);
    }

    [Theory]
    // a bracketed line below a trailer stays with it, as written; it takes the place of a "# comment" (b4 keeps one)
    [InlineData("Acked-by: Bob Roe <bob@example.com>\n  [for the arm64 bits]\n", "Bob Roe <bob@example.com>", "  [for the arm64 bits]")]
    [InlineData("Acked-by: Bob Roe <bob@example.com> # v5.10+\n[x]\n", "Bob Roe <bob@example.com>", "[x]")]
    [InlineData("Acked-by: Bob Roe <bob@example.com>\n[a] and [b]\n", "Bob Roe <bob@example.com>", null)]
    [InlineData("Acked-by: Bob Roe\n<bob@example.com>\n[for the foo bits]\n", "Bob Roe <bob@example.com>", "[for the foo bits]")]
    public void A_bracketed_note_below_a_trailer_is_kept_with_it(string body, string value, string? note)
    {
        var c = FollowUpTrailerReader.Read(body).Should().ContainSingle().Subject;
        (c.Value, c.Note, c.Accepted).Should().Be((value, note, true));
        FollowUpTrailerReader.Read(FollowUpTrailerReader.CandidateText(System.Text.Encoding.UTF8.GetBytes(body))).Should().Equal(c);
    }

    [Fact]
    public void Am_writes_the_note_below_the_trailer_as_b4_am_does()
    {
        // b4 am 0.12 on this thread writes "Acked-by: Bob Roe <bob@example.com>" and "[for the arm64 bits]" below it
        string mbox = PatchAndReply("Re: [PATCH] lib: fix b", "Acked-by: Bob Roe <bob@example.com> # v5.10+\n[for the arm64 bits]\n");
        var series = PatchSeries.Parse(System.Text.Encoding.UTF8.GetBytes(mbox));
        var trailer = series.Patches.Should().ContainSingle().Which.FollowUpTrailers.Should().ContainSingle().Subject;
        trailer.ToString().Should().Be("Acked-by: Bob Roe <bob@example.com>\n[for the arm64 bits]");
        using var am = new MemoryStream();
        series.WriteAmMbox(am).Should().Be(1);
        System.Text.Encoding.UTF8.GetString(am.ToArray()).Should().Contain(
            "Signed-off-by: Jane Doe <jane@example.org>\nAcked-by: Bob Roe <bob@example.com>\n[for the arm64 bits]\n---\n");
    }

    [Theory]
    [InlineData("[PATCH] lib: fix b", true)]
    [InlineData("[PATCH 1/1] lib: fix b", true)]
    [InlineData("[PATCH] lib: fix b", false)]
    public void A_reply_whose_client_dropped_the_Re_is_a_reply_when_it_holds_a_trailer(string subject, bool withTrailer)
    {
        // b4 am 0.12 on the first thread: "a follow-up missing a Re: but containing a trailer with no patch diff" is a
        // reply, and its Acked-by goes to the patch; the second message is not a v1 patch of its own. Without a trailer it
        // stays a patch-like message (b4 has no reason to call it a reply either).
        string mbox = PatchAndReply(subject, withTrailer ? "Acked-by: Bob Roe <bob@example.com>\n" : "Looks good.\n");
        var box = PatchMailbox.Parse(System.Text.Encoding.UTF8.GetBytes(mbox));
        (box.Messages[1].Kind == KernelPatch.Commit.MessageKind.Reply).Should().Be(withTrailer, "the JSON kind says the same as the series role");
        if (withTrailer)
        {
            var series = box.Series.Should().ContainSingle().Subject;
            series.Replies.Select(r => r.Index).Should().Equal(1);
            series.Patches.Should().ContainSingle().Which.FollowUpTrailers.Select(t => t.ToString()).Should().Equal("Acked-by: Bob Roe <bob@example.com>");
        }
        else
        {
            box.Series.SelectMany(s => s.Replies).Select(r => r.Index).Should().NotContain(1);
        }
    }

    [Fact]
    public void A_value_that_is_not_one_address_is_reported_not_taken()
    {
        var candidates = FollowUpTrailerReader.Read("Acked-by: Bob Roe <bob@example.com> thanks\n");
        var c = candidates.Should().ContainSingle().Subject;
        (c.Key, c.Value, c.Accepted).Should().Be(("Acked-by", "Bob Roe <bob@example.com> thanks", false));
        c.RejectReason.Should().Contain("not one address");
    }

    [Fact]
    public void The_byte_gate_never_hides_a_trailer_the_reader_would_take()
    {
        // Property: whenever the reader accepts a trailer, the cheap byte gate said "maybe".
        // Bodies are built from trailer-ish and prose fragments with a fixed seed.
        string[] pieces =
        [
            "Reviewed-by: Rev Iewer <rev@example.org>", "> Acked-by: X <x@example.org>", "-- ", "Note: prose here",
            "Fixes: 0123456789ab (\"foo: bar\")", "Link: https://lore.kernel.org/r/1@x", "Cc: stable@vger.kernel.org",
            "  Tested-by: rev@example.org", "Thanks!", "On Mon, Rev wrote:", "Reviewed-by: Rev Iewer", "  <rev@example.org>",
            "Réviewed-by: Ünïcode <u@example.org>", "Key:value", "a: b", "", "\tAcked-by:\tA <a@b.c>",
        ];
        var random = new Random(20261123);
        int accepted = 0;
        for (int round = 0; round < 2000; round++)
        {
            var sb = new System.Text.StringBuilder();
            int lines = random.Next(1, 8);
            for (int k = 0; k < lines; k++)
            {
                sb.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(4) == 0 ? "\r\n" : "\n");
            }

            string body = sb.ToString();
            var whole = FollowUpTrailerReader.Read(body);
            bool takes = whole.Any(c => c.Accepted);
            accepted += takes ? 1 : 0;

            // The reader finds the same candidates, in order, in the decoded candidate lines alone.
            FollowUpTrailerReader.Read(FollowUpTrailerReader.CandidateText(System.Text.Encoding.UTF8.GetBytes(body)))
                .Should().Equal(whole, "seed 20261123, round {0}: {1}", round, body);
            if (takes)
            {
                FollowUpTrailerReader.MayContainTrailers(System.Text.Encoding.UTF8.GetBytes(body)).Should().BeTrue("seed 20261123, round {0}: {1}", round, body);
            }
        }

        accepted.Should().BeGreaterThan(100);
        FollowUpTrailerReader.MayContainTrailers("Looks good to me, thanks.\n\n> Signed-off-by: A <a@b.c>\n"u8).Should().BeFalse();
        FollowUpTrailerReader.MayContainTrailers("Thanks.\n-- \nReviewed-by: A <a@b.c>\n"u8).Should().BeFalse();
    }

    [Fact]
    public void Long_replies_give_the_same_candidates_and_the_search_stops_at_the_walks_line()
    {
        // Long bodies of prose (no ": ", no "-- ") so the vectorised search runs across many blocks between candidates.
        string[] pieces =
        [
            "Reviewed-by: Rev Iewer <rev@example.org>", "> Acked-by: X <x@example.org>", "-- ", "--", "-- x", "Note: prose here",
            "  Tested-by: rev@example.org", "Reviewed-by: Rev Iewer", "  <rev@example.org>", "[mentor: a note]", "Key:value",
            "a:\tb", "time 10:30 today", "\tAcked-by:\tA <a@b.c>", "Acked-by: Someone Else <else@example.org>", "",
        ];
        var random = new Random(20261125);
        int found = 0;
        for (int round = 0; round < 1500; round++)
        {
            var sb = new System.Text.StringBuilder();
            int lines = random.Next(1, 60);
            for (int k = 0; k < lines; k++)
            {
                sb.Append(random.Next(6) == 0 ? pieces[random.Next(pieces.Length)] : "we should look at this again " + new string('z', random.Next(0, 50)));
                sb.Append(random.Next(8) == 0 ? "\r\n" : "\n");
            }

            if (random.Next(4) == 0)
            {
                sb.Length--; // no line end at the end
            }

            string body = sb.ToString();
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(body);
            var whole = FollowUpTrailerReader.Read(body);
            found += whole.Count;
            FollowUpTrailerReader.Read(FollowUpTrailerReader.CandidateText(bytes)).Should().Equal(whole, "round {0}: {1}", round, body);
            for (int pos = 0; pos < bytes.Length; pos = Array.IndexOf(bytes, (byte)'\n', pos) is int nl and >= 0 ? nl + 1 : bytes.Length)
            {
                (pos + FollowUpTrailerReader.NextLineToRead(bytes.AsSpan(pos))).Should().Be(LineToRead(bytes, pos), "from {0} in round {1}: {2}", pos, round, body);
            }
        }

        found.Should().BeGreaterThan(1000);
    }

    // The first line at or after pos with ':' then a blank, or starting with "-- ", walked line by line.
    private static int LineToRead(byte[] b, int pos)
    {
        while (pos < b.Length)
        {
            int nl = Array.IndexOf(b, (byte)'\n', pos);
            var line = b.AsSpan(pos, (nl < 0 ? b.Length : nl) - pos);
            if (line.StartsWith("-- "u8) || line.IndexOf(": "u8) >= 0 || line.IndexOf(":\t"u8) >= 0)
            {
                return pos;
            }

            pos = nl < 0 ? b.Length : nl + 1;
        }

        return b.Length;
    }

    private static SeriesMessageInfo[] Thread() =>
    [
        Patch(0, "c@x", "Add foo", 0, 3),
        Patch(1, "p1@x", "foo: one", 1, 3, inReplyTo: "c@x", trailers: [("Signed-off-by", "Dev Eloper <dev@example.org>")]),
        Patch(2, "p2@x", "foo: two", 2, 3, inReplyTo: "c@x", trailers: [("Signed-off-by", "Dev Eloper <dev@example.org>"), ("Acked-by", "Ack Er <ack@example.org>")]),
        Patch(3, "p3@x", "foo: three", 3, 3, inReplyTo: "c@x"),
        Reply(4, "r1@x", "p2@x", "> Acked-by: Quoted <q@example.org>\nLooks right.\n\nReviewed-by: Rev Iewer <rev@example.org>\n-- \nTested-by: Rev Iewer <rev@example.org>\n"),
        Reply(5, "r2@x", "c@x", "For the series:\nAcked-by: Ack Er <ack@example.org>\n", from: "ack@example.org", name: "Ack Er"),
        Reply(6, "r3@x", "r1@x", "Tested-by: Someone Else <else@example.org>\n", from: "bot@example.org", name: "Bot"),
        Reply(7, "r4@x", "r2@x", "+1\nTested-by: Test Er <test@example.org>\n", from: "test@example.org", name: "Test Er"),
    ];

    [Fact]
    public void Trailers_on_a_patch_apply_to_it_and_on_the_cover_letter_to_every_patch()
    {
        var r = Assemble(Thread());
        var s = r.Series.Should().ContainSingle().Subject;
        s.Replies.Should().Equal(4, 5, 6, 7);
        r.ReplyTo.Should().Equal(-1, -1, -1, -1, 2, 0, 4, 5);
        s.FollowUpTrailers.Select(t => (t.ToString(), t.FromReplyIndex, t.TargetIndex, string.Join(",", t.AppliesTo))).Should().Equal(
            ("Reviewed-by: Rev Iewer <rev@example.org>", 4, 2, "2"),
            ("Acked-by: Ack Er <ack@example.org>", 5, 0, "1,2,3"),
            ("Tested-by: Test Er <test@example.org>", 7, 0, "1,2,3"));
        s.FollowUpTrailers[0].PersonName.Should().Be("Rev Iewer");
        s.FollowUpTrailers[0].PersonEmail.Should().Be("rev@example.org");

        // The bot's Tested-by names someone else: b4 does not take it.
        r.DecisionsFor(6).Should().ContainSingle(d => d.Kind == SeriesDecisionKind.TrailerIgnored && d.Reason.Contains("sent by bot@example.org"));
        r.DecisionsFor(5).Should().Contain(d => d.Kind == SeriesDecisionKind.FollowUpTrailer && d.Reason.Contains("every patch of series 0 (3 present)"));
        r.DecisionsFor(4).Should().Contain(d => d.Kind == SeriesDecisionKind.FollowUpTrailer && d.Reason.Contains("reply to patch 2 (message #2)"));
    }

    [Fact]
    public void Trailers_to_add_put_the_patch_own_first_then_the_cover_ones_without_duplicates()
    {
        var messages = Thread();
        var r = Assemble(messages);
        string Added(int i) => string.Join(" | ", r.TrailersToAdd(i, messages[i].Trailers).Select(t => t.ToString()));

        Added(1).Should().Be("Acked-by: Ack Er <ack@example.org> | Tested-by: Test Er <test@example.org>");
        // patch 2 already carries the Acked-by
        Added(2).Should().Be("Reviewed-by: Rev Iewer <rev@example.org> | Tested-by: Test Er <test@example.org>");
        Added(3).Should().Be("Acked-by: Ack Er <ack@example.org> | Tested-by: Test Er <test@example.org>");
        Added(0).Should().BeEmpty(); // the cover letter is no patch
        Added(4).Should().BeEmpty();
    }

    [Fact]
    public void A_trailer_already_in_the_patch_is_matched_without_blanks_or_case_and_nothing_is_built_for_a_patch_that_gets_none()
    {
        var messages = Thread();
        var r = Assemble(messages);

        // Patch 3 written with "acked-by :  ACK ER <ack@example.org> " gets only the Tested-by: the same pair once
        // trimmed and compared ignoring case, as b4 dedupes.
        var sloppy = messages[3].Trailers.Add(Trailer("acked-by ", " ACK ER <ACK@example.org> "));
        string.Join(" | ", r.TrailersToAdd(3, sloppy).Select(t => t.ToString())).Should().Be("Tested-by: Test Er <test@example.org>");

        // A reply gets none, and asking costs nothing: no set of pairs, no builder.
        r.TrailersToAdd(4, messages[4].Trailers).Should().BeEmpty();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var none = r.TrailersToAdd(4, messages[4].Trailers);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        none.Should().BeEmpty();
    }

    [Fact]
    public void Follow_up_trailers_compare_by_value_including_the_patches_they_apply_to()
    {
        var a = new FollowUpTrailer { Key = "Acked-by", Value = "A <a@x.org>", FromReplyIndex = 5, TargetIndex = 0, AppliesTo = [1, 2, 3] };
        var b = a with { AppliesTo = [1, 2, 3] };
        b.Should().Be(a);
        b.GetHashCode().Should().Be(a.GetHashCode());
        (a with { AppliesTo = [1, 2] }).Should().NotBe(a);
        a.ToString().Should().Be("Acked-by: A <a@x.org>");
    }

    [Fact]
    public void A_reply_with_trailers_below_another_reply_brings_that_reply_s_borrowed_trailers_as_b4_does()
    {
        var series = PatchMailbox.Parse(B4AgreementTests.ReplyToReply()).Submissions.Single().Newest;
        series.Patches.Select(p => string.Join(" | ", p.FollowUpTrailers.Select(t => t.Key + ": " + t.Value))).Should().Equal(
            "Acked-by: Ann Acker <ack@x.org> | Tested-by: Tess Ter <t@x.org> | Reviewed-by: Rev One <r1@x.org>",
            "");
        var borrowed = series.Patches[0].FollowUpTrailers[2];
        borrowed.FromReplyIndex.Should().Be(2, "the Reviewed-by was written in the first reply");

        // The decision log says why the borrowed trailer was taken on 1/2 and not on 2/2.
        var decisions = PatchMailbox.Parse(B4AgreementTests.ReplyToReply()).Decisions;
        decisions.Where(d => d.MessageIndex == 2 && d.Kind == SeriesDecisionKind.FollowUpTrailer && d.Reason.Contains("Rev One", StringComparison.Ordinal))
            .Select(d => d.Reason).Should().Equal(
                "\"Reviewed-by: Rev One <r1@x.org>\" is a follow-up trailer: it was written in reply to patch 1 (message #0), so it applies to that patch; it names someone other than the reply's sender, but message #3 replies below this one with trailers of its own, and b4 then takes every trailer of the replies in between");
        decisions.Should().Contain(d => d.MessageIndex == 4 && d.Kind == SeriesDecisionKind.TrailerIgnored
            && d.Reason.Contains("b4 takes only a person's own trailers", StringComparison.Ordinal));
    }

    [Fact]
    public void A_follow_up_trailer_the_patch_already_has_is_not_added_again()
    {
        // The patch carries Bob's Reviewed-by (key and address cased otherwise); his reply repeats it and adds a Tested-by.
        const string mbox =
            "From x Mon Sep 17 00:00:00 2001\nFrom: Jane Doe <jane@example.org>\nSubject: [PATCH] lib: fix b\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n" +
            "Message-ID: <p1@example.org>\n\nFix b.\n\nreviewed-by: Bob Roe <BOB@example.com>\nSigned-off-by: Jane Doe <jane@example.org>\n" +
            "---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n" +
            "From x Mon Sep 17 00:00:00 2001\nFrom: Bob Roe <bob@example.com>\nSubject: Re: [PATCH] lib: fix b\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n" +
            "Message-ID: <r1@example.com>\nIn-Reply-To: <p1@example.org>\n\nReviewed-by: Bob Roe <bob@example.com>\nTested-by: Bob Roe <bob@example.com>\n";
        var box = PatchMailbox.Parse(System.Text.Encoding.UTF8.GetBytes(mbox));
        var patch = box.Series.Should().ContainSingle().Subject.Patches.Should().ContainSingle().Subject;
        patch.FollowUpTrailers.Select(t => t.ToString()).Should().Equal("Tested-by: Bob Roe <bob@example.com>");
        box.Decisions.Count(d => d.Kind == SeriesDecisionKind.FollowUpTrailer).Should().Be(2, "both are follow-up trailers of the reply; the patch's own copy is what leaves one out");
    }

    // Jane's one-patch series and Bob's reply to it (bob@example.com), with the reply's subject and body given.
    private static string PatchAndReply(string replySubject, string replyBody) =>
        "From x Mon Sep 17 00:00:00 2001\nFrom: Jane Doe <jane@example.org>\nSubject: [PATCH] lib: fix b\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n" +
        "Message-ID: <p1@example.org>\n\nFix b.\n\nSigned-off-by: Jane Doe <jane@example.org>\n---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n" +
        "From x Mon Sep 17 00:00:00 2001\nFrom: Bob Roe <bob@example.com>\nSubject: " + replySubject + "\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n" +
        "Message-ID: <r1@example.com>\nIn-Reply-To: <p1@example.org>\n\n" + replyBody;
}
