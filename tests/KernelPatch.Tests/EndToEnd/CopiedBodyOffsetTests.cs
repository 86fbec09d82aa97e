using System.Text;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// A message parsed from a copy of its bytes (a decoded MIME body, an unquoted mboxrd message) reports its diagnostics
/// at positions in the input: where the copy starts plus the position in the copy, not the position in the copy alone.
/// </summary>
public class CopiedBodyOffsetTests
{
    private const string Patch = "Fix.\n\nSigned-off-by: A <a@b.org>\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,3 @@\n-a\n+b\n";

    [Fact]
    public void A_base64_body_reports_the_corrupt_hunk_inside_the_body()
    {
        // The hunk promises 3 new lines and has 1: git apply's "corrupt patch", reported at the end of the diff.
        string head = "From: A <a@b.org>\nSubject: [PATCH] x\nDate: Mon, 9 Mar 2020 10:24:07 +0100\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n";
        string mail = head + Convert.ToBase64String(Encoding.UTF8.GetBytes(Patch), Base64FormattingOptions.InsertLineBreaks) + "\n";

        var message = PatchMessage.Parse(mail);
        message.Mail!.IsBodyDecoded.Should().BeTrue();
        var corrupt = message.Diagnostics.Should().ContainSingle(d => d.Code == "KP0501").Subject;
        corrupt.Offset.Should().Be(head.Length + Patch.Length, "the body's start plus the end of the decoded diff (before, the position in the decoded patch alone)");

        FluentActions.Invoking(() => PatchMessage.Parse(mail, PatchParseOptions.Strict)).Should().Throw<PatchFormatException>()
            .Which.Diagnostic.Offset.Should().Be(head.Length + Patch.Length, "strict mode points at the same place");
    }

    [Fact]
    public void An_unquoted_mboxrd_message_reports_from_the_input_s_start()
    {
        // The second message has a quoted ">From" line (one '>' is removed) and the same corrupt hunk.
        string first = "From a@b Mon Sep 17 00:00:00 2001\nFrom: A <a@b.org>\nSubject: [PATCH 1/2] a\n\nFine.\n\n";
        string second = "From a@b Mon Sep 17 00:00:00 2001\nFrom: A <a@b.org>\nSubject: [PATCH 2/2] b\n\n>From the start, quoted.\n\n" + Patch;
        var box = PatchMailbox.Parse(first + second, new PatchParseOptions { Format = PatchInputFormat.Mboxrd });

        var message = box.Messages[1];
        message.Commit!.Body.Should().StartWith("From the start, quoted.");
        var corrupt = message.Diagnostics.Should().ContainSingle(d => d.Code == "KP0501").Subject;
        corrupt.Offset.Should().Be(first.Length + second.Length - 1, "the end of the diff in the input, less the one '>' removed before it");
    }
}
