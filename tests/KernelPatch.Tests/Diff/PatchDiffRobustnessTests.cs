using System.Text;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class PatchDiffRobustnessTests
{
    private readonly ITestOutputHelper _output;

    public PatchDiffRobustnessTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>Touches every part of the record, as a consumer would; returns the number of lines seen.</summary>
    private static int VisitAll(PatchDiff diff)
    {
        int lines = 0;
        _ = diff.PatchId;
        _ = diff.Validate();
        foreach (DiffFile file in diff.Files)
        {
            foreach (DiffHunk hunk in file.Hunks)
            {
                _ = hunk.Section;
                foreach (DiffLine line in hunk.EnumerateLines())
                {
                    _ = hunk.GetBytes(line);
                    lines++;
                }

                hunk.Lines.Length.Should().Be(hunk.LineCount);
            }

            foreach (DiffCombinedHunk hunk in file.CombinedHunks)
            {
                _ = hunk.Section;
            }

            if (file.BinaryPatch is { } binary)
            {
                try
                {
                    _ = binary.Forward.Decode();
                }
                catch (PatchFormatException)
                {
                    // malformed binary data is reported when decoding is asked for, never while parsing
                }
            }
        }

        return lines;
    }

    [Theory]
    [InlineData("git-features.diff")]
    [InlineData("hunks.diff")]
    [InlineData("crlf.diff")]
    [InlineData("corrupt.diff")]
    [InlineData("traditional.diff")]
    [InlineData("combined.diff")]
    public void EveryPrefixOfAFixture_ParsesWithoutThrowingAndWritesBack(string name)
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.Fixture("diff", name));
        int files = 0;
        for (int n = 0; n <= bytes.Length; n++)
        {
            var diff = PatchDiff.Parse(bytes.AsMemory(0, n));
            diff.Span.Length.Should().Be(n);
            var stream = new MemoryStream();
            diff.WriteTo(stream);
            stream.Length.Should().Be(n);
            VisitAll(diff);
            files = Math.Max(files, diff.Files.Length);

            try
            {
                PatchDiff.Parse(bytes.AsMemory(0, n), PatchParseOptions.Strict);
            }
            catch (PatchFormatException ex)
            {
                ex.Diagnostic.Severity.Should().Be(PatchDiagnosticSeverity.Error);
                ex.Diagnostic.Offset.Should().BeInRange(0, n);
            }
        }

        files.Should().Be(PatchDiff.Parse(bytes).Files.Length);
    }

    [Fact]
    public void RandomBytes_ParseWithoutThrowing()
    {
        const int seed = 20261123;
        var random = new Random(seed);
        _output.WriteLine($"seed {seed}");
        var bytes = new byte[1 << 20];
        random.NextBytes(bytes);
        var diff = PatchDiff.Parse(bytes);
        VisitAll(diff);
        diff.Files.Should().BeEmpty();
    }

    [Fact]
    public void RandomDiffTokens_ParseWithoutThrowing()
    {
        const int seed = 4242;
        _output.WriteLine($"seed {seed}");
        string[] tokens =
        [
            "diff --git a/x b/x\n", "diff --git \"a/\\303\\251\" \"b/\\303\\251\"\n", "diff --git \"a/\\9\n", "diff --cc m.c\n",
            "@@@ -1,2 -1,2 +1,2 @@@\n", "@@ -1,3 +1,2 @@ s\n", "@@ -0,0 +1 @@\n", "@@ -1,2147483647 +1 @@\n", "@@ -\n",
            "--- a/x\n", "+++ b/x\n", "--- /dev/null\n", "+++ /dev/null\n", " ctx\n", "+add\n", "-del\n", "\n", "\r\n",
            "\\ No newline at end of file\n", "GIT binary patch\n", "literal 5\n", "delta 3\n", "HcmV?d00001\n", "zzzzz\n",
            "new file mode 100644\n", "deleted file mode 1006\n", "rename from x\n", "rename to y\n", "similarity index 1000%\n",
            "index 1..2 100644\n", "Index: f\n", "=====\n", "Binary files a and b differ\n", "-- \n", "2.1\n", "noise",
        ];
        var random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            var text = new StringBuilder();
            int count = random.Next(1, 80);
            for (int i = 0; i < count; i++)
            {
                text.Append(tokens[random.Next(tokens.Length)]);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            var diff = PatchDiff.Parse(bytes);
            VisitAll(diff);
            var stream = new MemoryStream();
            diff.WriteTo(stream);
            stream.ToArray().Should().Equal(bytes);
        }
    }

    [Theory]
    [InlineData("Binary files differ\n")]
    [InlineData("Binary files  differ\n")]
    [InlineData("Binary files differ\r\n")]
    [InlineData("Binary files  and  differ")]
    public void A_binary_files_line_too_short_to_name_files_is_not_a_file(string line)
    {
        // Found by mutation fuzzing: "Binary files " and " differ" overlap in "Binary files differ",
        // and cutting the names out between them threw ArgumentOutOfRangeException.
        byte[] bytes = Encoding.UTF8.GetBytes("diff -ru a b\n" + line);
        var diff = PatchDiff.Parse(bytes);

        diff.Files.Should().BeEmpty();
        var stream = new MemoryStream();
        diff.WriteTo(stream);
        stream.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public void A_binary_files_line_with_one_character_names_is_a_binary_file()
    {
        var diff = PatchDiff.Parse(Encoding.UTF8.GetBytes("Binary files a/x and b/y differ\n"));

        var file = diff.Files.Should().ContainSingle().Subject;
        file.IsBinary.Should().BeTrue();
        (file.OldPath, file.NewPath).Should().Be(("x", "y"));
    }

    [Theory]
    // GNU diff -r writes the names of a binary file as they are: a tab or a quote is part of them, no timestamp follows
    [InlineData("Binary files a/tab\tname and b/tab\tname differ\n", "tab\tname", "tab\tname")]
    [InlineData("Binary files linux.orig/q\"uote and linux/q\"uote differ\n", "q\"uote", "q\"uote")]
    // of several " and "s, the one with the same name on both sides splits the line
    [InlineData("Binary files a/Tom and Jerry.bin and b/Tom and Jerry.bin differ\n", "Tom and Jerry.bin", "Tom and Jerry.bin")]
    [InlineData("Binary files /dev/null and b/new.bin differ\n", null, "new.bin")]
    public void A_binary_files_line_keeps_its_names_whole(string line, string? oldPath, string newPath)
    {
        var file = PatchDiff.Parse(Encoding.UTF8.GetBytes(line)).Files.Should().ContainSingle().Subject;
        (file.OldPath, file.NewPath, file.IsBinary).Should().Be((oldPath, newPath, true));
    }

    [Fact]
    public void A_hunk_after_text_that_ended_its_file_is_an_error_as_git_apply_has_it()
    {
        // The first hunk's counts end it at " d"; git apply then ends the file, and a hunk header found while it looks
        // for the next file header stops it: "error: patch fragment without header at line 9: @@ -10,2 +10,2 @@".
        const string text = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n d\n@@ -10,2 +10,2 @@\n x\n-y\n+z\n";
        var diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        var file = diff.Files.Should().ContainSingle().Subject;
        (file.AddedCount, file.RemovedCount, file.Hunks.Length).Should().Be((1, 1, 1));
        var error = diff.Diagnostics.Should().ContainSingle().Subject;
        (error.Code, error.Severity, error.Offset).Should().Be(("KP0510", PatchDiagnosticSeverity.Error, text.IndexOf("@@ -10", StringComparison.Ordinal)));
        error.Message.Should().Contain("patch fragment without header");

        // an unreadable hunk header in such text is passed over, as git passes over it (git apply --numstat: 1 1 f)
        var commentary = PatchDiff.Parse(Encoding.UTF8.GetBytes("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+c\nsome commentary\n@@ -x +1 @@\n"));
        commentary.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void A_hunk_of_context_only_is_corrupt_as_git_apply_has_it()
    {
        // git apply --numstat: "error: corrupt patch at line 7" (a hunk must add or remove something)
        var diff = PatchDiff.Parse(Encoding.UTF8.GetBytes("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n b\n"));
        diff.Files.Should().ContainSingle().Which.Hunks.Should().ContainSingle();
        var error = diff.Diagnostics.Should().ContainSingle().Subject;
        (error.Code, error.Severity).Should().Be(("KP0501", PatchDiagnosticSeverity.Error));
        error.Message.Should().Contain("adds and removes nothing");
    }

    [Fact]
    public void A_no_newline_marker_before_any_line_is_passed_over_as_git_apply_does()
    {
        // git apply --numstat: 1 1 f, no error (a '\' line is skipped wherever it stands)
        const string text = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n\\ No newline at end of file\n a\n-b\n+c\n";
        var diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        var hunk = diff.Files.Should().ContainSingle().Which.Hunks.Should().ContainSingle().Subject;
        (hunk.AddedCount, hunk.RemovedCount, hunk.LineCount).Should().Be((1, 1, 3));
        hunk.Lines.Select(l => (l.Kind, hunk.GetText(l), l.NoNewlineAtEnd)).Should().Equal(
            (DiffLineKind.Context, "a", false), (DiffLineKind.Removed, "b", false), (DiffLineKind.Added, "c", false));
    }

    [Fact]
    public void A_binary_files_line_of_many_ands_parses_linearly()
    {
        // every " and " is a candidate split; only the first 16 are compared
        byte[] line = Encoding.UTF8.GetBytes("Binary files " + string.Concat(Enumerable.Repeat("x and ", 200_000)) + "y differ\n");
        var file = PatchDiff.Parse(line).Files.Should().ContainSingle().Subject;
        (file.OldPath, file.IsBinary).Should().Be(("x", true));
    }

    [Fact]
    public void LongLinesAndManyHunks_ParseLinearly()
    {
        // a 4 MB diff --git line full of spaces and slashes: the name split must stay linear
        var longHeader = new StringBuilder("diff --git ");
        for (int i = 0; i < 400_000; i++)
        {
            longHeader.Append("a/ b");
        }

        longHeader.Append("\nnew file mode 100644\n");
        var diff = PatchDiff.Parse(Encoding.ASCII.GetBytes(longHeader.ToString()));
        diff.Files.Should().ContainSingle();

        // one 2 MB added line
        string longLine = "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+" + new string('x', 2 << 20) + "\n";
        diff = PatchDiff.Parse(Encoding.ASCII.GetBytes(longLine));
        diff.Files[0].Hunks[0].Lines[0].Length.Should().Be((2 << 20) + 2);

        // 100,000 hunks in one file, and a combined header with 200 '@'
        var many = new StringBuilder("--- a/f\n+++ b/f\n");
        for (int i = 0; i < 100_000; i++)
        {
            many.Append("@@ -1 +1 @@\n-a\n+b\n");
        }

        many.Append("diff --cc m\n").Append('@', 200).Append(" -1 +1 ").Append('@', 200).Append('\n');
        diff = PatchDiff.Parse(Encoding.ASCII.GetBytes(many.ToString()));
        diff.Files[0].Hunks.Should().HaveCount(100_000);
        diff.Files[0].AddedCount.Should().Be(100_000);
        diff.Files[1].Dialect.Should().Be(DiffDialect.Combined);
        diff.Diagnostics.Should().ContainSingle().Which.Code.Should().Be("KP0502");

        // a header promising 2^31-1 lines runs into the end of the input
        diff = PatchDiff.Parse("--- a/f\n+++ b/f\n@@ -1,2147483647 +1,2147483647 @@\n a\n"u8.ToArray());
        diff.Diagnostics.Should().ContainSingle().Which.Offset.Should().Be(53, "the end of the input, after the one line given");
    }
}
