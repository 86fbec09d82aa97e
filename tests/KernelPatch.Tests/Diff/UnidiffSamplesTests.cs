using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

public sealed class UnidiffSamplesTests
{
    private readonly ITestOutputHelper _output;

    public UnidiffSamplesTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private PatchDiff? Load(string name)
    {
        if (!TestPaths.TryCorpus(_output, out string path, "unidiff-samples", name))
        {
            return null;
        }

        return PatchDiff.Parse(File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("binary.diff", 1, 0)]
    [InlineData("bzr.diff", 3, 0)]
    [InlineData("debdiff.diff", 3, 0)]
    [InlineData("git.diff", 3, 0)]
    [InlineData("git_cr.diff", 1, 0)]
    [InlineData("git_delete.diff", 1, 0)]
    [InlineData("git_filenames_with_spaces.diff", 1, 0)]
    [InlineData("git_filenames_with_spaces_prefix.diff", 1, 0)]
    [InlineData("git_no_prefix.diff", 3, 0)]
    [InlineData("git_quoted_filename.diff", 1, 0)]
    [InlineData("git_quoted_filename_with_spaces.diff", 1, 0)]
    [InlineData("git_rename.diff", 3, 0)]
    [InlineData("git_symlink.diff", 1, 0)]
    [InlineData("hg.diff", 3, 0)]
    [InlineData("sample0.diff", 3, 0)]
    // malformed on purpose: `git apply` says "corrupt patch at line 32"
    [InlineData("sample1.diff", 1, 1)]
    // truncated inside the last hunk: `git apply` says "corrupt patch at line 53"
    [InlineData("sample2.diff", 2, 1)]
    [InlineData("sample3.diff", 3, 0)]
    [InlineData("sample4.diff", 3, 0)]
    [InlineData("sample5.diff", 2, 0)]
    // a hunk longer than its header: `git apply` says "corrupt patch at line 39"
    [InlineData("sample6.diff", 1, 1)]
    // a hunk shorter than its header: `git apply` says "corrupt patch at line 30"
    [InlineData("sample7.diff", 1, 1)]
    [InlineData("sample8.diff", 5, 0)]
    [InlineData("svn.diff", 3, 0)]
    public void Sample_FileCountErrorsAndRoundTrip(string name, int files, int errors)
    {
        if (Load(name) is not { } diff)
        {
            return;
        }

        diff.Files.Should().HaveCount(files);
        diff.Diagnostics.Count(d => d.Severity == PatchDiagnosticSeverity.Error).Should().Be(errors);
        var stream = new MemoryStream();
        diff.WriteTo(stream);
        stream.ToArray().Should().Equal(diff.Source.ToArray());
        if (errors == 0)
        {
            diff.Validate().Should().BeEmpty();
        }
    }

    [Fact]
    public void Sample1_CorruptAtGitsLine()
    {
        if (Load("sample1.diff") is not { } diff)
        {
            return;
        }

        PatchDiagnostic error = diff.Diagnostics.Should().ContainSingle().Subject;
        error.Code.Should().Be("KP0501");
        error.GetLineColumn(diff.Source.Span).LineNumber.Should().Be(32, "git apply reports 'corrupt patch at line 32'");
    }

    [Fact]
    public void Sample0_FilesHunksAndSection()
    {
        if (Load("sample0.diff") is not { } diff)
        {
            return;
        }

        diff.Files.Select(f => (f.Status, f.Path)).Should().Equal(
            (DiffFileStatus.Modified, "path/to/new"), (DiffFileStatus.Added, "path/to/another_new"), (DiffFileStatus.Deleted, "path/to/existing"));
        DiffFile first = diff.Files[0];
        first.Hunks.Select(h => (h.AddedCount, h.RemovedCount)).Should().Equal((6, 0), (2, 8), (4, 0));
        first.Hunks[0].Section.Should().Be("Section Header");
        first.Hunks[1].Section.Should().BeEmpty();
        (first.AddedCount, first.RemovedCount).Should().Be((12, 8));
        first.Hunks[1].Lines.Should().HaveCount(18);
        first.Hunks[1].Lines[^1].Should().Match<DiffLine>(l => l.OldNumber == 20 && l.NewNumber == 20 && l.Kind == DiffLineKind.Context);
    }

    [Fact]
    public void Sample3_NoNewlineMarkers()
    {
        if (Load("sample3.diff") is not { } diff)
        {
            return;
        }

        var marked = new List<(string Path, DiffLineKind Kind, string Text)>();
        foreach (DiffFile file in diff.Files)
        {
            foreach (DiffHunk hunk in file.Hunks)
            {
                foreach (DiffLine line in hunk.EnumerateLines())
                {
                    if (line.NoNewlineAtEnd)
                    {
                        marked.Add((file.Path!, line.Kind, hunk.GetText(line)));
                    }
                }
            }
        }

        marked.Should().Equal(
            ("added_file", DiffLineKind.Added, "Only for testing purposes."),
            ("modified_file", DiffLineKind.Removed, "This will stay."),
            ("removed_file", DiffLineKind.Removed, "This file will be removed."));
    }

    [Fact]
    public void Sample4_CrlfKept()
    {
        if (Load("sample4.diff") is not { } diff)
        {
            return;
        }

        DiffHunk hunk = diff.Files[0].Hunks[0];
        hunk.GetText(hunk.Lines[0]).Should().Be("This was missing!\r");
        hunk.GetText(hunk.Lines[1]).Should().Be("hol\u00e1 mundo!\r");
        hunk.GetText(hunk.Lines[3]).Should().Be("Only for testing purposes.");
        hunk.Lines[3].NoNewlineAtEnd.Should().BeTrue();
    }

    [Fact]
    public void GitRename_TwoRenamedWithOneAddedLineEach()
    {
        if (Load("git_rename.diff") is not { } diff)
        {
            return;
        }

        diff.Files.Select(f => (f.OldPath, f.NewPath, f.Status, f.AddedCount, f.RemovedCount, f.Similarity)).Should().Equal(
            ("added", "moved", DiffFileStatus.Renamed, 1, 1, (int?)85),
            ("oldfile", "newfile", DiffFileStatus.Renamed, 1, 1, (int?)85),
            // rename from/to are taken as written (git does the same), not from the diff --git line
            ("onefile", "otherfile", DiffFileStatus.Renamed, 0, 0, (int?)100));
    }

    [Fact]
    public void Binary_OneAddedPng()
    {
        if (Load("binary.diff") is not { } diff)
        {
            return;
        }

        DiffFile file = diff.Files.Should().ContainSingle().Subject;
        (file.OldPath, file.NewPath, file.Status, file.IsBinary).Should().Be(((string?)null, "1x1.png", DiffFileStatus.Added, true));
        DiffBinaryPatch patch = file.BinaryPatch!;
        (patch.Forward.Kind, patch.Forward.Size, patch.Reverse!.Size).Should().Be((DiffBinaryBlockKind.Literal, 95L, 0L));
        byte[] png = patch.Forward.Decode();
        png.Should().HaveCount(95);
        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        diff.Preamble.Length.Should().Be(file.Span.Offset);
    }

    [Theory]
    [InlineData("git_quoted_filename.diff", "A \u00e2 B.py")]
    [InlineData("git_quoted_filename_with_spaces.diff", "docs/develop/Bug \u6392\u67e5.md")]
    [InlineData("git_filenames_with_spaces.diff", "has spaces/t.sql")]
    [InlineData("git_no_prefix.diff", "file1")]
    [InlineData("git_symlink.diff", "bin/check")]
    public void Names(string name, string path)
    {
        if (Load(name) is not { } diff)
        {
            return;
        }

        diff.Files[0].Path.Should().Be(path);
    }

    [Theory]
    [InlineData("svn.diff", DiffDialect.Index)]
    [InlineData("hg.diff", DiffDialect.Unified)]
    [InlineData("bzr.diff", DiffDialect.Unified)]
    [InlineData("git.diff", DiffDialect.Git)]
    public void Dialects(string name, DiffDialect dialect)
    {
        if (Load(name) is not { } diff)
        {
            return;
        }

        diff.Files.Select(f => (f.Dialect, f.Status, f.Path, f.AddedCount, f.RemovedCount)).Should().BeEquivalentTo(new[]
        {
            (dialect, DiffFileStatus.Added, "added_file", 4, 0),
            (dialect, DiffFileStatus.Modified, "modified_file", 3, 1),
            (dialect, DiffFileStatus.Deleted, "removed_file", 0, 3),
        });
    }

    [Fact]
    public void Debdiff_BinaryFilesLinesAreBinaryFiles()
    {
        if (Load("debdiff.diff") is not { } diff)
        {
            return;
        }

        // python-unidiff also finds 3 files, the last two binary; paths here are stripped of one component as git -p1 does
        diff.Files.Select(f => (f.Dialect, f.Status, f.NewPath, f.IsBinary)).Should().Equal(
            (DiffDialect.Unified, DiffFileStatus.Added, "added.txt", false),
            (DiffDialect.Unified, DiffFileStatus.Modified, "t/p2/a.png", true),
            (DiffDialect.Unified, DiffFileStatus.Modified, "t/p2/b.png", true));
        diff.Files[1].Span.Offset.Should().Be(diff.Source.Span.IndexOf("Binary files Binary files /t/p1/a.png"u8));
    }
}
