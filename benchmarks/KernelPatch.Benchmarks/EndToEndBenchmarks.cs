using BenchmarkDotNet.Attributes;

namespace KernelPatch.Benchmarks;

/// <summary>
/// What a user does: parse everything and visit every header, trailer, file, hunk and line
/// (<see cref="EndToEnd"/>), so lazy work is not mistaken for speed.
/// </summary>
public class EndToEndBenchmarks : InputBenchmarkBase
{
    /// <summary><c>PatchMailbox.Parse</c> of the whole input (series assembled), then the full visit.</summary>
    [Benchmark]
    public long EndToEnd_Parse() => EndToEnd.Visit(PatchMailbox.Parse(Bytes));

    /// <summary><c>PatchMailbox.Read</c> over a <see cref="MemoryStream"/> of the input, visiting each message and dropping it.</summary>
    [Benchmark]
    public long EndToEnd_Stream()
    {
        using var stream = new MemoryStream(Bytes, writable: false);
        long sum = 0;
        foreach (var message in PatchMailbox.Read(stream))
        {
            sum += EndToEnd.VisitMessage(message);
        }

        return sum;
    }
}
