using System.Text;
using KernelPatch.Tool;

namespace KernelPatch.Tests;

/// <summary>
/// The C# example of README.md, compiled here and run on the sample series; a second test checks
/// that README still shows exactly these lines, so the two cannot drift apart.
/// </summary>
public class ReadmeTests
{
    [Fact]
    public void Readme_example_runs_on_the_sample_series()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kp-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string previous = Environment.CurrentDirectory;
        var console = new StringWriter();
        var stdout = Console.Out;
        try
        {
            Environment.CurrentDirectory = dir;
            File.WriteAllBytes("ringbuf-v2.mbox", SampleSeries.Load());
            File.WriteAllBytes("archive.mbox", SampleSeries.Load());
            File.WriteAllText("change.diff", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
            File.WriteAllText("git-log-p.txt", GitLog);
            Directory.CreateDirectory(Path.Combine("lei-results", "cur"));
            var sampleMessages = PatchMailbox.Parse(SampleSeries.Load()).Messages;
            File.WriteAllBytes(Path.Combine("lei-results", "cur", "1700000000.M2P1.host:2,S"), sampleMessages[1].Content.Slice(SampleSeries.Load().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine("lei-results", "cur", "999999999.M1P1.host:2,S"), sampleMessages[0].Content.Slice(SampleSeries.Load().AsSpan()).ToArray());
            Console.SetOut(console);
            Example();
        }
        finally
        {
            Console.SetOut(stdout);
            Environment.CurrentDirectory = previous;
            Directory.Delete(dir, recursive: true);
        }

        string[] lines = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("v2 ringbuf: validate sizes, add ringbuf_free() (3/3)");
        lines[1].Should().Be("[1/3] lib/ringbuf: reject sizes that are not a power of two by Ada Lovelace <ada@example.org>");
        lines[2].Should().Be("    lib/ringbuf.c +3 -0");
        lines[3].Should().Be("    Reviewed-by: Grace Hopper <grace@example.com> (from a reply)");
        lines[4].Should().Be("    Tested-by: Alan Turing <alan@example.net> (from a reply)");
        lines.Should().Contain("[2/3] lib/ringbuf: add ringbuf_free() by Grace Hopper <grace@example.com>");
        lines.Should().NotContain(l => l.Contains("taken from", StringComparison.Ordinal), "the sample's v2 re-sends every patch");
        lines.Where(l => l.StartsWith("am: ", StringComparison.Ordinal)).Should().Equal(
            "am: Fixes | Signed-off-by | Reviewed-by | Tested-by | Link | Signed-off-by | Your Name <you@example.org>",
            "am: Signed-off-by | Signed-off-by | Tested-by | Link | Signed-off-by | Your Name <you@example.org>",
            "am: Signed-off-by | Tested-by | Link | Signed-off-by | Your Name <you@example.org>");
        string Id(string d) => KernelPatch.Diff.PatchDiff.Parse(Encoding.UTF8.GetBytes(d)).PatchId!;
        lines.Where(l => l.Contains(" Ada Lovelace <ada@example.org> lib: ", StringComparison.Ordinal)).Should().Equal(
            Id("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-b\n+c\n") + " " + new string('1', 40) + " Ada Lovelace <ada@example.org> lib: change x",
            Id("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n") + " " + new string('2', 40) + " Ada Lovelace <ada@example.org> lib: add x");
        byte[] sample = SampleSeries.Load();
        var starts = PatchMailbox.Parse(sample).Messages.Select(m => m.Span.Offset).ToList();
        lines.Where(l => l.Split(":")[0].All(char.IsDigit)).Should().Equal(
            $"{starts[0]}: ringbuf: validate sizes, add ringbuf_free()",
            $"{starts[1]}: lib/ringbuf: reject sizes that are not a power of two",
            $"{starts[2]}: lib/ringbuf: add ringbuf_free()",
            $"{starts[3]}: ringbuf: move the header to include/ and add a README",
            $"{starts[4]}: lib/ringbuf: reject sizes that are not a power of two",
            $"{starts[5]}: ringbuf: validate sizes, add ringbuf_free()");
        starts.Should().Equal(0, 1108, 2345, 3754, 4834, 5716);
        lines.Where(l => l.StartsWith("lei-results", StringComparison.Ordinal)).Should().Equal(
            Path.Combine("lei-results", "cur", "999999999.M1P1.host:2,S") + ": ringbuf: validate sizes, add ringbuf_free()",
            Path.Combine("lei-results", "cur", "1700000000.M2P1.host:2,S") + ": lib/ringbuf: reject sizes that are not a power of two");
    }

    [Fact]
    public void Readme_shows_the_example_that_is_tested_here()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).ReplaceLineEndings("\n");
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        source.Should().NotBeEmpty();
        foreach (string line in ExampleLines)
        {
            readme.Should().Contain(line, "README's C# example must match ReadmeTests.Example");
        }
    }

    // Keep in step with README.md "Use it from C#" (checked above).
    private static readonly string[] ExampleLines =
    [
        "PatchSeries series = PatchSeries.Load(\"ringbuf-v2.mbox\");",
        "Console.WriteLine($\"v{series.Version} {series.Title} ({series.Patches.Length}/{series.Total})\");",
        "foreach (SeriesPatch patch in series.Patches)",
        "    PatchMessage m = patch.Message;",
        "    Console.WriteLine($\"[{patch.Number}/{series.Total}] {m.Title} by {m.Author}\");",
        "    foreach (var file in m.Files)",
        "        Console.WriteLine($\"    {file.NewPath ?? file.OldPath} +{file.AddedCount} -{file.RemovedCount}\");",
        "    foreach (var trailer in patch.FollowUpTrailers)",
        "        Console.WriteLine($\"    {trailer.Key}: {trailer.Value} (from a reply)\");",
        "    if (patch.FromVersion is int v)   // a partial re-roll: this position was not re-sent",
        "        Console.WriteLine($\"    (taken from v{v})\");",
        "using (var mbx = File.Create(\"ringbuf-v2.mbx\"))",
        "    series.WriteAmMbox(mbx, new AmMboxOptions { AddLink = true, AddSignOff = true,",
        "        Identity = new KernelPatch.Mail.MailIdentity(\"Your Name\", \"you@example.org\") });",
        "PatchMailbox box = PatchMailbox.Load(\"archive.mbox\");",
        "foreach (PatchMessage m in box.Messages)",
        "    foreach (PatchDiagnostic d in m.Diagnostics)",
        "        Console.WriteLine($\"message {m.Index}: {d}\");",
        "using (var stream = File.OpenRead(\"archive.mbox\"))",
        "    foreach (PatchMessage m in PatchMailbox.Read(stream))",
        "        Console.WriteLine($\"{m.SourceOffset + m.Span.Offset}: {m.Title}\");",
        "foreach (PatchMessage m in PatchMailbox.Read(\"lei-results\"))",
        "    Console.WriteLine($\"{m.SourcePath}: {m.Title}\");",
        "foreach (PatchMessage c in PatchMailbox.Load(\"git-log-p.txt\").Messages)",
        "    Console.WriteLine($\"{c.Diff?.PatchId} {c.CommitId} {c.Author} {c.Title}\");",
        "var diff = KernelPatch.Diff.PatchDiff.Parse(File.ReadAllBytes(\"change.diff\"));",
    ];

    private const string GitLog =
        "commit 1111111111111111111111111111111111111111\nAuthor: Ada Lovelace <ada@example.org>\nDate:   Sat Mar 9 11:00:00 2024 +0100\n\n" +
        "    lib: change x\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-b\n+c\n\n" +
        "commit 2222222222222222222222222222222222222222\nAuthor: Ada Lovelace <ada@example.org>\nDate:   Fri Mar 8 11:00:00 2024 +0100\n\n" +
        "    lib: add x\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

    private static void Example()
    {
        // The newest revision of the one series in the file (what `b4 am` would pick).
        PatchSeries series = PatchSeries.Load("ringbuf-v2.mbox");
        Console.WriteLine($"v{series.Version} {series.Title} ({series.Patches.Length}/{series.Total})");

        foreach (SeriesPatch patch in series.Patches)
        {
            PatchMessage m = patch.Message;
            Console.WriteLine($"[{patch.Number}/{series.Total}] {m.Title} by {m.Author}");
            foreach (var file in m.Files)
                Console.WriteLine($"    {file.NewPath ?? file.OldPath} +{file.AddedCount} -{file.RemovedCount}");
            foreach (var trailer in patch.FollowUpTrailers)
                Console.WriteLine($"    {trailer.Key}: {trailer.Value} (from a reply)");
            if (patch.FromVersion is int v)   // a partial re-roll: this position was not re-sent
                Console.WriteLine($"    (taken from v{v})");
        }

        // What `b4 am -l -s` writes, for git am: the trailers from replies added, a Link: and your sign-off last.
        using (var mbx = File.Create("ringbuf-v2.mbx"))
            series.WriteAmMbox(mbx, new AmMboxOptions { AddLink = true, AddSignOff = true,
                Identity = new KernelPatch.Mail.MailIdentity("Your Name", "you@example.org") });
        foreach (PatchMessage written in PatchMailbox.Load("ringbuf-v2.mbx").Messages)
            Console.WriteLine("am: " + string.Join(" | ", written.Trailers.Select(t => t.Key)) + " | " + written.Trailers[^1].Value);

        // Everything in a mailbox: every message, thread and series; nothing is dropped.
        PatchMailbox box = PatchMailbox.Load("archive.mbox");
        foreach (PatchMessage m in box.Messages)
            foreach (PatchDiagnostic d in m.Diagnostics)
                Console.WriteLine($"message {m.Index}: {d}");

        // An archive of any size, one message at a time (no series assembly): memory stays about one
        // message; SourceOffset is where each message's bytes begin in the file.
        using (var stream = File.OpenRead("archive.mbox"))
            foreach (PatchMessage m in PatchMailbox.Read(stream))
                Console.WriteLine($"{m.SourceOffset + m.Span.Offset}: {m.Title}");

        // A maildir folder (lei q -o DIR, a mail client's folder) is read as git mailsplit reads it; each message
        // says which file it came from.
        foreach (PatchMessage m in PatchMailbox.Read("lei-results"))
            Console.WriteLine($"{m.SourcePath}: {m.Title}");

        // lore's t.mbox.gz (or any gzip input) is decompressed on the way in, by every entry point.
        // git log -p / git show output: one message per commit (author, date, title, trailers, notes, diff); these lines
        // begin as `git log -p | git patch-id --stable` prints them. CommitId is read from format-patch mboxes too.
        foreach (PatchMessage c in PatchMailbox.Load("git-log-p.txt").Messages)
            Console.WriteLine($"{c.Diff?.PatchId} {c.CommitId} {c.Author} {c.Title}");

        // A bare diff (git diff, diff -u) without mail around it.
        var diff = KernelPatch.Diff.PatchDiff.Parse(File.ReadAllBytes("change.diff"));
        Console.WriteLine($"bare diff: {diff.Files.Length} file(s)");
    }
}
