using System.Text;
using System.Text.Json;
using KernelPatch.Tests.EndToEnd;
using KernelPatch.Tool;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Tool;

public class CommandLineTests
{
    private readonly ITestOutputHelper _output;

    public CommandLineTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Show_without_a_path_prints_the_sample_series_that_ships_in_the_tool()
    {
        var (exit, stdout, stderr) = CorpusAgreementTests.RunTool("show");
        _output.WriteLine(stdout);
        exit.Should().Be(CommandLine.ExitOk);
        stderr.Should().BeEmpty();
        string[] lines = stdout.Split('\n');
        lines[0].Should().Be("ringbuf: validate sizes, add ringbuf_free()");
        lines[1].Should().Be("  v2, 3/3 patches, by Ada Lovelace <ada@example.org>, 2026-03-10T09:59:00+01:00");
        stdout.Should().Contain("  [0/3] cover letter: ringbuf: validate sizes, add ringbuf_free()\n");
        // The cover letter's diffstat beside the one computed from the patches: git's is the net
        // diff base..tip (lib/ringbuf.h, changed by patch 2 then renamed by patch 3, is one file
        // there), ours counts every path a patch touches.
        stdout.Should().Contain("        declared: 3 files, +11 -0; the patches present: 4 files, +11 -0\n");
        stdout.Should().Contain("  [1/3] lib/ringbuf: reject sizes that are not a power of two\n");
        stdout.Should().Contain("        lib/ringbuf.c (modified) +3 -0\n");
        // Patch 2 was sent by Ada with an in-body From: naming Grace, who is the author.
        stdout.Should().Contain("  [2/3] lib/ringbuf: add ringbuf_free()\n        author: Grace Hopper <grace@example.com>, 2026-03-10T10:05:00+01:00\n");
        stdout.Should().Contain("        lib/ringbuf.h => include/ringbuf.h (renamed) +0 -0\n");
        stdout.Should().Contain("        Reviewed-by: Grace Hopper <grace@example.com>  (follow-up, from reply #4)\n");
        Count(stdout, "Tested-by: Alan Turing <alan@example.net>  (follow-up, from reply #5)").Should().Be(3, "a trailer on the cover letter applies to every patch");
        stdout.Should().Contain("  replies: 2\n");
    }

    [Fact]
    public void Show_prints_a_follow_up_trailer_s_note_below_it()
    {
        string path = Path.Combine(Path.GetTempPath(), "kp-show-note-" + Guid.NewGuid().ToString("N") + ".mbox");
        File.WriteAllText(path,
            "From x Mon Sep 17 00:00:00 2001\nFrom: Jane Doe <jane@example.org>\nSubject: [PATCH] lib: fix b\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n" +
            "Message-ID: <p1@example.org>\n\nFix b.\n\nSigned-off-by: Jane Doe <jane@example.org>\n---\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n" +
            "From x Mon Sep 17 00:00:00 2001\nFrom: Bob Roe <bob@example.com>\nSubject: Re: [PATCH] lib: fix b\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n" +
            "Message-ID: <r1@example.com>\nIn-Reply-To: <p1@example.org>\n\nAcked-by: Bob Roe <bob@example.com>\n  [for the arm64 bits]\n");
        try
        {
            var (exit, stdout, _) = CorpusAgreementTests.RunTool("show", path);
            exit.Should().Be(CommandLine.ExitOk);
            stdout.Should().Contain("        Acked-by: Bob Roe <bob@example.com>  (follow-up, from reply #1)\n        [for the arm64 bits]\n");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Show_explain_prints_the_reason_for_each_decision()
    {
        var (exit, stdout, _) = CorpusAgreementTests.RunTool("show", "--explain");
        exit.Should().Be(0);
        stdout.Should().Contain("why: CoverLetter: ");
        stdout.Should().Contain("why: Patch: patch 1 of series 0: it replies");
        stdout.Should().Contain("why: Reply: it answers message #1");
    }

    [Fact]
    public void Messages_prints_one_json_object_per_message_with_every_field_present()
    {
        using var sample = new SampleFile();
        var (exit, stdout, _) = CorpusAgreementTests.RunTool("messages", sample.Path);
        exit.Should().Be(0);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(6);
        string[] fields = ["index", "offset", "length", "messageId", "inReplyTo", "references", "from", "author", "date", "subject", "title", "prefix", "kind", "body", "trailers", "diffstat", "files", "patchId", "diagnostics"];
        var kinds = new List<string>();
        foreach (string line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            names.Should().Equal(fields);
            kinds.Add(doc.RootElement.GetProperty("kind").GetString()!);
        }

        kinds.Should().Equal("cover", "patch", "patch", "patch", "reply", "reply");
        using var patch2 = JsonDocument.Parse(lines[2]);
        var p = patch2.RootElement;
        p.GetProperty("from").GetProperty("name").GetString().Should().Be("Ada Lovelace");
        p.GetProperty("author").GetProperty("name").GetString().Should().Be("Grace Hopper");
        p.GetProperty("prefix").GetProperty("version").GetInt32().Should().Be(2);
        p.GetProperty("prefix").GetProperty("index").GetInt32().Should().Be(2);
        p.GetProperty("prefix").GetProperty("total").GetInt32().Should().Be(3);
        p.GetProperty("diffstat").GetProperty("insertions").GetInt32().Should().Be(6);
        p.GetProperty("files").GetArrayLength().Should().Be(2);
        p.GetProperty("patchId").GetString().Should().MatchRegex("^[0-9a-f]{40}$");
        p.GetProperty("inReplyTo").GetString().Should().Be("cover.1795450331.git.ada@example.org");
    }

    [Fact]
    public void Series_prints_one_document_with_the_series_fields()
    {
        using var sample = new SampleFile();
        var (exit, stdout, _) = CorpusAgreementTests.RunTool("series", sample.Path);
        exit.Should().Be(0);
        using var doc = JsonDocument.Parse(stdout);
        var all = doc.RootElement.GetProperty("series");
        all.GetArrayLength().Should().Be(1);
        var s = all[0];
        s.EnumerateObject().Select(p => p.Name).Should().Equal("version", "total", "title", "author", "date", "coverLetter", "patches", "missing", "complete", "replies", "baseCommit", "changeId");
        s.GetProperty("version").GetInt32().Should().Be(2);
        s.GetProperty("total").GetInt32().Should().Be(3);
        s.GetProperty("coverLetter").GetString().Should().Be("cover.1795450331.git.ada@example.org");
        s.GetProperty("patches").EnumerateArray().Select(p => p.GetProperty("index").GetInt32()).Should().Equal(1, 2, 3);
        s.GetProperty("missing").GetArrayLength().Should().Be(0);
        s.GetProperty("complete").GetBoolean().Should().BeTrue();
        s.GetProperty("replies").EnumerateArray().Select(r => r.GetString()).Should().Equal("reply-1.grace@example.com", "reply-2.alan@example.net");
        s.GetProperty("baseCommit").GetString().Should().Be("cfbd28dbc98754e8522c80e608e47bc3c095b6ab");
        s.GetProperty("changeId").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Series_on_the_seed_digest_reports_the_pv_lock_fragment_with_missing_patches()
    {
        if (!TestPaths.TryCorpus(_output, out string seed, "seeds", "004_3062fdcf5ab48067.txt"))
        {
            return;
        }

        var (exit, stdout, _) = CorpusAgreementTests.RunTool("series", seed);
        exit.Should().Be(0);
        using var doc = JsonDocument.Parse(stdout);
        var pv = doc.RootElement.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("title").GetString() == "KVM: arm64: Document PV-lock interface");
        pv.GetProperty("total").GetInt32().Should().Be(5);
        pv.GetProperty("coverLetter").ValueKind.Should().Be(JsonValueKind.Null);
        pv.GetProperty("patches").EnumerateArray().Select(p => p.GetProperty("index").GetInt32()).Should().Equal(1, 2);
        pv.GetProperty("missing").EnumerateArray().Select(m => m.GetInt32()).Should().Equal(3, 4, 5);
        pv.GetProperty("complete").GetBoolean().Should().BeFalse();

        var (_, shown, _) = CorpusAgreementTests.RunTool("show", "--explain", seed);
        shown.Should().Contain("  [3-5/5] MISSING\n");
        shown.Should().Contain("why: MissingParent: it replies to <20191217135549.3240-1-yezengruan@huawei.com>, which is not in the input");
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "messages" }, "'messages' needs a PATH or - for standard input")]
    [InlineData(new[] { "show", "--format", "zip" }, "--format takes")]
    [InlineData(new[] { "show", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "messages", "/nonexistent/file.mbox" }, "cannot read '/nonexistent/file.mbox'")]
    public void Usage_errors_and_unreadable_input_exit_with_2(string[] args, string message)
    {
        var (exit, _, stderr) = CorpusAgreementTests.RunTool(args);
        exit.Should().Be(CommandLine.ExitUsage);
        stderr.Should().Contain(message);
    }

    [Fact]
    public void Strict_mode_exits_with_1_on_an_error_and_lenient_mode_with_0()
    {
        // The hunk header promises 3 new lines but only 1 follows: git apply calls this a corrupt patch.
        const string corrupt = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,3 @@\n-a\n+b\n";
        string path = Path.Combine(Path.GetTempPath(), "kp-corrupt-" + Guid.NewGuid().ToString("N") + ".diff");
        File.WriteAllText(path, corrupt);
        try
        {
            var (lenient, stdout, _) = CorpusAgreementTests.RunTool("messages", path);
            lenient.Should().Be(0);
            stdout.Should().Contain("\"severity\":\"error\"");
            var (strict, _, stderr) = CorpusAgreementTests.RunTool("messages", "--strict", path);
            strict.Should().Be(CommandLine.ExitErrors);
            stderr.Should().Contain("KP05");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("version")]
    public void Version_prints_the_command_s_and_the_library_s_version(string flag)
    {
        var (exit, stdout, stderr) = CorpusAgreementTests.RunTool(flag);
        exit.Should().Be(CommandLine.ExitOk);
        stderr.Should().BeEmpty();
        string library = typeof(PatchMailbox).Assembly.GetName().Version!.ToString(3);
        stdout.Should().Be($"kernelpatch {typeof(CommandLine).Assembly.GetName().Version!.ToString(3)} (library KernelPatch {library})\n");
        stdout.Should().NotContain("+", "the source revision git adds to the informational version is left out");
        CorpusAgreementTests.RunTool("--help").Stdout.Should().Contain("--version");
    }

    [Fact]
    public void Standard_input_is_read_when_the_path_is_a_dash()
    {
        byte[] sample = SampleSeries.Load();
        using var stdin = new MemoryStream(sample);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int exit = CommandLine.Run(["messages", "-"], stdin, stdout, stderr);
        exit.Should().Be(0);
        Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(6);
    }

    [Fact]
    public void Series_of_standard_input_through_a_pipe_is_the_series_of_the_file()
    {
        // A pipe says no length: the whole input is read (in pieces, as a pipe gives it) before the series is assembled.
        byte[] sample = SampleSeries.Load();
        string path = Path.Combine(Path.GetTempPath(), "kernelpatch-stdin-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".mbox");
        File.WriteAllBytes(path, sample);
        try
        {
            using var fromFile = new MemoryStream();
            CommandLine.Run(["series", path], Stream.Null, fromFile, new StringWriter()).Should().Be(CommandLine.ExitOk);
            using var pipe = new KernelPatch.Tests.Mailbox.StreamInputTests.ShortReads(sample, 1000, seekable: false);
            using var fromPipe = new MemoryStream();
            CommandLine.Run(["series", "-"], pipe, fromPipe, new StringWriter()).Should().Be(CommandLine.ExitOk);
            string json = Encoding.UTF8.GetString(fromPipe.ToArray());
            json.Should().Be(Encoding.UTF8.GetString(fromFile.ToArray()));
            json.Should().Contain("\"title\": \"ringbuf: validate sizes, add ringbuf_free()\"");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Git_log_output_gives_one_json_line_per_commit_and_format_names_it()
    {
        string log = "junk\ncommit " + new string('a', 40) + "\nAuthor: Ada Lovelace <ada@example.org>\nDate:   Sat Mar 9 11:00:00 2024 +0100\n\n" +
            "    lib: change x\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-b\n+c\n";
        foreach (var (args, lines) in new[] { (new[] { "messages", "-" }, 1), (new[] { "messages", "--format", "gitlog", "-" }, 2) })
        {
            using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(log[5..]));
            using var named = new MemoryStream(Encoding.UTF8.GetBytes(log));
            using var stdout = new MemoryStream();
            CommandLine.Run(args, lines == 1 ? stdin : named, stdout, new StringWriter()).Should().Be(CommandLine.ExitOk);
            var json = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            json.Should().HaveCount(lines, "the junk line is a commit of its own only when --format gitlog names the format");
            var commit = json[^1];
            (commit.GetProperty("title").GetString(), commit.GetProperty("kind").GetString(), commit.GetProperty("date").GetString(), commit.GetProperty("subject").ValueKind)
                .Should().Be(("lib: change x", "patch", "2024-03-09T11:00:00+01:00", JsonValueKind.Null));
            commit.GetProperty("author").GetProperty("email").GetString().Should().Be("ada@example.org");
            commit.GetProperty("files")[0].GetProperty("added").GetInt32().Should().Be(1);
        }
    }

    /// <summary>How many times <paramref name="part"/> occurs in <paramref name="text"/>, without overlaps.</summary>
    internal static int Count(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    /// <summary>The sample series written to a file of its own, deleted again on dispose.</summary>
    private sealed class SampleFile : IDisposable
    {
        public SampleFile()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kp-sample-" + Guid.NewGuid().ToString("N") + ".mbox");
            File.WriteAllBytes(Path, SampleSeries.Load());
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
