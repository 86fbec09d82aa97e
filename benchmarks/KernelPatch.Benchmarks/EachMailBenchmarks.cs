using BenchmarkDotNet.Attributes;

namespace KernelPatch.Benchmarks;

/// <summary>
/// Each message of the input parsed on its own, as a bot parses mail as it arrives (<see cref="EachMail"/>): KernelPatch's
/// <c>PatchMailbox.Parse</c> (or <c>Read</c> from a stream) and full visit of each mail against MimeKit's load of each mail. The MB/s column counts the
/// whole file (the mails and their mbox <c>From </c> lines); divide the mean by the number of messages for the time a mail.
/// </summary>
public class EachMailBenchmarks : InputBenchmarkBase
{
    private ReadOnlyMemory<byte>[] _mails = [];

    /// <inheritdoc/>
    protected override void Prepare() => _mails = EachMail.Split(Bytes);

    /// <summary>MimeKit's <c>MimeMessage.Load</c> of each mail, reading what <see cref="PeerBenchmarks.Peer_MimeKit"/> reads.</summary>
    [Benchmark(Baseline = true)]
    public long EachMail_MimeKit() => Peers.MimeKitEachMail(_mails);

    /// <summary><c>PatchMailbox.Parse</c> of each mail, then the full visit.</summary>
    [Benchmark]
    public long EachMail_KernelPatch() => EachMail.KernelPatch(_mails);

    /// <summary><c>PatchMailbox.Read</c> of each mail from a stream, then the visit of its message (a bot that streams).</summary>
    [Benchmark]
    public long EachMail_KernelPatchRead() => EachMail.KernelPatchRead(_mails);
}
