using System.Buffers;
using System.Text;
using System.Text.Json;
using KernelPatch.Benchmarks;
using KernelPatch.Tool;

namespace KernelPatch.Tests.Tool;

/// <summary>
/// <c>kernelpatch messages</c> streams: a line per message as soon as the message is read, whatever the input's size,
/// with the same JSON the whole-input parse gives.
/// </summary>
public class MessagesStreamingTests
{
    [Fact]
    public void The_first_lines_are_written_before_the_input_is_read_to_its_end_and_match_the_whole_parse()
    {
        byte[] input = MailboxGenerator.Generate(3_000_000, seed: 7);
        using var stdin = new CountingStream(input);
        using var stdout = new RecordingStream(stdin);
        using var stderr = new StringWriter();

        int exit = CommandLine.Run(["messages", "-"], stdin, stdout, stderr);

        exit.Should().Be(CommandLine.ExitOk, stderr.ToString());
        stdout.InputReadAtFirstWrite.Should().BeGreaterThan(0).And.BeLessThan(input.Length / 4, "the first {0} bytes of output need only the first messages", MessagesCommand.FlushThreshold);
        stdout.Writes.Should().BeGreaterThan(4);

        string[] lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n');
        lines[^1].Should().BeEmpty("every line ends with a line end");
        var parsed = PatchMailbox.Parse(input);
        lines.Length.Should().Be(parsed.Messages.Length + 1);
        for (int i = 0; i < parsed.Messages.Length; i++)
        {
            lines[i].Should().Be(JsonOf(parsed.Messages[i]), "message {0}", i);
        }

        // Offsets are positions in the whole input, not in the streamed message's own bytes.
        using var last = JsonDocument.Parse(lines[^2]);
        last.RootElement.GetProperty("offset").GetInt64().Should().Be(parsed.Messages[^1].Span.Offset).And.BeGreaterThan(input.Length / 2);
    }

    [Fact]
    public void Strict_mode_writes_the_lines_before_the_first_error_then_exits_with_1()
    {
        // Two messages: the first is sound, the second's hunk promises 3 new lines and has 1 (git apply: corrupt patch).
        const string input =
            "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n" +
            "From: Dev Eloper <dev@example.org>\nDate: Mon, 9 Mar 2020 10:24:07 -0400\nSubject: [PATCH 1/2] x: fine\nMessage-ID: <1@example.org>\n\n" +
            "Fine.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\n" +
            "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n" +
            "From: Dev Eloper <dev@example.org>\nDate: Mon, 9 Mar 2020 10:24:08 -0400\nSubject: [PATCH 2/2] y: corrupt\nMessage-ID: <2@example.org>\n\n" +
            "Corrupt.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n---\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1,3 @@\n-a\n+b\n";
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(input));
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        int exit = CommandLine.Run(["messages", "--strict", "-"], stdin, stdout, stderr);

        exit.Should().Be(CommandLine.ExitErrors);
        stderr.ToString().Should().StartWith("kernelpatch: ").And.Contain("KP05");
        string[] lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle();
        using var first = JsonDocument.Parse(lines[0]);
        first.RootElement.GetProperty("messageId").GetString().Should().Be("1@example.org");
        first.RootElement.GetProperty("title").GetString().Should().Be("x: fine");
    }

    [Fact]
    public void An_output_that_cannot_be_written_ends_the_run_with_2_and_says_so()
    {
        byte[] input = MailboxGenerator.Generate(400_000, seed: 3);
        using var stdin = new MemoryStream(input);
        using var stdout = new BrokenPipeStream();
        using var stderr = new StringWriter();

        int exit = CommandLine.Run(["messages", "-"], stdin, stdout, stderr);

        exit.Should().Be(CommandLine.ExitUsage);
        stderr.ToString().Should().Contain("cannot write the output").And.NotContain("cannot read");
        stdin.Position.Should().BeLessThan(input.Length, "the run stops at the first failed write instead of parsing the rest");
    }

    [Fact]
    public void Names_offsets_and_quotes_are_written_as_they_are()
    {
        // JSON needs no escape for these; the default encoder would write J\u00FCrgen, \u002B01:00 and \u0027.
        string path = TestPaths.Fixture("mail", "attach-latin1-file.eml");
        var (exit, stdout, _) = EndToEnd.CorpusAgreementTests.RunTool("messages", path);
        exit.Should().Be(CommandLine.ExitOk);
        stdout.Should().Contain("\"author\":{\"name\":\"J\u00fcrgen Gro\u00df\",\"email\":\"jgross@example.org\"}")
            .And.Contain("\"date\":\"2026-03-10T09:59:00+01:00\"")
            .And.NotContain("\\u00");
        using var doc = JsonDocument.Parse(stdout);
        doc.RootElement.GetProperty("author").GetProperty("name").GetString().Should().Be("J\u00fcrgen Gro\u00df");

        var (seriesExit, series, _) = EndToEnd.CorpusAgreementTests.RunTool("series", TestPaths.Fixture("mail", "qp-latin1-file.eml"));
        seriesExit.Should().Be(CommandLine.ExitOk);
        series.Should().Contain("\"name\": \"J\u00fcrgen Gro\u00df\"").And.Contain("+01:00").And.NotContain("\\u00");
    }

    /// <summary>The line <c>messages</c> prints for a message of a whole-input parse, written independently of the command.</summary>
    private static string JsonOf(PatchMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, MessageJson.WriterOptions()))
        {
            MessageJson.Write(w, message);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Standard input that hands out at most 8 KiB per read, so progress through it can be observed.</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 8192));
    }

    /// <summary>Standard output that notes how far standard input had been read when the first bytes arrived.</summary>
    private sealed class RecordingStream(Stream input) : MemoryStream
    {
        public long InputReadAtFirstWrite { get; private set; } = -1;

        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count > 0)
            {
                Writes++;
                if (InputReadAtFirstWrite < 0)
                {
                    InputReadAtFirstWrite = input.Position;
                }
            }

            base.Write(buffer, offset, count);
        }
    }

    /// <summary>Standard output whose reader went away (<c>kernelpatch messages big.mbox | head</c>).</summary>
    private sealed class BrokenPipeStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
