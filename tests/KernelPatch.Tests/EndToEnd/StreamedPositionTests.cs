using System.Text;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// A message from <see cref="PatchMailbox.Read"/> says where it is in the stream: <see cref="PatchMessage.SourceOffset"/>
/// plus any of its offsets (span, content, diagnostics) is the position <see cref="PatchMailbox.Parse(ReadOnlyMemory{byte}, PatchParseOptions?)"/>
/// gives for the same bytes, however the stream hands them out.
/// </summary>
public class StreamedPositionTests
{
    private readonly ITestOutputHelper _output;

    public StreamedPositionTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("dev", "b4-history.mbox")]
    [InlineData("seeds", "003_39e12db3c360cf97.txt")]
    [InlineData("seeds", "004_3062fdcf5ab48067.txt")]
    public void Streamed_positions_are_the_whole_input_positions(string folder, string file)
    {
        if (!TestPaths.TryCorpus(_output, out string path, folder, file))
        {
            return;
        }

        byte[] input = File.ReadAllBytes(path);
        var parsed = PatchMailbox.Parse(input);
        foreach (int chunk in new[] { 1 << 20, 4093 })
        {
            var streamed = PatchMailbox.Read(new Mailbox.MailboxTestHelpers.TrickleStream(input, chunk)).ToList();
            streamed.Should().HaveCount(parsed.Messages.Length);
            for (int i = 0; i < streamed.Count; i++)
            {
                var s = streamed[i];
                var p = parsed.Messages[i];
                s.Index.Should().Be(p.Index);
                p.SourceOffset.Should().Be(0);
                (s.SourceOffset + s.Span.Offset).Should().Be(p.Span.Offset, "message {0} starts there in the file", i);
                s.Span.Offset.Should().Be(0);
                s.Span.Length.Should().Be(p.Span.Length);
                (s.SourceOffset + s.Content.Offset).Should().Be(p.Content.Offset);
                Absolute(s).Should().Equal(Absolute(p), "message {0}'s diagnostics", i);
                s.RawBytes.ToArray().Should().Equal(p.RawBytes.ToArray());
            }
        }
    }

    [Fact]
    public void The_splits_diagnostics_go_to_the_message_they_concern_at_their_stream_position()
    {
        // A real patchwork digest four times over (136 KB, so the 64 KiB read buffer drops what it has
        // scanned several times), with an empty fenced block between the second and third copy and the
        // last closing fence cut off.
        if (!TestPaths.TryCorpus(_output, out string path, "seeds", "004_3062fdcf5ab48067.txt"))
        {
            return;
        }

        string seed = File.ReadAllText(path);
        string emptyBlock = "\n```\n```\n\n";
        string text = seed + seed + emptyBlock + seed + seed;
        int lastFence = text.LastIndexOf("\n```\n", StringComparison.Ordinal);
        text = text[..(lastFence + 1)];
        byte[] input = Encoding.UTF8.GetBytes(text);
        int emptyFenceAt = Encoding.UTF8.GetByteCount(text[..(text.IndexOf(emptyBlock, StringComparison.Ordinal) + 1)]);
        int openingFenceAt = Encoding.UTF8.GetByteCount(text[..(text.LastIndexOf("\n```", StringComparison.Ordinal) + 1)]);

        var parsed = PatchMailbox.Parse(input);
        var split = parsed.Diagnostics.Where(d => d.Code.StartsWith("KP01", StringComparison.Ordinal)).ToList();
        split.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0105", emptyFenceAt), ("KP0102", openingFenceAt));
        int perSeed = parsed.Messages.Length / 4;
        perSeed.Should().BeGreaterThan(1);

        foreach (int chunk in new[] { 1 << 20, 1000, 1 })
        {
            var logger = new OptionsTests.ListLogger();
            var options = new PatchParseOptions { Logger = logger };
            var streamed = PatchMailbox.Read(new Mailbox.MailboxTestHelpers.TrickleStream(input, chunk), options).ToList();
            streamed.Should().HaveCount(parsed.Messages.Length);

            // The empty block lies between the last message of the second copy and the first of the third:
            // the third copy's first message carries it, before its own first byte.
            var afterEmpty = streamed[2 * perSeed];
            var empty = afterEmpty.Diagnostics.Single(d => d.Code == "KP0105");
            empty.Offset.Should().BeNegative();
            (afterEmpty.SourceOffset + empty.Offset).Should().Be(emptyFenceAt);

            // The unclosed fence is found at the end of the input; it opened before the last message.
            var last = streamed[^1];
            var unclosed = last.Diagnostics.Single(d => d.Code == "KP0102");
            (last.SourceOffset + unclosed.Offset).Should().Be(openingFenceAt);

            // The logger hears of each once, at the offset the message carries.
            logger.Entries.Where(e => e.Text.StartsWith("KP01", StringComparison.Ordinal)).Select(e => e.Text[..e.Text.IndexOf(':', StringComparison.Ordinal)])
                .Should().Equal($"KP0105 at offset {empty.Offset}", $"KP0102 at offset {unclosed.Offset}");

            // Nothing else moved: apart from those two, every message has the diagnostics the whole parse gives it.
            streamed.Sum(m => m.Diagnostics.Count(d => d.Code.StartsWith("KP01", StringComparison.Ordinal))).Should().Be(2);
            for (int i = 0; i < streamed.Count; i++)
            {
                Absolute(streamed[i]).Where(d => !d.Code.StartsWith("KP01", StringComparison.Ordinal))
                    .Should().Equal(Absolute(parsed.Messages[i]), "message {0}", i);
            }
        }
    }

    [Theory]
    [InlineData("", PatchInputFormat.Auto, "Expected a message, found an empty input.")]
    [InlineData("\n\n  \n", PatchInputFormat.Auto, "Expected a message, found an empty input.")]
    [InlineData("# notes\n\nno fenced block here\n", PatchInputFormat.Digest, "Expected a digest block (a ``` fence holding a message), found none.")]
    public async Task An_input_without_messages_is_reported_by_Read_as_by_Parse(string text, PatchInputFormat format, string expected)
    {
        byte[] input = Encoding.UTF8.GetBytes(text);
        var parsed = PatchMailbox.Parse(input, new PatchParseOptions { Format = format });
        parsed.Messages.Should().BeEmpty();
        var empty = parsed.Diagnostics.Should().ContainSingle().Subject;
        (empty.Code, empty.Offset, empty.Message).Should().Be(("KP0103", 0, expected));

        // No message carries it, so the logger is where a stream reader hears of it: once, at offset 0.
        var logger = new OptionsTests.ListLogger();
        var options = new PatchParseOptions { Format = format, Logger = logger };
        PatchMailbox.Read(new MemoryStream(input), options).Should().BeEmpty();
        logger.Entries.Select(e => (e.Level, e.Text)).Should().Equal((LogLevel.Warning, "KP0103 at offset 0: " + expected));

        var asyncLogger = new OptionsTests.ListLogger();
        int count = 0;
        await foreach (var unused in PatchMailbox.ReadAsync(new MemoryStream(input), options with { Logger = asyncLogger }))
        {
            count++;
        }

        count.Should().Be(0);
        asyncLogger.Entries.Select(e => e.Text).Should().Equal("KP0103 at offset 0: " + expected);
    }

    private static List<(string Code, long Offset)> Absolute(PatchMessage m)
        => m.Diagnostics.Select(d => (d.Code, m.SourceOffset + d.Offset)).ToList();
}
