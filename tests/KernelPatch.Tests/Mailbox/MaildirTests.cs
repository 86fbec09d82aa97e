using System.Text;
using KernelPatch.Mailbox;
using KernelPatch.Tests.EndToEnd;
using KernelPatch.Tool;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mailbox;

/// <summary>
/// Maildirs (lei's output, a mail client's folder): one message per file in <c>cur/</c> and <c>new/</c>, read in
/// <c>git mailsplit</c>'s order, assembled into series like an mbox.
/// </summary>
public sealed class MaildirTests : IDisposable
{
    // The sample series' six messages (cover, three patches, two replies) get these names: in git mailsplit's order
    // (cur before new, numbers compared by value) they come in the mbox's order; sorted as plain strings they do not.
    private static readonly string[] s_names =
    [
        "cur/999999999.M1P1.host:2,S",
        "cur/1000000000.M2P1.host:2,RS",
        "new/1700000000.M9P1.host",
        "new/1700000000.M10P1.host",
        "new/1700000000.M11P1.host",
        "new/1700000001.M1P1.host",
    ];

    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kernelpatch-maildir-" + Guid.NewGuid().ToString("N"));
    private readonly PatchMailbox _sample = PatchMailbox.Parse(SampleSeries.Load());

    public MaildirTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Writes the sample series as a maildir, with a dot file, a file in tmp/ and an empty file beside it.</summary>
    private string WriteSampleMaildir()
    {
        string dir = Path.Combine(_root, "inbox");
        foreach (string folder in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(dir, folder));
        }

        var input = SampleSeries.Load();
        _sample.Messages.Should().HaveCount(s_names.Length);
        for (int i = 0; i < s_names.Length; i++)
        {
            var content = _sample.Messages[i].Content;
            File.WriteAllBytes(Path.Combine(dir, s_names[i]), input.AsSpan(content.Offset, content.Length).ToArray());
        }

        File.WriteAllText(Path.Combine(dir, "cur", ".dovecot-uidlist"), "not a message\n");
        File.WriteAllText(Path.Combine(dir, "tmp", "1700000003.M1P1.host"), "From: half <written@example.org>\n");
        File.WriteAllText(Path.Combine(dir, "new", "1700000002.M1P1.host"), string.Empty);
        return dir;
    }

    [Fact]
    public void A_maildir_loads_in_git_mailsplit_order_and_assembles_as_the_mbox_does()
    {
        string dir = WriteSampleMaildir();
        var box = PatchMailbox.Load(dir);

        box.Format.Should().Be(PatchInputFormat.Maildir);
        box.Messages.Select(m => m.Title).Should().Equal(_sample.Messages.Select(m => m.Title));
        box.Messages.Select(m => Path.GetRelativePath(dir, m.SourcePath!).Replace('\\', '/')).Should().Equal(s_names);
        box.Messages.Select(m => m.Index).Should().Equal(0, 1, 2, 3, 4, 5);
        box.Messages.Should().AllSatisfy(m => (m.Format, m.SourceOffset, m.Span.Offset).Should().Be((PatchInputFormat.Message, 0L, 0)));
        box.Messages[0].Span.Length.Should().Be((int)new FileInfo(box.Messages[0].SourcePath!).Length);
        _sample.Messages.Should().AllSatisfy(m => m.SourcePath.Should().BeNull());

        var diagnostic = box.Diagnostics.Should().ContainSingle().Subject;
        (diagnostic.Code, diagnostic.Severity).Should().Be(("KP0108", PatchDiagnosticSeverity.Warning));
        diagnostic.Message.Should().Contain(Path.Combine("new", "1700000002.M1P1.host"));

        var series = box.Series.Should().ContainSingle().Subject;
        var expected = _sample.Series.Single();
        (series.Version, series.Title, series.Patches.Length, series.IsComplete).Should().Be((expected.Version, expected.Title, 3, true));
        series.CoverLetter!.SourcePath.Should().EndWith("999999999.M1P1.host:2,S");
        series.Patches.Select(p => p.FollowUpTrailers.Length).Should().Equal(expected.Patches.Select(p => p.FollowUpTrailers.Length));
        series.Patches.Sum(p => p.FollowUpTrailers.Length).Should().Be(4);
        box.GetReplies(series.Patches[0].Message).Should().ContainSingle().Which.SourcePath.Should().EndWith("1700000000.M11P1.host");

        var one = PatchSeries.Load(dir);
        (one.Title, one.Version).Should().Be((series.Title, series.Version));
        PatchSeries.From(box).Should().BeSameAs(series);
    }

    [Fact]
    public void Read_streams_a_maildir_one_file_at_a_time_and_a_file_as_Read_of_its_stream_does()
    {
        string dir = WriteSampleMaildir();
        var streamed = PatchMailbox.Read(dir).ToList();
        streamed.Select(m => (m.Index, m.Title, m.SourcePath)).Should().Equal(PatchMailbox.Load(dir).Messages.Select(m => (m.Index, m.Title, m.SourcePath)));

        string mbox = Path.Combine(_root, "sample.mbox");
        File.WriteAllBytes(mbox, SampleSeries.Load());
        PatchMailbox.Read(mbox).Select(m => (m.Title, m.SourceOffset)).Should().Equal(_sample.Messages.Select(m => (m.Title, (long)m.Span.Offset)));
    }

    [Fact]
    public void A_folder_that_is_not_a_maildir_is_an_error_not_an_empty_mailbox()
    {
        string plain = Path.Combine(_root, "patches");
        Directory.CreateDirectory(plain);
        File.WriteAllBytes(Path.Combine(plain, "0001-x.patch"), SampleSeries.Load());

        var load = () => PatchMailbox.Load(plain);
        load.Should().Throw<IOException>().WithMessage("*not a maildir*neither a cur nor a new folder*");
        var read = () => PatchMailbox.Read(plain).ToList();
        read.Should().Throw<IOException>();

        var (exit, _, stderr) = CorpusAgreementTests.RunTool("series", plain);
        exit.Should().Be(CommandLine.ExitUsage);
        stderr.Should().Contain("cannot read '" + plain + "'").And.Contain("not a maildir");
    }

    [Fact]
    public void The_command_reads_a_maildir_as_it_reads_the_mbox()
    {
        string dir = WriteSampleMaildir();
        string mbox = Path.Combine(_root, "sample.mbox");
        File.WriteAllBytes(mbox, SampleSeries.Load());

        var (exit, fromDir, _) = CorpusAgreementTests.RunTool("series", dir);
        exit.Should().Be(0);
        var (_, fromMbox, _) = CorpusAgreementTests.RunTool("series", mbox);
        fromDir.Should().Be(fromMbox, "series JSON names messages by id, not by position");

        var (messagesExit, lines, _) = CorpusAgreementTests.RunTool("messages", dir);
        messagesExit.Should().Be(0);
        var objects = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        objects.Should().HaveCount(6);
        objects[3].Should().Contain("\"index\":3").And.Contain("\"offset\":0");

        var (showExit, shown, _) = CorpusAgreementTests.RunTool("show", dir);
        showExit.Should().Be(0);
        shown.Should().StartWith("ringbuf: validate sizes, add ringbuf_free()\n");
    }

    [Fact]
    public void Maildir_named_for_bytes_reads_them_as_one_message()
    {
        var options = new PatchParseOptions { Format = PatchInputFormat.Maildir };
        var box = PatchMailbox.Parse(SampleSeries.Load(), options);
        box.Format.Should().Be(PatchInputFormat.Message);
        box.Messages.Should().ContainSingle().Which.Format.Should().Be(PatchInputFormat.Message);
        using var stream = new MemoryStream(SampleSeries.Load());
        PatchMailbox.Read(stream, options).Should().ContainSingle().Which.Format.Should().Be(PatchInputFormat.Message);
    }

    [Fact]
    public void Git_mailsplit_takes_the_files_in_the_same_order()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        string dir = WriteSampleMaildir();
        File.Delete(Path.Combine(dir, "new", "1700000002.M1P1.host")); // git writes an empty file out as a message
        string split = Path.Combine(_root, "split");
        Directory.CreateDirectory(split);
        git.Run(_root, "mailsplit", "-o" + split, dir).Trim().Should().Be("6");
        var theirs = Directory.GetFiles(split).Order(StringComparer.Ordinal).Select(f => PatchMailbox.Parse(File.ReadAllBytes(f)).Messages.Single().Title);
        theirs.Should().Equal(PatchMailbox.Load(dir).Messages.Select(m => m.Title));
    }

    [Theory]
    [InlineData("999999999.M3P1.host", "1700000000.M1P1.host", -1)] // digit runs by value
    [InlineData("1700000000.M9P1.host", "1700000000.M10P1.host", -1)]
    [InlineData("1700000000.M10P1.host", "1700000000.M10P1.host", 0)]
    [InlineData("a007", "a7", -1)] // the same value: the written form decides
    [InlineData("abc", "abd", -1)]
    [InlineData("ab", "abc", -1)]
    [InlineData("x2", "xa", -1)] // a digit before a letter, as in ASCII
    public void Maildir_names_compare_with_their_numbers_by_value(string a, string b, int sign)
    {
        Math.Sign(Maildir.CompareNames(a, b)).Should().Be(sign);
        Math.Sign(Maildir.CompareNames(b, a)).Should().Be(-sign);
    }

    [Fact]
    public void Every_message_of_the_b4_history_reads_the_same_from_a_maildir()
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox"))
        {
            return;
        }

        byte[] input = File.ReadAllBytes(mbox);
        var fromMbox = PatchMailbox.Parse(input);
        string dir = Path.Combine(_root, "b4");
        Directory.CreateDirectory(Path.Combine(dir, "cur"));
        for (int i = 0; i < fromMbox.Messages.Length; i++)
        {
            // the whole entry, its "From <sha>" line included: a file may begin with one
            var span = fromMbox.Messages[i].Span;
            File.WriteAllBytes(Path.Combine(dir, "cur", (1_600_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".M" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "P1.host:2,S"), input.AsSpan(span.Offset, span.Length).ToArray());
        }

        var fromDir = PatchMailbox.Load(dir);
        fromDir.Messages.Should().HaveCount(1392);
        fromDir.Messages.Select(m => (m.Title, m.Author?.Email, m.Diff?.PatchId, m.Diagnostics.Length))
            .Should().Equal(fromMbox.Messages.Select(m => (m.Title, m.Author?.Email, m.Diff?.PatchId, m.Diagnostics.Length)));
        fromDir.Series.Should().ContainSingle().Which.Patches.Should().HaveCount(1392);
    }
}
