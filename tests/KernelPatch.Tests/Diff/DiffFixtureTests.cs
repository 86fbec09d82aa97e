using System.Text;
using KernelPatch.Diff;

namespace KernelPatch.Tests.Diff;

public sealed class DiffFixtureTests
{
    private static PatchDiff Load(string name, PatchParseOptions? options = null) =>
        PatchDiff.Parse(File.ReadAllBytes(TestPaths.Fixture("diff", name)), options);

    private static int OffsetOf(PatchDiff diff, string text) => diff.Source.Span.IndexOf(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void GitFeatures_MatchGitApplyNumstatSummaryAndPatchId()
    {
        // Produced by `git diff --cached --binary -M -C --find-copies-harder` (dissimilarity line added by hand);
        // expected values from `git apply --numstat/--summary` and `git patch-id --stable` on the same file.
        PatchDiff diff = Load("git-features.diff");
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.IsBinary, f.AddedCount, f.RemovedCount)).Should().Equal(
            ("blob.bin", "blob.bin", DiffFileStatus.Modified, true, 0, 0),
            ("orig.c", "copy.c", DiffFileStatus.Copied, false, 1, 0),
            ("mode.sh", "mode.sh", DiffFileStatus.Modified, false, 0, 0),
            (null, "new.bin", DiffFileStatus.Added, true, 0, 0),
            ("moved.txt", "renamed.txt", DiffFileStatus.Renamed, false, 0, 0),
            ("rewrite.txt", "rewrite.txt", DiffFileStatus.Modified, false, 20, 20),
            (null, "t\u00ebst\tx", DiffFileStatus.Added, false, 1, 0));
        diff.PatchId.Should().Be("fde81adfe74dae2b32a67aa5e3f00c8624143b59");
        diff.Files.Should().OnlyContain(f => f.Dialect == DiffDialect.Git);

        DiffFile copy = diff.Files[1];
        copy.Similarity.Should().Be(98);
        copy.OldObjectId.Should().Be("ea7c011");
        copy.NewObjectId.Should().Be("024ccbb");
        (copy with { OldObjectId = null }).OldObjectId.Should().BeNull("a value given with 'with' wins over the parsed one");
        (copy with { NewObjectId = "1234567" }).NewObjectId.Should().Be("1234567");
        copy.Hunks.Should().ContainSingle().Which.Section.Should().Be("copy source line 27");

        DiffFile mode = diff.Files[2];
        mode.OldMode.Should().Be(Convert.ToInt32("100644", 8));
        mode.NewMode.Should().Be(Convert.ToInt32("100755", 8));
        mode.Hunks.Should().BeEmpty();
        mode.HeaderSpan.Should().Be(mode.Span);

        diff.Files[4].Similarity.Should().Be(100);
        diff.Files[4].Hunks.Should().BeEmpty();
        diff.Files[5].Dissimilarity.Should().Be(100);
        diff.Files[3].NewMode.Should().Be(Convert.ToInt32("100644", 8));
        diff.Validate().Should().BeEmpty();
    }

    [Fact]
    public void GitFeatures_BinaryLiteralAndDelta_DecodeAndApply()
    {
        PatchDiff diff = Load("git-features.diff");
        byte[] pre = new byte[4096];
        for (int i = 0; i < pre.Length; i++)
        {
            pre[i] = (byte)((i * 7) + (i / 13));
        }

        byte[] post = [.. pre, .. Enumerable.Range(0, 50).Select(i => (byte)i)];
        post.AsSpan(100, 10).Fill(0xAA);

        DiffBinaryPatch delta = diff.Files[0].BinaryPatch!;
        delta.Forward.Kind.Should().Be(DiffBinaryBlockKind.Delta);
        delta.Forward.Size.Should().Be(72);
        delta.Forward.Decode().Should().HaveCount(72);
        delta.Reverse!.Kind.Should().Be(DiffBinaryBlockKind.Delta);
        delta.Reverse.Size.Should().Be(13);
        delta.ApplyDelta(pre).Should().Equal(post);
        delta.ApplyReverse(post).Should().Equal(pre);
        FluentActions.Invoking(() => delta.ApplyDelta(post)).Should().Throw<PatchFormatException>()
            .Which.Diagnostic.Code.Should().Be("KP0506");

        var instructions = delta.Forward.GetDeltaInstructions(out byte[] data, out long sourceSize, out long targetSize);
        (sourceSize, targetSize).Should().Be((4096L, 4146L));
        long produced = 0;
        foreach (DiffDeltaInstruction instruction in instructions)
        {
            produced += instruction.Length;
            if (!instruction.IsCopy)
            {
                instruction.DataOffset.Should().BeInRange(0, data.Length - instruction.Length);
            }
        }

        produced.Should().Be(4146);
        instructions.Should().Contain(i => i.IsCopy && i.SourceOffset == 0 && i.Length == 100, "the first 100 bytes are unchanged");

        DiffBinaryPatch literal = diff.Files[3].BinaryPatch!;
        literal.Forward.Kind.Should().Be(DiffBinaryBlockKind.Literal);
        literal.Forward.Size.Should().Be(30);
        byte[] tiny = [0, 1, 2, 3, 255, 254, 0, 10, 13, 0];
        literal.Forward.Decode().Should().Equal([.. tiny, .. tiny, .. tiny]);
        literal.ApplyDelta(default).Should().Equal([.. tiny, .. tiny, .. tiny]);
        literal.Reverse!.Size.Should().Be(0);
        literal.Reverse.Decode().Should().BeEmpty();
        literal.Span.Offset.Should().Be(OffsetOf(diff, "GIT binary patch\nliteral 30"));
    }

    [Fact]
    public void Hunks_ZeroCountsNoNewlineEitherSideEmptyContextAndSignature()
    {
        PatchDiff diff = Load("hunks.diff");
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Should().HaveCount(3);

        DiffHunk created = diff.Files[0].Hunks.Should().ContainSingle().Subject;
        (created.OldStart, created.OldCount, created.NewStart, created.NewCount).Should().Be((0, 0, 1, 1));
        created.Lines.Should().Equal(new DiffLine(DiffLineKind.Added, OffsetOf(diff, "+hello"), 7, 0, 1, true));
        created.GetText(created.Lines[0]).Should().Be("hello");
        diff.Files[0].Status.Should().Be(DiffFileStatus.Added);

        DiffHunk sides = diff.Files[1].Hunks.Should().ContainSingle().Subject;
        sides.Section.Should().Be("heading here");
        sides.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber, l.NoNewlineAtEnd)).Should().Equal(
            (DiffLineKind.Context, 1, 1, false),
            (DiffLineKind.Context, 2, 2, false), // an empty line inside a hunk is context, as git accepts it
            (DiffLineKind.Removed, 3, 0, true),
            (DiffLineKind.Added, 0, 3, true));
        sides.GetText(sides.Lines[1]).Should().Be(string.Empty);
        sides.GetText(sides.Lines[3]).Should().Be("last changed");
        sides.Span.End.Should().Be(diff.Files[1].Span.End);

        DiffFile gone = diff.Files[2];
        (gone.Status, gone.OldPath, gone.NewPath, gone.RemovedCount).Should().Be((DiffFileStatus.Deleted, "gone.txt", (string?)null, 2));
        gone.Span.End.Should().Be(OffsetOf(diff, "-- \n2.47.0"), "the signature belongs to no file");
        diff.AddedCount.Should().Be(2);
        diff.RemovedCount.Should().Be(3);
    }

    [Fact]
    public void Crlf_LineEndsAreKept()
    {
        PatchDiff diff = Load("crlf.diff");
        diff.Diagnostics.Should().BeEmpty();
        DiffFile file = diff.Files.Should().ContainSingle().Subject;
        file.NewPath.Should().Be("dos.txt");
        DiffHunk hunk = file.Hunks.Should().ContainSingle().Subject;
        hunk.Lines.Select(l => l.Kind).Should().Equal(DiffLineKind.Context, DiffLineKind.Removed, DiffLineKind.Added, DiffLineKind.Context);
        hunk.GetText(hunk.Lines[2]).Should().Be("TWO\r");
        hunk.Lines[2].Length.Should().Be(6);
        hunk.GetText(hunk.Lines[3]).Should().Be("\r", "an empty CRLF line is an empty context line");
        (file.AddedCount, file.RemovedCount).Should().Be((1, 1));
    }

    [Fact]
    public void Corrupt_ErrorAtTheExactLineAndTheNextFileIsParsed()
    {
        PatchDiff diff = Load("corrupt.diff");
        int bad = OffsetOf(diff, "this line lost its marker");
        diff.Diagnostics.Should().ContainSingle().Which.Should().Match<PatchDiagnostic>(
            d => d.Code == "KP0501" && d.Severity == PatchDiagnosticSeverity.Error && d.Offset == bad);
        diff.Diagnostics[0].GetLineColumn(diff.Source.Span).Should().Be((8, 1));
        diff.Files.Select(f => (f.NewPath, f.AddedCount, f.RemovedCount)).Should().Equal(("bad.c", 1, 0), ("good.c", 1, 1));
        diff.Files[0].Span.End.Should().Be(bad);
        diff.Files[0].Hunks[0].LineCount.Should().Be(2);

        FluentActions.Invoking(() => Load("corrupt.diff", PatchParseOptions.Strict)).Should().Throw<PatchFormatException>()
            .Which.Diagnostic.Offset.Should().Be(bad);
    }

    [Fact]
    public void Traditional_DiffRuNIndexAndTimestamps()
    {
        PatchDiff diff = Load("traditional.diff");
        diff.Diagnostics.Should().BeEmpty();
        diff.Preamble.Length.Should().Be("Only in old: gone.txt\n".Length);
        diff.Files.Select(f => (f.Dialect, f.OldPath, f.NewPath, f.AddedCount, f.RemovedCount)).Should().Equal(
            (DiffDialect.Unified, "a.c", "a.c", 1, 1),
            (DiffDialect.Unified, "b.c", "b.c", 1, 0),
            (DiffDialect.Index, "trunk/src/svn.c", "trunk/src/svn.c", 1, 1),
            (DiffDialect.Unified, "a.c", "a.c", 1, 0));
        DiffHunk omitted = diff.Files[0].Hunks[0];
        (omitted.OldStart, omitted.OldCount, omitted.NewStart, omitted.NewCount).Should().Be((3, 1, 3, 1));
        omitted.Lines.Select(l => (l.OldNumber, l.NewNumber)).Should().Equal((3, 0), (0, 3));
        diff.Files[1].Hunks[0].Section.Should().Be("int main(void)");
        diff.Files[1].HeaderSpan.Offset.Should().Be(OffsetOf(diff, "diff -ruN old/b.c"));
        diff.Files[2].HeaderSpan.Offset.Should().Be(OffsetOf(diff, "Index: trunk"));
        diff.PatchId.Should().NotBeNull("git patch-id hashes from the first 'diff ' line");
    }

    [Fact]
    public void A_plain_diff_line_followed_by_git_header_lines_starts_its_file_as_git_patch_id_reads_it()
    {
        // A git diff whose "diff --git" lines were rewritten to "diff -r -u" (seen in patches shipped with
        // build tools), the "new file mode" and "index" lines kept. Expected values from git apply --numstat
        // and git patch-id --stable on the same bytes.
        const string text =
            "diff -r -u ./lib/ring.c ./lib/ring.c\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ ./lib/ring.c\n" +
            "@@ -0,0 +1,3 @@\n+int ring_size;\n+\n+int ring_init(void);\n" +
            "diff -r -u ./lib/ring.h ./lib/ring.h\nindex 1111111..2222222 100644\n--- ./lib/ring.h\n+++ ./lib/ring.h\n" +
            "@@ -1,3 +1,3 @@\n #pragma once\n-int ring_init(int);\n+int ring_init(void);\n \n";
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Select(f => (f.Dialect, f.OldPath, f.NewPath, f.Status, f.AddedCount, f.RemovedCount)).Should().Equal(
            (DiffDialect.Unified, null, "lib/ring.c", DiffFileStatus.Added, 3, 0),
            (DiffDialect.Unified, "lib/ring.h", "lib/ring.h", DiffFileStatus.Modified, 1, 1));
        diff.Files.Select(f => f.Span.Offset).Should().Equal(0, OffsetOf(diff, "diff -r -u ./lib/ring.h"));
        diff.PatchId.Should().Be("eb88fb74bfae8a551f04ee0a2c377086e1d36481");
        diff.ToString().Should().Be(text);
    }

    [Fact]
    public void A_NUL_byte_ends_what_patch_id_hashes_of_its_line_as_git_does()
    {
        // GNU `diff -a` of a file with NUL bytes. git patch-id reads each line as a C string, so what follows a NUL
        // is not hashed: both the expected ids are `git patch-id --stable` on these bytes, and the first equals the
        // id of the same diff with every line cut at its NUL. git apply --numstat counts the lines whole: 1 1.
        const string withNul = "diff -u a/blob.dat b/blob.dat\n--- a/blob.dat\n+++ b/blob.dat\n@@ -1,3 +1,3 @@\n head\n" +
            "-old\0tail one\n+new\0tail two\n \0only after nul\n";
        const string cut = "diff -u a/blob.dat b/blob.dat\n--- a/blob.dat\n+++ b/blob.dat\n@@ -1,3 +1,3 @@\n head\n-old\n+new\n \n";
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(withNul));
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Select(f => (f.NewPath, f.AddedCount, f.RemovedCount)).Should().Equal(("blob.dat", 1, 1));
        diff.Files[0].Hunks[0].Lines.Select(l => diff.Files[0].Hunks[0].GetText(l)).Should().Equal("head", "old\0tail one", "new\0tail two", "\0only after nul");
        diff.PatchId.Should().Be("07161336f3139ae2eae31322cf0dba7d52230edf");
        PatchDiff.Parse(Encoding.UTF8.GetBytes(cut)).PatchId.Should().Be("07161336f3139ae2eae31322cf0dba7d52230edf");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_traditional_diff_whose_first_names_have_no_slash_keeps_every_name_whole(bool configureFirst)
    {
        // git apply guesses -p0 from the first '---'/'+++' names that settle it ("configure.ac" has no '/') and
        // keeps it for the rest of the patch; a first name with a '/' settles nothing, so -p1 strips "lib/".
        const string configure = "--- configure.ac\n+++ configure.ac\n@@ -1,2 +1,2 @@\n-AC_INIT(ring, 1.0)\n+AC_INIT(ring, 1.1)\n AC_PROG_CC\n";
        const string ring = "--- lib/ring.c\n+++ lib/ring.c\n@@ -1,2 +1,2 @@\n-int ring_size;\n+long ring_size;\n int ring_init(void);\n";
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(configureFirst ? configure + ring : ring + configure));
        diff.Diagnostics.Should().BeEmpty();
        var names = diff.Files.Select(f => f.NewPath).ToList();
        if (configureFirst)
        {
            names.Should().Equal("configure.ac", "lib/ring.c");
        }
        else
        {
            names.Should().Equal("ring.c", "configure.ac");
        }
    }

    [Fact]
    public void A_git_header_without_prefixes_over_prefixed_minus_plus_lines_names_the_file_once()
    {
        // "diff --git configure configure" (no a/ b/) over "--- a/configure" and "+++ b/configure": git apply
        // --numstat says "configure", and so must the diffstat cross-check's lookup.
        const string text = "diff --git configure configure\nindex 829dd69..455481b 100755\n--- a/configure\n+++ b/configure\n" +
            "@@ -1,3 +1,2 @@\n #!/bin/sh\n-MULTIARCH=$($CC --print-multiarch)\n echo ok\n";
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.AddedCount, f.RemovedCount)).Should().Equal(
            ("configure", "configure", DiffFileStatus.Modified, 0, 1));
        diff.PatchId.Should().Be("0b336e13ccbce8eb6be2c5a8260500a0754a2a40");
    }

    [Fact]
    public void A_delta_whose_header_claims_a_huge_target_is_refused_before_anything_is_allocated_for_it()
    {
        // A 3-byte pre-image and a delta that claims a 200,000,000-byte target but inserts one byte: git's
        // format lets the header say anything. Applying it must fail (KP0506) without allocating the claim.
        byte[] delta = [3, .. Varint(200_000_000), 1, (byte)'x'];
        var text = new StringBuilder("diff --git a/f.bin b/f.bin\nindex 1111111..2222222 100644\nGIT binary patch\ndelta ")
            .Append(delta.Length).Append('\n');
        KernelPatch.Benchmarks.MailboxGenerator.AppendBase85Lines(text, Zlib(delta));
        text.Append("\nliteral 0\nHcmV?d00001\n\n");
        PatchDiff diff = PatchDiff.Parse(Encoding.ASCII.GetBytes(text.ToString()));
        DiffBinaryPatch patch = diff.Files.Should().ContainSingle().Subject.BinaryPatch!;
        patch.Forward.Decode().Should().Equal(delta);

        byte[] pre = [1, 2, 3];
        FluentActions.Invoking(() => patch.ApplyDelta(pre)).Should().Throw<PatchFormatException>(); // warm-up: JIT allocations are not the delta's
        long before = GC.GetAllocatedBytesForCurrentThread();
        FluentActions.Invoking(() => patch.ApplyDelta(pre)).Should().Throw<PatchFormatException>()
            .Which.Diagnostic.Code.Should().Be("KP0506");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    [Fact]
    public void Combined_OneColumnPerParent()
    {
        PatchDiff diff = Load("combined.diff");
        diff.Diagnostics.Should().BeEmpty();
        DiffFile file = diff.Files.Should().ContainSingle().Subject;
        (file.Dialect, file.OldPath, file.NewPath, file.Status).Should().Be((DiffDialect.Combined, "merged.c", "merged.c", DiffFileStatus.Modified));
        file.Hunks.Should().BeEmpty();
        DiffCombinedHunk hunk = file.CombinedHunks.Should().ContainSingle().Subject;
        hunk.ParentCount.Should().Be(2);
        hunk.OldStarts.Should().Equal(1, 1);
        hunk.OldCounts.Should().Equal(3, 4);
        (hunk.NewStart, hunk.NewCount, hunk.LineCount).Should().Be((1, 4, 6));
        hunk.Section.Should().Be("int merged(void)");
        var spans = hunk.GetLineSpans();
        spans.Should().HaveCount(6);
        spans[0].Should().Be(new KernelPatch.Text.SourceSpan(OffsetOf(diff, "  common"), "  common\n".Length));
        spans.Select(l => (char)hunk.GetMarker(l.Offset, 0)).Should().Equal(' ', '-', ' ', '+', '+', ' ');
        spans.Select(l => (char)hunk.GetMarker(l.Offset, 1)).Should().Equal(' ', ' ', '-', '+', ' ', ' ');
        int theirs = OffsetOf(diff, " -theirs");
        hunk.GetMarker(theirs, 0).Should().Be((byte)' ');
        hunk.GetMarker(theirs, 1).Should().Be((byte)'-');
    }

    [Theory]
    // both names quoted, octal escapes decoded to UTF-8
    [InlineData("diff --git \"a/t\\303\\251st\" \"b/t\\303\\251st\"\nnew file mode 100644\n", "t\u00e9st")]
    // a name with spaces: the split is where both halves agree once a/ and b/ are stripped
    [InlineData("diff --git a/has spaces/x y b/has spaces/x y\nnew file mode 100644\n", "has spaces/x y")]
    // no prefixes at all (diff.noprefix): identical halves are kept whole
    [InlineData("diff --git dir/f.c dir/f.c\nnew file mode 100644\n", "dir/f.c")]
    // quoted with a tab and an escaped quote
    [InlineData("diff --git \"a/x\\ty\\\"z\" \"b/x\\ty\\\"z\"\nnew file mode 100644\n", "x\ty\"z")]
    public void QuotedAndSpacedNames(string text, string expected)
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes(text));
        diff.Diagnostics.Should().BeEmpty();
        diff.Files.Should().ContainSingle().Which.NewPath.Should().Be(expected);
        diff.Files[0].OldPath.Should().BeNull();
    }

    [Theory]
    // counts omitted mean 1
    [InlineData("@@ -5 +7 @@\n-a\n+b\n", 5, 1, 7, 1, "")]
    // zero-length old side
    [InlineData("@@ -0,0 +1,2 @@ s\n+a\n+b\n", 0, 0, 1, 2, "s")]
    // zero-length new side
    [InlineData("@@ -3,2 +2,0 @@\n-a\n-b\n", 3, 2, 2, 0, "")]
    // section without the space after @@
    [InlineData("@@ -1 +1 @@fn\n a\n", 1, 1, 1, 1, "fn")]
    public void HunkHeaders(string hunk, int oldStart, int oldCount, int newStart, int newCount, string section)
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes("--- a/f\n+++ b/f\n" + hunk));
        DiffHunk h = diff.Files.Should().ContainSingle().Subject.Hunks.Should().ContainSingle().Subject;
        (h.OldStart, h.OldCount, h.NewStart, h.NewCount, h.Section).Should().Be((oldStart, oldCount, newStart, newCount, section));
        h.Span.Length.Should().Be(hunk.Length);
    }

    [Theory]
    // header that is not a range
    [InlineData("@@ -x +1 @@\n a\n", "KP0502")]
    // body shorter than the counts
    [InlineData("@@ -1,3 +1,3 @@\n a\n", "KP0501")]
    // an added line beyond the new count
    [InlineData("@@ -1 +1 @@\n-a\n+b\n+c\n", "")]
    // a removed line where only added lines are left
    [InlineData("@@ -1,1 +1,2 @@\n-a\n-b\n+c\n", "KP0501")]
    public void CorruptCounts(string hunk, string code)
    {
        PatchDiff diff = PatchDiff.Parse(Encoding.UTF8.GetBytes("--- a/f\n+++ b/f\n" + hunk));
        if (code.Length == 0)
        {
            // the hunk ends when its counts are met; the extra '+c' is junk after the file, as in git apply
            diff.Diagnostics.Should().BeEmpty();
            diff.Files[0].AddedCount.Should().Be(1);
            return;
        }

        diff.Diagnostics.Should().Contain(d => d.Code == code && d.Severity == PatchDiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("git-features.diff")]
    [InlineData("hunks.diff")]
    [InlineData("corrupt.diff")]
    [InlineData("traditional.diff")]
    [InlineData("combined.diff")]
    public void CrlfCopyOfAFixture_GivesTheSameRecords(string name)
    {
        byte[] lf = File.ReadAllBytes(TestPaths.Fixture("diff", name));
        byte[] crlf = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(lf).Replace("\n", "\r\n", StringComparison.Ordinal));
        PatchDiff a = PatchDiff.Parse(lf);
        PatchDiff b = PatchDiff.Parse(crlf);
        b.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.Dialect, f.IsBinary, f.AddedCount, f.RemovedCount, f.Hunks.Length, f.CombinedHunks.Length))
            .Should().Equal(a.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.Dialect, f.IsBinary, f.AddedCount, f.RemovedCount, f.Hunks.Length, f.CombinedHunks.Length)));
        b.Diagnostics.Select(d => d.Code).Should().Equal(a.Diagnostics.Select(d => d.Code));
        for (int i = 0; i < a.Files.Length; i++)
        {
            for (int h = 0; h < a.Files[i].Hunks.Length; h++)
            {
                DiffHunk x = a.Files[i].Hunks[h];
                DiffHunk y = b.Files[i].Hunks[h];
                y.Section.Should().Be(x.Section);
                y.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber, l.NoNewlineAtEnd, y.GetText(l).TrimEnd('\r')))
                    .Should().Equal(x.Lines.Select(l => (l.Kind, l.OldNumber, l.NewNumber, l.NoNewlineAtEnd, x.GetText(l))));
            }

            if (a.Files[i].BinaryPatch is { } binary)
            {
                b.Files[i].BinaryPatch!.Forward.Decode().Should().Equal(binary.Forward.Decode());
            }
        }
    }
}
