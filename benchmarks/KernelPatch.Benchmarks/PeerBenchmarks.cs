using BenchmarkDotNet.Attributes;

namespace KernelPatch.Benchmarks;

/// <summary>The peer (MimeKit) and the floor (counting newlines) on every input.</summary>
public class PeerBenchmarks : InputBenchmarkBase
{
    /// <summary>MimeKit's <c>MimeParser</c> in mbox mode reading subject, from, date, ids, references and text body.</summary>
    [Benchmark(Baseline = true)]
    public long Peer_MimeKit() => Peers.MimeKit(Bytes);

    /// <summary>Counts <c>\n</c> with <c>Span.Count</c>: the memory-bound limit.</summary>
    [Benchmark]
    public long Floor_CountNewlines() => Peers.CountNewlines(Bytes);
}
