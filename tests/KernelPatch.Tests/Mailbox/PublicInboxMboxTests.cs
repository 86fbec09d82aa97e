using System.Text;
using KernelPatch.Mailbox;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// public-inbox archives (lore.kernel.org) serve threads as mboxrd, every message under the line
/// <c>From mboxrd@z Thu Jan  1 00:00:00 1970</c>; b4 splits them with <c>git mailsplit --mboxrd</c>. Auto-detection reads
/// such an input as mboxrd, so a body line the archive quoted (<c>&gt;From</c>) comes back as the sender wrote it. Any other
/// <c>From </c> line is still mboxo, as plain <c>git mailsplit</c> reads it.
/// </summary>
public class PublicInboxMboxTests
{
    private const string PublicInboxFrom = "From mboxrd@z Thu Jan  1 00:00:00 1970\n";
    private const string FormatPatchFrom = "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n";

    // Two messages as public-inbox writes them: the sender's "From the ..." line is quoted once, their ">From ..." twice.
    private static string Thread(string separator) =>
        separator +
        "From: Dev Eloper <dev@example.org>\nDate: Mon, 9 Mar 2020 10:24:07 -0400\nSubject: [PATCH] docs: say how mbox quotes\n" +
        "Message-ID: <1@example.org>\n\n" +
        "Explain the rule.\n\n>From the start of a line, writers quote.\n>>From a quoted line, once more.\n\n" +
        "Signed-off-by: Dev Eloper <dev@example.org>\n---\n" +
        "diff --git a/doc b/doc\n--- a/doc\n+++ b/doc\n@@ -1 +1 @@\n-old\n+new\n\n" +
        separator +
        "From: Re Viewer <rev@example.org>\nDate: Tue, 10 Mar 2020 09:00:00 +0000\nSubject: Re: [PATCH] docs: say how mbox quotes\n" +
        "Message-ID: <2@example.org>\nIn-Reply-To: <1@example.org>\nReferences: <1@example.org>\n\n" +
        "> Explain the rule.\n\n>From here it reads well.\n\nReviewed-by: Re Viewer <rev@example.org>\n";

    [Fact]
    public void Public_inbox_separator_means_mboxrd_and_quoted_lines_come_back_as_written()
    {
        byte[] input = Encoding.UTF8.GetBytes(Thread(PublicInboxFrom));
        MailboxSplitter.Detect(input).Should().Be(PatchInputFormat.Mboxrd);

        var mailbox = PatchMailbox.Parse(input);

        mailbox.Format.Should().Be(PatchInputFormat.Mboxrd);
        mailbox.Messages.Should().HaveCount(2);
        mailbox.Messages[0].Commit!.Body.Should().Be("Explain the rule.\n\nFrom the start of a line, writers quote.\n>From a quoted line, once more.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n");
        mailbox.Messages[0].Commit!.Trailers.Should().ContainSingle().Which.Value.Should().Be("Dev Eloper <dev@example.org>");
        mailbox.Messages[0].Diff!.Files.Should().ContainSingle().Which.NewPath.Should().Be("doc");
        Encoding.UTF8.GetString(mailbox.Messages[1].Mail!.Body.Span).Should().Contain("\nFrom here it reads well.\n");
        mailbox.Series.Should().ContainSingle().Which.Patches.Should().ContainSingle()
            .Which.FollowUpTrailers.Should().ContainSingle().Which.Value.Should().Be("Re Viewer <rev@example.org>");

        // streaming reads the same
        using var stream = new MemoryStream(input);
        var streamed = PatchMailbox.Read(stream).ToList();
        streamed.Select(m => m.Commit?.Body).Should().Equal(mailbox.Messages.Select(m => m.Commit?.Body));
        streamed[1].Mail!.Body.ToArray().Should().Equal(mailbox.Messages[1].Mail!.Body.ToArray());
    }

    [Fact]
    public void Any_other_separator_stays_mboxo_and_keeps_the_quotes()
    {
        byte[] input = Encoding.UTF8.GetBytes(Thread(FormatPatchFrom));
        MailboxSplitter.Detect(input).Should().Be(PatchInputFormat.Mbox);

        var mailbox = PatchMailbox.Parse(input);

        mailbox.Format.Should().Be(PatchInputFormat.Mbox);
        mailbox.Messages[0].Commit!.Body.Should().Contain("\n>From the start of a line, writers quote.\n>>From a quoted line, once more.\n");

        // Forcing the flavour still wins over the separator.
        var forced = PatchMailbox.Parse(Encoding.UTF8.GetBytes(Thread(PublicInboxFrom)), PatchParseOptions.Default with { Format = PatchInputFormat.Mbox });
        forced.Messages[0].Commit!.Body.Should().Contain("\n>From the start of a line, writers quote.\n");
    }

    [Fact]
    public void The_bodies_are_the_ones_git_mailsplit_mboxrd_and_mailinfo_give()
    {
        string thread = Thread(PublicInboxFrom);
        var mailbox = PatchMailbox.Parse(Encoding.UTF8.GetBytes(thread));
        using var git = new TestGit();
        if (!git.IsAvailable)
        {
            return; // the expected bodies above are git's; this asks git itself when it is installed
        }

        string dir = Path.Combine(git.Root, "split");
        Directory.CreateDirectory(dir);
        var split = git.TryRun(git.Root, ["mailsplit", "--mboxrd", "-o" + dir], thread);
        split!.Value.ExitCode.Should().Be(0, split.Value.Error);
        split.Value.Output.Trim().Should().Be("2");
        string first = File.ReadAllText(Path.Combine(dir, "0001"));
        var info = git.TryRun(git.Root, ["mailinfo", Path.Combine(git.Root, "msg"), Path.Combine(git.Root, "patch")], first);
        info!.Value.ExitCode.Should().Be(0, info.Value.Error);
        string gitMessage = File.ReadAllText(Path.Combine(git.Root, "msg"));
        gitMessage.Should().Be(mailbox.Messages[0].Commit!.Body);
        File.ReadAllText(Path.Combine(dir, "0002")).Should().Contain("\nFrom here it reads well.\n");
    }
}
