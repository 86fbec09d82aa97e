using System.Text;
using KernelPatch.Tool;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>The whole pipeline on hostile and truncated input: it never throws in lenient mode and keeps every message.</summary>
public class FacadeRobustnessTests
{
    private readonly ITestOutputHelper _output;

    public FacadeRobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_prefix_of_the_sample_series_parses_and_keeps_its_messages()
    {
        byte[] sample = SampleSeries.Load();
        int lastCount = 0;
        for (int length = 0; length <= sample.Length; length += 7)
        {
            var box = PatchMailbox.Parse(sample.AsMemory(0, length));
            box.Messages.Length.Should().BeGreaterThanOrEqualTo(lastCount - 1, "a cut can only shorten the last message (length {0})", length);
            lastCount = box.Messages.Length;
        }

        PatchMailbox.Parse(sample).Messages.Should().HaveCount(6);
    }

    [Fact]
    public void Same_content_gives_the_same_records_from_string_bytes_stream_and_path()
    {
        byte[] sample = SampleSeries.Load();
        string text = Encoding.UTF8.GetString(sample);
        string path = Path.Combine(Path.GetTempPath(), "kp-same-" + Guid.NewGuid().ToString("N") + ".mbox");
        File.WriteAllBytes(path, sample);
        try
        {
            var all = new[]
            {
                PatchSeries.Parse(text), PatchSeries.Parse(sample), PatchSeries.Load(new MemoryStream(sample)), PatchSeries.Load(path),
            };
            foreach (var s in all)
            {
                s.Version.Should().Be(2);
                s.Patches.Select(p => p.Message.MessageId).Should().Equal(all[0].Patches.Select(p => p.Message.MessageId));
                s.Patches.Select(p => p.Message.Diff!.PatchId).Should().Equal(all[0].Patches.Select(p => p.Message.Diff!.PatchId));
                s.Patches.SelectMany(p => p.FollowUpTrailers).Select(t => t.ToString()).Should().Equal(all[0].Patches.SelectMany(p => p.FollowUpTrailers).Select(t => t.ToString()));
            }

            var streamed = PatchMailbox.Read(new MemoryStream(sample)).ToList();
            streamed.Select(m => m.MessageId).Should().Equal(PatchMailbox.Parse(sample).Messages.Select(m => m.MessageId));
            streamed.Select(m => m.Title).Should().Equal(PatchMailbox.Parse(sample).Messages.Select(m => m.Title));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Strict_and_lenient_agree_on_clean_input()
    {
        byte[] sample = SampleSeries.Load();
        var lenient = PatchMailbox.Parse(sample);
        var strict = PatchMailbox.Parse(sample, PatchParseOptions.Strict);
        strict.Messages.Select(m => (m.Title, m.Author?.Email, m.Files.Length)).Should().Equal(lenient.Messages.Select(m => (m.Title, m.Author?.Email, m.Files.Length)));
    }

    [Theory]
    // random bytes
    [InlineData("random")]
    // a million '[' in a subject
    [InlineData("brackets")]
    // every line a separator-looking line
    [InlineData("fromlines")]
    // thousands of empty file headers
    [InlineData("diffheaders")]
    // one 4 MB line
    [InlineData("longline")]
    public void Hostile_input_parses_without_throwing(string kind)
    {
        const int seed = 20261123;
        byte[] input = kind switch
        {
            "random" => RandomBytes(seed, 1 << 20),
            "brackets" => Encoding.UTF8.GetBytes("From: a <a@b.c>\nSubject: " + new string('[', 1_000_000) + "PATCH 1/2] x\n\nbody\n"),
            "fromlines" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("From x Mon Sep 17 00:00:00 2001\n", 50_000))),
            "diffheaders" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("diff --git a/x b/x\n@@ -1 +1 @@\n", 50_000))),
            _ => Encoding.UTF8.GetBytes("From: a <a@b.c>\nSubject: [PATCH] x\n\n" + new string('x', 4 << 20) + "\n"),
        };
        var box = PatchMailbox.Parse(input);
        _output.WriteLine($"{kind} (seed {seed}): {box.Messages.Length} messages, {box.Messages.Sum(m => m.Diagnostics.Length)} diagnostics");
        box.Messages.Should().NotBeEmpty();
        long covered = box.Messages.Sum(m => (long)m.Span.Length);
        covered.Should().BeLessThanOrEqualTo(input.Length);
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
