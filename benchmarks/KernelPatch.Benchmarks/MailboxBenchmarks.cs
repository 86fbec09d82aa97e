using BenchmarkDotNet.Attributes;
using KernelPatch.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>The mailbox stage: splitting the input into message entries (zero-copy), from memory and from a stream.</summary>
public class MailboxBenchmarks : InputBenchmarkBase
{
    private static readonly PatchParseOptions s_options = PatchParseOptions.Default;

    /// <summary><c>MailboxSplitter.Split</c> over the whole input; sums the entries' spans.</summary>
    [Benchmark]
    public long Mailbox_Split()
    {
        var entries = MailboxSplitter.Split(Bytes, s_options, new DiagnosticBag(s_options));
        long sum = entries.Length;
        foreach (var entry in entries)
        {
            sum += entry.Span.Length + entry.Content.Offset + (entry.NeedsUnquoting ? 1 : 0);
        }

        return sum;
    }

    /// <summary><c>MailboxStreamReader</c> over a <see cref="MemoryStream"/> of the input: the split <c>PatchMailbox.Read</c> does, with its copy of each message.</summary>
    [Benchmark]
    public long Mailbox_Stream()
    {
        using var stream = new MemoryStream(Bytes, writable: false);
        long sum = 0;
        foreach (var message in new MailboxStreamReader(stream, s_options, new DiagnosticBag(s_options)))
        {
            sum += message.Bytes.Length + message.Entry.Content.Length;
        }

        return sum;
    }
}
