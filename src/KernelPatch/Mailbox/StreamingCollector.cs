using System.Runtime;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// What keeps a streamed mailbox's working set below the runtime's whole gen0 budget: between two messages, after
/// every <see cref="Interval"/> bytes of input, the reader offers the runtime a gen0 collection in
/// <see cref="GCCollectionMode.Optimized"/> mode, which the runtime runs only when most of its gen0 budget is used
/// (about 70%). A stream's garbage (each message's copy and records, dropped as the consumer moves on) is then
/// collected before the budget's last pages are touched; the runtime would collect it a little later anyway.
/// At the same points the thread's <see cref="StringPool"/> is emptied, so it shares strings within the last MiB of
/// input only and holds none of older messages (offer or not).
/// </summary>
/// <remarks>
/// Measured on a 1 GB generated mailbox (docs/performance.md, "Peak memory of streaming"): the peak working set
/// 66.4 → 60.1 MiB with the runtime's defaults, in the same time (127 gen0 collections instead of 99). Not under
/// server GC, whose host chose large budgets for throughput, nor when <see cref="PatchParseOptions.CollectWhileStreaming"/>
/// is false. Whole-input parses never offer one: their records stay alive, and a collection would only copy them.
/// </remarks>
internal struct StreamingCollector
{
    /// <summary>Input bytes between two offers: small against any gen0 budget, large against a call's cost.</summary>
    internal const long Interval = 1 << 20;

    /// <summary>For tests: called instead of the runtime on this thread, with each offer.</summary>
    [ThreadStatic]
    internal static Action? t_offerHook;

    private readonly bool _enabled;
    private long _pending;

    public StreamingCollector(PatchParseOptions options)
    {
        _enabled = options.CollectWhileStreaming && !GCSettings.IsServerGC;
        _pending = 0;
    }

    /// <summary>Counts <paramref name="bytes"/> more of input, offering a collection when an interval is full.</summary>
    /// <param name="bytes">The length of the message about to be parsed.</param>
    public void Next(long bytes)
    {
        _pending += bytes;
        if (_pending >= Interval)
        {
            _pending = 0;

            // The string pool lets go of the messages before too (it would keep up to StringPool.Slots of their
            // strings alive, past the collection, into the older generations).
            StringPool.Reset();
            if (_enabled)
            {
                Offer();
            }
        }
    }

    private static void Offer()
    {
        if (t_offerHook is { } hook)
        {
            hook();
            return;
        }

        GC.Collect(0, GCCollectionMode.Optimized, blocking: true);
    }
}
