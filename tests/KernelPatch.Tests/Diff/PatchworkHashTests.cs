using System.Security.Cryptography;
using System.Text;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

/// <summary>
/// <see cref="PatchDiff.PatchworkHash"/>: the hash patchwork stores for a patch. Each expectation spells out the text
/// patchwork hashes (its normalised patch lines) and takes its SHA-1 here, so the tests say what is hashed, not only
/// that something is. The same rules were checked against patchwork's own parser and hasher on 13,000 mails
/// (docs/diff.md).
/// </summary>
public class PatchworkHashTests
{
    private const string Diff = "diff --git a/drivers/net/x.c b/drivers/net/x.c\nindex 1234567..89abcde 100644\n--- a/drivers/net/x.c\n+++ b/drivers/net/x.c\n"
        + "@@ -10,4 +10,4 @@ static int x_probe(void)\n a\n-b\n+c\n d\n \n";

    // What patchwork hashes for Diff: file names without their first folder (the a/ or b/), the hunk header cut to its
    // counts, the +/-/context lines as they are; diff and index lines left out. The last context line, a blank, goes
    // when the patch ends there: patchwork trims the whole text.
    private const string DiffHashed = "--- a/drivers/net/x.c\n+++ b/drivers/net/x.c\n@@ -4 +4 @@\n a\n-b\n+c\n d\n";

    private readonly ITestOutputHelper _output;

    public PatchworkHashTests(ITestOutputHelper output) => _output = output;

    private static string Sha1(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Mail(string body, string headers = "Content-Type: text/plain; charset=UTF-8\n") =>
        "From: Ann <ann@example.org>\nSubject: [PATCH] x: fix\nDate: Mon, 9 Mar 2020 10:24:07 +0100\nMessage-ID: <m@example.org>\nMIME-Version: 1.0\n" + headers + "\n" + body;

    private static string? HashOf(string mail) => PatchMessage.Parse(mail).Diff?.PatchworkHash;

    [Fact]
    public void A_format_patch_mail_hashes_its_normalised_diff()
    {
        string mail = Mail("Fix x.\n\nSigned-off-by: Ann <ann@example.org>\n---\n drivers/net/x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n" + Diff + "-- \n2.43.0\n");

        HashOf(mail).Should().Be(Sha1(DiffHashed), "the diffstat and the signature are not part of the patch");
    }

    [Fact]
    public void The_bare_diff_and_git_show_output_hash_as_the_mail_does()
    {
        PatchDiff.Parse(Encoding.UTF8.GetBytes(Diff)).PatchworkHash.Should().Be(Sha1(DiffHashed));
        string show = "commit 0123456789abcdef0123456789abcdef01234567\nAuthor: Ann <ann@example.org>\nDate:   Mon Mar 9 10:24:07 2020 +0100\n\n    x: fix\n\n    Fix x.\n\n" + Diff;
        PatchDiff.Parse(Encoding.UTF8.GetBytes(show)).PatchworkHash.Should().Be(Sha1(DiffHashed), "the indented commit message starts no patch");
    }

    [Theory]
    [InlineData("@@ -10 +10 @@\n-b\n+c\n", "@@ -1 +1 @@\n-b\n+c\n")] // counts left out are 1
    [InlineData("@@ -010,002 +010,002 @@\n a\n-b\n+c\n", "@@ -2 +2 @@\n a\n-b\n+c\n")] // int(count): no leading zeros
    [InlineData("@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n", "@@ -2 +2 @@\n a\n-b\n+c\n")] // carriage returns dropped
    [InlineData("@@ -1,2 +1,2 @@\n-b\n+c  \n \n", "@@ -2 +2 @@\n-b\n+c\n")] // the end trimmed, a last blank context line with it
    // Python's strip() takes Unicode white space too (seen in b4's history: a last line "+   \u00a0")
    [InlineData("@@ -1 +1,2 @@\n-b\n+c\n+  \u00a0\n", "@@ -1 +2 @@\n-b\n+c\n+\n")]
    [InlineData("@@ -1 +1,2 @@\n-b\n+c \u3000\u2009\n\u00a0\n", "@@ -1 +2 @@\n-b\n+c\n")] // a last line of only such space goes
    [InlineData("@@ -1 +1 @@\n-b\n+\u00a0c\u00a0x\n", "@@ -1 +1 @@\n-b\n+\u00a0c\u00a0x\n")] // inside and at the start of a line it stays
    public void Hunks_are_normalised_as_patchwork_normalises_them(string hunk, string hashed)
    {
        string diff = "--- a/dir/f.c\t2020-01-01 00:00:00\n+++ b/dir/f.c\n" + hunk;
        PatchDiff.Parse(Encoding.UTF8.GetBytes(diff)).PatchworkHash.Should().Be(Sha1("--- a/dir/f.c\n+++ b/dir/f.c\n" + hashed));
    }

    [Fact]
    public void A_commit_message_line_starting_with_diff_starts_the_patch_early()
    {
        // patchwork's state machine takes "diff and 3-way." as a patch header and keeps every line after it until the
        // first hunk: the "---" line and the diffstat lines start with - or a blank, so they are hashed (seen in b4's
        // history, 5 of 1,392 messages)
        string mail = Mail("Use the same\ndiff and 3-way.\n\nSigned-off-by: Ann <ann@example.org>\n---\n drivers/net/x.c | 2 +-\n\n" + Diff);

        HashOf(mail).Should().Be(Sha1("---\n drivers/net/x.c | 2 +-\n" + DiffHashed));
    }

    [Fact]
    public void A_hunk_takes_as_many_lines_as_its_header_counts()
    {
        // A mail client ate the blank of an empty context line: patchwork's count runs on into the signature.
        string mail = Mail("Fix.\n---\n--- a/d/f.c\n+++ b/d/f.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n-- \n2.43.0\n");

        HashOf(mail).Should().Be(Sha1("--- a/d/f.c\n+++ b/d/f.c\n@@ -3 +3 @@\n a\n-b\n+c\n-- \n"));
    }

    [Fact]
    public void A_latin1_patch_is_hashed_as_utf8_text()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes(Mail("Fix.\n---\n--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +1 @@\n-Gr\u00fc\u00dfe\n+Gr\u00fc\u00dfe!\n", "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n"));

        PatchMessage.Parse(latin1).Diff!.PatchworkHash.Should().Be(Sha1("--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +1 @@\n-Gr\u00fc\u00dfe\n+Gr\u00fc\u00dfe!\n"));
    }

    [Fact]
    public void A_file_name_ends_at_a_unicode_space_as_patchworks_word_does()
    {
        // patchwork takes the name with (\S+), which stops at any Unicode space in the decoded text.
        string diff = "--- a/dir/f\u00a0x.c\n+++ b/dir/f\u3000x.c\n@@ -1 +1 @@\n-b\n+c\n";
        PatchDiff.Parse(Encoding.UTF8.GetBytes(diff)).PatchworkHash.Should().Be(Sha1("--- a/dir/f\n+++ b/dir/f\n@@ -1 +1 @@\n-b\n+c\n"));
    }

    [Fact]
    public void A_latin1_no_break_space_at_the_end_is_trimmed_as_patchwork_trims_the_decoded_text()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes(Mail("Fix.\n---\n--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +1,2 @@\n-a\n+b\n+\u00e9 \u00a0\n", "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n"));

        PatchMessage.Parse(latin1).Diff!.PatchworkHash.Should().Be(Sha1("--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +2 @@\n-a\n+b\n+\u00e9\n"));
    }

    [Fact]
    public void A_flowed_mail_is_hashed_as_sent_not_unflowed()
    {
        // patchwork does not undo format=flowed; git does (and so does the diff here)
        string mail = Mail("Fix.\n---\n--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +1 @@\n-old\n+a long line \ncut by the client\n", "Content-Type: text/plain; charset=UTF-8; format=flowed\n");

        var message = PatchMessage.Parse(mail);
        message.Files[0].AddedCount.Should().Be(1);
        message.Diff!.PatchworkHash.Should().Be(Sha1("--- a/d/f.c\n+++ b/d/f.c\n@@ -1 +1 @@\n-old\n+a long line\n"));
    }

    [Fact]
    public void An_attached_patch_is_hashed_whole_and_an_octet_stream_one_not_at_all()
    {
        string Multipart(string type) => Mail(
            "--b\nContent-Type: text/plain\n\nFix.\n---\n x.c | 2 +-\n\n--b\nContent-Type: " + type + "; name=\"0001-fix.patch\"\nContent-Disposition: attachment; filename=\"0001-fix.patch\"\n\n" + Diff + "-- \n2.43.0\n\n--b--\n",
            "Content-Type: multipart/mixed; boundary=\"b\"\n");

        // the last text/x-patch part is patchwork's patch, signature and all
        HashOf(Multipart("text/x-patch")).Should().Be(Sha1(DiffHashed + " \n-- \n"));
        // an application/octet-stream part is no text to patchwork: no patch, though git (and the diff here) reads it
        var octet = PatchMessage.Parse(Multipart("application/octet-stream"));
        octet.Files.Should().ContainSingle();
        octet.Diff!.PatchworkHash.Should().BeNull();
    }

    [Fact]
    public void A_rename_is_a_patch_with_nothing_to_hash_and_prose_is_none()
    {
        // patchwork keeps "rename from/to" (extended header lines) as a patch, of which it hashes no line
        string rename = "diff --git a/x b/y\nsimilarity index 100%\nrename from x\nrename to y\n";
        var diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(rename));
        diff.Files.Should().ContainSingle();
        diff.PatchworkHash.Should().Be(Sha1(string.Empty));
        // a diff line and --- lines with no hunk after them: nothing for patchwork
        PatchDiff.Parse(Encoding.UTF8.GetBytes("diff -u a b\n--- a\n+++ b\nno hunk\n")).PatchworkHash.Should().BeNull();
    }

    [Fact]
    public void A_commit_hashes_the_same_from_its_mail_and_from_git_show()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string repo = git.InitRepo();
        File.WriteAllText(Path.Combine(repo, "a.c"), "int a;\n\nint b;\n");
        git.Run(repo, "add", "a.c");
        git.Run(repo, "commit", "-q", "-m", "a: initial");
        File.WriteAllText(Path.Combine(repo, "a.c"), "int a;\n\nint b = 2;\n");
        File.WriteAllText(Path.Combine(repo, "diff notes.txt"), "diff and more\n");
        git.Run(repo, "add", ".");
        git.Run(repo, "commit", "-q", "-m", "a: set b\n\nSet b to 2, and note why.");

        string mail = git.Run(repo, "format-patch", "-1", "--stdout");
        string show = git.Run(repo, "show", "HEAD");
        string? fromMail = PatchMessage.Parse(mail).Diff!.PatchworkHash;
        fromMail.Should().MatchRegex("^[0-9a-f]{40}$");
        PatchDiff.Parse(Encoding.UTF8.GetBytes(show)).PatchworkHash.Should().Be(fromMail);
    }

    [Fact]
    public void Every_real_patch_has_a_hash_and_streaming_gives_the_same_ones()
    {
        if (!TestPaths.TryCorpus(_output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var parsed = PatchMailbox.Load(path).Messages.Select(m => m.Diff?.PatchworkHash).ToArray();
        using var stream = File.OpenRead(path);
        var streamed = PatchMailbox.Read(stream).Select(m => m.Diff?.PatchworkHash).ToArray();

        parsed.Should().HaveCount(1392).And.OnlyContain(h => h != null && h.Length == 40);
        parsed.Distinct().Should().HaveCountGreaterThan(1300, "different patches hash differently");
        streamed.Should().Equal(parsed);

        // one pass, nothing kept per line: the hash object, the result and a few small buffers per patch (about 320 B
        // here; 5.9 KB per patch of the generated 64 MB mailbox when every line's offsets were kept)
        var again = PatchMailbox.Load(path).Messages;
        _ = again[0].Diff!.PatchworkHash; // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var message in again.AsSpan()[1..])
        {
            _ = message.Diff!.PatchworkHash;
        }

        ((GC.GetAllocatedBytesForCurrentThread() - before) / (again.Length - 1)).Should().BeLessThan(1024);
    }
}
