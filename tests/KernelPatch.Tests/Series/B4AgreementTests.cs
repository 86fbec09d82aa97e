using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;
using static KernelPatch.Tests.Series.PartialRerollTests;

namespace KernelPatch.Tests.Series;

/// <summary>
/// Asks b4 itself, when it is installed (<c>apt-get install b4</c>; a fresh machine has none and the test says so):
/// for each thread, the patches <c>b4 am</c> writes — their titles and whole trailer blocks, follow-up trailers
/// included — must be the newest series' patches with <see cref="SeriesPatch.Trailers"/> and
/// <see cref="SeriesPatch.FollowUpTrailers"/>. The same threads' expected values are asserted without b4 in
/// <see cref="PartialRerollTests"/>.
/// </summary>
public sealed class B4AgreementTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kernelpatch-b4-" + Guid.NewGuid().ToString("N"));

    public B4AgreementTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_root);
        // No network (attestation off), no user configuration, nothing written outside the folder.
        File.WriteAllText(Path.Combine(_root, "gitconfig"), "[user]\n\tname = Dev Eloper\n\temail = dev@example.org\n[b4]\n\tattestation-policy = off\n");
    }

    public static TheoryData<string, string> Threads => new()
    {
        { "partial re-roll", PartialV2() },
        { "a reply to a reply", ReplyToReply() },
        {
            "re-roll of a re-roll", PartialV2()
                + PartialRerollTests.Mail("s3@x", "[PATCH v3 3/3] thing: part 3, fixed", 4, "p3@x", ["c1@x", "p3@x"])
        },
        { "not a counterpart", V1() + PartialRerollTests.Mail("q2@x", "[PATCH v2 2/3] thing: part 2", 3, "p1@x", ["c1@x", "p1@x"]) },
        {
            "carried-over review", V1()
                + PartialRerollTests.Mail("c2@x", "[PATCH v2 0/3] thing: do it", 3, "c1@x", ["c1@x"], "Cover v2.\n", diff: false)
                + PartialRerollTests.Mail("p1@x2", "[PATCH v2 1/3] thing: part 1", 3, "c2@x", ["c1@x", "c2@x"])
                + PartialRerollTests.Mail("q2@x", "[PATCH v2 2/3] thing: part 2", 3, "c2@x", ["c1@x", "c2@x"])
                + PartialRerollTests.Mail("p3@x2", "[PATCH v2 3/3] thing: part 3", 3, "c2@x", ["c1@x", "c2@x"])
                + PartialRerollTests.Mail("t1@x", "Re: [PATCH v2 1/3] thing: part 1", 4, "p1@x2", ["c1@x", "c2@x", "p1@x2"], "> One.\n\nTested-by: Test <test@x.org>\n", diff: false, from: "Test <test@x.org>")
        },
    };

    [Theory]
    [MemberData(nameof(Threads))]
    public void Kernelpatch_writes_the_patches_and_trailers_b4_am_writes(string name, string mbox)
    {
        var newest = PatchMailbox.Parse(mbox).Submissions.Single().Newest;
        var ours = newest.Patches.Select(p => (p.Message.Title,
            string.Join(" | ", p.Trailers.Select(t => t.Key + ": " + t.Value).Concat(p.FollowUpTrailers.Select(t => t.ToString()))))).ToList();

        string anchor = (newest.CoverLetter ?? newest.Patches[0].Message).MessageId!;
        var b4 = RunB4(mbox, anchor);
        if (b4 is null)
        {
            _output.WriteLine("b4 is not installed: skipped (" + name + ")");
            return;
        }

        b4.Should().Equal(ours, "b4 am on the thread of <{0}> ({1})", anchor, name);
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void Kernelpatch_am_with_links_writes_what_b4_am_l_writes(string name, string mbox)
    {
        var newest = PatchMailbox.Parse(mbox).Submissions.Single().Newest;
        using var written = new MemoryStream();
        newest.WriteAmMbox(written, new AmMboxOptions { AddLink = true });
        var ours = Describe(PatchMailbox.Parse(written.ToArray()).Messages);

        string anchor = (newest.CoverLetter ?? newest.Patches[0].Message).MessageId!;
        var b4 = RunB4(mbox, anchor, "-l");
        if (b4 is null)
        {
            _output.WriteLine("b4 is not installed: skipped (" + name + ")");
            return;
        }

        b4.Should().Equal(ours, "b4 am -l on the thread of <{0}> ({1})", anchor, name);
    }

    [Theory]
    [InlineData("Dev", "dev@x.org", false)] // git's user signed the patches: the sign-off moves to the bottom
    [InlineData("Dev", "dev@x.org", true)]
    [InlineData("Main Tainer", "maint@example.org", true)] // b4 am -s: a maintainer's sign-off is added
    public void Kernelpatch_am_signs_off_where_b4_am_does(string name, string email, bool addSignOff)
    {
        // (Not with a reply in which the applier signs off: b4 0.12 then writes the sign-off twice, where it was and at
        // the bottom; KernelPatch writes it once, at the bottom. See PartialRerollTests.)
        string mbox = PartialV2();
        var newest = PatchMailbox.Parse(mbox).Submissions.Single().Newest;
        using var written = new MemoryStream();
        newest.WriteAmMbox(written, new AmMboxOptions { Identity = new KernelPatch.Mail.MailIdentity(name, email), AddSignOff = addSignOff, AddLink = true });
        var ours = Describe(PatchMailbox.Parse(written.ToArray()).Messages);

        File.WriteAllText(Path.Combine(_root, "gitconfig"), $"[user]\n\tname = {name}\n\temail = {email}\n[b4]\n\tattestation-policy = off\n");
        string anchor = (newest.CoverLetter ?? newest.Patches[0].Message).MessageId!;
        var b4 = addSignOff ? RunB4(mbox, anchor, "-l", "-s") : RunB4(mbox, anchor, "-l");
        if (b4 is null)
        {
            _output.WriteLine("b4 is not installed: skipped");
            return;
        }

        b4.Should().Equal(ours, "b4 am -l{0} as {1} <{2}>", addSignOff ? " -s" : "", name, email);
    }

    [Fact]
    public void A_lore_mbox_piped_to_b4_am_gives_the_commit_message_kernelpatch_reads()
    {
        // public-inbox's separator and mboxrd quoting: b4 splits piped mail with git mailsplit --mboxrd, and
        // KernelPatch detects the flavour from the separator, so both unquote one '>'.
        const string thread =
            "From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Dev Eloper <dev@example.org>\nDate: Mon, 9 Mar 2020 10:24:07 -0400\n" +
            "Subject: [PATCH] docs: say how mbox quotes\nMessage-ID: <q1@x>\n\nExplain the rule.\n\n" +
            ">From the start of a line, writers quote.\n>>From a quoted line, once more.\n\n" +
            "Signed-off-by: Dev Eloper <dev@example.org>\n---\ndiff --git a/doc b/doc\n--- a/doc\n+++ b/doc\n@@ -1 +1 @@\n-old\n+new\n";
        string ours = PatchMailbox.Parse(thread).Messages.Single().Commit!.Body;
        ours.Should().Contain("\nFrom the start of a line, writers quote.\n>From a quoted line, once more.\n");

        string? written = RunB4Am(thread, "q1@x", stdin: true);
        if (written is null)
        {
            _output.WriteLine("b4 is not installed: skipped");
            return;
        }

        PatchMailbox.Parse(written).Messages.Single().Commit!.Body.Should().Be(ours);
    }

    private static List<(string Title, string Trailers)> Describe(IEnumerable<PatchMessage> messages) =>
        messages.Select(m => (m.Title, string.Join(" | ", m.Trailers.Select(t => t.Key + ": " + t.Value)))).ToList();

    private List<(string Title, string Trailers)>? RunB4(string mbox, string msgid, params string[] extra) =>
        RunB4Am(mbox, msgid, stdin: false, extra) is string written ? Describe(PatchMailbox.Parse(written).Messages) : null;

    // Runs b4 am on the thread of msgid, the mailbox given as a file or (stdin) piped in, and returns the mbox it wrote;
    // null when b4 is not installed.
    private string? RunB4Am(string mbox, string msgid, bool stdin, params string[] extra)
    {
        string input = Path.Combine(_root, "in.mbox");
        string outDir = Path.Combine(_root, "out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        File.WriteAllText(input, mbox);
        var start = new ProcessStartInfo("b4") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin, UseShellExecute = false };
        foreach (string a in (string[])["--offline-mode", "am", "-t", .. extra, "-m", stdin ? "-" : input, "-o", outDir, msgid])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["HOME"] = _root;
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(_root, "cache");
        start.Environment["GIT_CONFIG_GLOBAL"] = Path.Combine(_root, "gitconfig");
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        try
        {
            using var process = Process.Start(start)!;
            if (stdin)
            {
                process.StandardInput.Write(mbox);
                process.StandardInput.Close();
            }

            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _output.WriteLine(error.Result);
            process.ExitCode.Should().Be(0);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        return File.ReadAllText(Directory.GetFiles(outDir, "*.mbx").Should().ContainSingle().Subject, Encoding.UTF8);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Two patches. On 1/2 a reviewer writes someone else's Reviewed-by (not taken on its own: b4 takes a person's own
    /// trailers only), and another reviewer answers that reply with a Tested-by of his own: b4 then climbs from the
    /// answer to the patch and takes every trailer of the reply in between, the borrowed Reviewed-by included. On 2/2
    /// the same borrowed trailer stays out, no reply below it having trailers.
    /// </summary>
    internal static string ReplyToReply() =>
        PartialRerollTests.Mail("p1@x", "[PATCH 1/2] thing: part 1", 1, null, [])
        + PartialRerollTests.Mail("p2@x", "[PATCH 2/2] thing: part 2", 1, "p1@x", ["p1@x"])
        + PartialRerollTests.Mail("r1@x", "Re: [PATCH 1/2] thing: part 1", 2, "p1@x", ["p1@x"], "> One.\n\nReviewed-by: Rev One <r1@x.org>\nAcked-by: Ann Acker <ack@x.org>\n", diff: false, from: "Ann Acker <ack@x.org>")
        + PartialRerollTests.Mail("r2@x", "Re: Re: [PATCH 1/2] thing: part 1", 3, "r1@x", ["p1@x", "r1@x"], "Tested-by: Tess Ter <t@x.org>\n", diff: false, from: "Tess Ter <t@x.org>")
        + PartialRerollTests.Mail("r3@x", "Re: [PATCH 2/2] thing: part 2", 2, "p2@x", ["p1@x", "p2@x"], "Reviewed-by: Rev One <r1@x.org>\n", diff: false, from: "Ann Acker <ack@x.org>");
}
