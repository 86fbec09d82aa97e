using System.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// <see cref="PatchMailbox.ReadAsync"/> gives what <see cref="PatchMailbox.Read"/> gives, from a stream that only
/// allows asynchronous reads (as an ASP.NET Core request body does by default).
/// </summary>
public class ReadAsyncTests
{
    private readonly ITestOutputHelper _output;

    public ReadAsyncTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("dev", "b4-history.mbox")]
    [InlineData("seeds", "004_3062fdcf5ab48067.txt")]
    [InlineData("seeds", "001_85579c91467f67db.txt")]
    public async Task The_same_messages_as_the_blocking_reader_from_a_stream_without_blocking_reads(string folder, string file)
    {
        if (!TestPaths.TryCorpus(_output, out string path, folder, file))
        {
            return;
        }

        byte[] input = File.ReadAllBytes(path);
        var expected = PatchMailbox.Read(new MemoryStream(input)).ToList();
        var actual = new List<PatchMessage>();
        await foreach (var m in PatchMailbox.ReadAsync(new AsyncOnlyStream(input, 3001)))
        {
            actual.Add(m);
        }

        actual.Should().HaveCount(expected.Count).And.HaveCountGreaterThan(1);
        for (int i = 0; i < expected.Count; i++)
        {
            var (a, e) = (actual[i], expected[i]);
            (a.Index, a.SourceOffset, a.Span, a.MessageId, a.Title, a.Diff?.PatchId).Should().Be((e.Index, e.SourceOffset, e.Span, e.MessageId, e.Title, e.Diff?.PatchId), "message {0}", i);
            a.Diagnostics.Should().Equal(e.Diagnostics);
            a.RawBytes.ToArray().Should().Equal(e.RawBytes.ToArray());
        }
    }

    [Fact]
    public async Task The_split_diagnostics_and_strict_mode_behave_as_in_the_blocking_reader()
    {
        // A digest whose last fence is never closed (KP0102 on the last message), read strictly: warnings do not stop it.
        string digest = "#### [PATCH 1/2] a\n```\nFrom: A <a@example.org>\nSubject: [PATCH 1/2] a\n\nOne.\n```\n"
            + "#### [PATCH 2/2] b\n```\nFrom: A <a@example.org>\nSubject: [PATCH 2/2] b\n\nTwo.\n";
        byte[] input = Encoding.UTF8.GetBytes(digest);
        var options = PatchParseOptions.Strict;
        var expected = PatchMailbox.Read(new MemoryStream(input), options).ToList();
        var actual = new List<PatchMessage>();
        await foreach (var m in PatchMailbox.ReadAsync(new AsyncOnlyStream(input, 7), options))
        {
            actual.Add(m);
        }

        actual.Select(m => m.Title).Should().Equal("a", "b");
        actual[1].Diagnostics.Select(d => (d.Code, actual[1].SourceOffset + d.Offset)).Should().Equal(
            expected[1].Diagnostics.Select(d => (d.Code, expected[1].SourceOffset + d.Offset)));
        actual[1].Diagnostics.Should().Contain(d => d.Code == "KP0102");
    }

    [Fact]
    public async Task Cancelling_stops_the_reading_and_a_null_stream_is_refused_at_once()
    {
        byte[] input = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("From x Mon Sep 17 00:00:00 2001\nSubject: s\n\nbody\n", 1000)));
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        Func<Task> run = async () =>
        {
            await foreach (var m in PatchMailbox.ReadAsync(new AsyncOnlyStream(input, 64), cancellationToken: cancel.Token))
            {
                if (++seen == 10)
                {
                    await cancel.CancelAsync();
                }
            }
        };

        await run.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().BeInRange(10, 20, "the reading stops at the next read after the cancel");
        FluentActions.Invoking(() => PatchMailbox.ReadAsync(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task LoadAsync_gives_the_series_and_the_mailbox_Load_gives_without_blocking_reads()
    {
        byte[] sample = KernelPatch.Tool.SampleSeries.Load();
        var expected = PatchSeries.Load(new MemoryStream(sample));

        var series = await PatchSeries.LoadAsync(new AsyncOnlyStream(sample, 500));
        (series.Version, series.Title, series.Total).Should().Be((2, "ringbuf: validate sizes, add ringbuf_free()", 3));
        series.Patches.Select(p => (p.Number, p.Message.MessageId, p.FollowUpTrailers.Length)).Should().Equal(
            expected.Patches.Select(p => (p.Number, p.Message.MessageId, p.FollowUpTrailers.Length)));

        var box = await PatchMailbox.LoadAsync(new AsyncOnlyStream(sample, 500));
        box.Messages.Select(m => m.Span).Should().Equal(PatchMailbox.Load(new MemoryStream(sample)).Messages.Select(m => m.Span));

        Action start = () => _ = PatchSeries.LoadAsync(null!);
        start.Should().Throw<ArgumentNullException>("the stream is checked at the call, not in the task");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await FluentActions.Awaiting(() => PatchMailbox.LoadAsync(new AsyncOnlyStream(sample, 500), cancellationToken: cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>A stream that refuses blocking reads and hands out at most <c>chunk</c> bytes per asynchronous read.</summary>
    private sealed class AsyncOnlyStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous reads are not allowed.");

        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("Synchronous reads are not allowed.");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            byte[] piece = new byte[Math.Min(buffer.Length, chunk)];
            int n = base.Read(piece, 0, piece.Length); // MemoryStream's own read, not the override above
            piece.AsSpan(0, n).CopyTo(buffer.Span);
            return n;
        }
    }
}
