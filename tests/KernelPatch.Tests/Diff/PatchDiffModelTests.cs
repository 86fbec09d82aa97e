using System.Text;
using KernelPatch.Diff;

namespace KernelPatch.Tests.Diff;

public sealed class PatchDiffModelTests
{
    private const string DocsExample =
        "diff --git a/src/a.c b/src/a.c\n" +
        "index 1111111..2222222 100644\n" +
        "--- a/src/a.c\n" +
        "+++ b/src/a.c\n" +
        "@@ -1,3 +1,3 @@ int main(void)\n" +
        " one\n" +
        "\n" +
        "-three\n" +
        "\\ No newline at end of file\n" +
        "+THREE\n";

    [Fact]
    public void DocsExample_GivesTheDocumentedValues()
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(DocsExample));
        diff.Diagnostics.Should().BeEmpty();
        DiffFile file = diff.Files.Should().ContainSingle().Subject;
        (file.Status, file.OldPath, file.NewPath, file.OldMode, file.NewMode, file.OldObjectId, file.NewObjectId, file.AddedCount, file.RemovedCount)
            .Should().Be((DiffFileStatus.Modified, "src/a.c", "src/a.c", (int?)33188, (int?)33188, "1111111", "2222222", 1, 1));
        Convert.ToString(file.NewMode!.Value, 8).Should().Be("100644");
        DiffHunk hunk = file.Hunks.Should().ContainSingle().Subject;
        (hunk.OldStart, hunk.OldCount, hunk.NewStart, hunk.NewCount, hunk.Section).Should().Be((1, 3, 1, 3, "int main(void)"));
        hunk.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber, l.NoNewlineAtEnd, hunk.GetText(l))).Should().Equal(
            (DiffLineKind.Context, 1, 1, false, "one"),
            (DiffLineKind.Context, 2, 2, false, ""),
            (DiffLineKind.Removed, 3, 0, true, "three"),
            (DiffLineKind.Added, 0, 3, false, "THREE"));
        file.HeaderSpan.Should().Be(new KernelPatch.Text.SourceSpan(0, DocsExample.IndexOf("@@", StringComparison.Ordinal)));
        hunk.HeaderSpan.End.Should().Be(hunk.Lines[0].Offset);
        hunk.Span.End.Should().Be(DocsExample.Length);
        diff.PatchId.Should().MatchRegex("^[0-9a-f]{40}$");
    }

    [Fact]
    public void Equality_IsByValueAndIgnoresCaches()
    {
        byte[] a = Encoding.UTF8.GetBytes(DocsExample);
        byte[] b = Encoding.UTF8.GetBytes(DocsExample);
        PatchDiff first = PatchDiff.Parse(a);
        PatchDiff second = PatchDiff.Parse(b);
        _ = first.Files[0].Hunks[0].Lines;
        _ = first.Files[0].Hunks[0].Section;
        _ = first.PatchId;
        first.Should().Be(second);
        first.GetHashCode().Should().Be(second.GetHashCode());
        (first with { AddedCount = 7 }).Should().NotBe(second);
        first.Files[0].Should().NotBe(first.Files[0] with { NewPath = "other.c" });

        // Modes, similarity and dissimilarity are kept as plain numbers with a marker for "none": set, cleared and
        // compared as the int? properties they are.
        DiffFile file = first.Files[0];
        (file with { OldMode = null }).OldMode.Should().BeNull();
        (file with { OldMode = null }).NewMode.Should().Be(33188);
        (file with { OldMode = null }).Should().NotBe(file);
        (file with { Similarity = 0, Dissimilarity = 100 }).Should().Match<DiffFile>(f => f.Similarity == 0 && f.Dissimilarity == 100 && f.OldMode == 33188);
        (file with { Similarity = 0 }).Should().NotBe(file);
        (file with { Similarity = 0 } with { Similarity = null }).Should().Be(file);
        new DiffFile().Should().Match<DiffFile>(f => f.OldMode == null && f.NewMode == null && f.Similarity == null && f.Dissimilarity == null);

        PatchDiff strict = PatchDiff.Parse(a, PatchParseOptions.Strict);
        strict.Should().Be(first, "strict and lenient parsing give the same records when there is no error");
    }

    [Fact]
    public void Validate_ReportsEditedCounts()
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(DocsExample));
        diff.Validate().Should().BeEmpty();
        PatchDiff edited = diff with { Files = [diff.Files[0] with { AddedCount = 99 }] };
        edited.Validate().Should().ContainSingle().Which.Code.Should().Be("KP0509");
        PatchDiff badHunk = diff with { Files = [diff.Files[0] with { Hunks = [diff.Files[0].Hunks[0] with { NewCount = 5 }] }] };
        badHunk.Validate().Should().ContainSingle().Which.Code.Should().Be("KP0501");
    }

    [Theory]
    // mode-only change: no hunk, status modified
    [InlineData("diff --git a/x.sh b/x.sh\nold mode 100644\nnew mode 100755\n", "x.sh", "x.sh", DiffFileStatus.Modified)]
    // rename-only change
    [InlineData("diff --git a/a b/b\nsimilarity index 100%\nrename from a\nrename to b\n", "a", "b", DiffFileStatus.Renamed)]
    // copy with a change
    [InlineData("diff --git a/a b/c\nsimilarity index 90%\ncopy from a\ncopy to c\n--- a/a\n+++ b/c\n@@ -1 +1,2 @@\n x\n+y\n", "a", "c", DiffFileStatus.Copied)]
    // Binary files line of a deleted file
    [InlineData("diff --git a/p.png b/p.png\ndeleted file mode 100644\nindex 1..0\nBinary files a/p.png and /dev/null differ\n", "p.png", null, DiffFileStatus.Deleted)]
    // old-style rename headers (git before 1.5)
    [InlineData("diff --git a/a b/b\nrename old a\nrename new b\n", "a", "b", DiffFileStatus.Renamed)]
    public void HeaderOnlyChanges(string text, string? oldPath, string? newPath, DiffFileStatus status)
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        DiffFile file = diff.Files.Should().ContainSingle().Subject;
        (file.OldPath, file.NewPath, file.Status).Should().Be((oldPath, newPath, status));
        file.Span.Length.Should().Be(text.Length);
    }

    [Fact]
    public void MailSignatureAndTrailingText_AreNotDiff()
    {
        string text = "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n-- \n2.43.0\n\n";
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        diff.Files[0].Span.End.Should().Be(text.IndexOf("-- \n", StringComparison.Ordinal));
        diff.Span.Length.Should().Be(text.Length);
    }
}
