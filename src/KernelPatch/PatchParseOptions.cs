using Microsoft.Extensions.Logging;

namespace KernelPatch;

/// <summary>
/// Options for every parser in the library. Use <see cref="Default"/> (lenient) or
/// <see cref="Strict"/>, and <c>with</c> expressions to change single values.
/// </summary>
public sealed record PatchParseOptions
{
    /// <summary>Lenient parsing: odd input becomes diagnostics on the records, nothing throws.</summary>
    public static PatchParseOptions Default { get; } = new();

    /// <summary>Strict parsing: the first error diagnostic throws <see cref="PatchFormatException"/>.</summary>
    public static PatchParseOptions Strict { get; } = new() { IsStrict = true };

    /// <summary>When true, an error diagnostic throws <see cref="PatchFormatException"/> carrying its position.</summary>
    public bool IsStrict { get; init; }

    /// <summary>Optional logger: every diagnostic is also logged (warnings and errors at their level, infos at debug).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The container format; <see cref="PatchInputFormat.Auto"/> detects it.</summary>
    public PatchInputFormat Format { get; init; } = PatchInputFormat.Auto;

    /// <summary>
    /// Honour scissors lines (<c>-- &gt;8 --</c>) in message bodies and drop what is above them,
    /// as <c>git mailinfo --scissors</c> does. Off by default, as in git. A scissors line is reported either way.
    /// </summary>
    public bool Scissors { get; init; }

    /// <summary>Messages larger than this many bytes are not parsed beyond their headers (a diagnostic says so). Default 256 MiB.</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024 * 1024;

    /// <summary>At most this many header fields are read per message; the rest are reported and skipped. Default 10,000.</summary>
    public int MaxHeaderCount { get; init; } = 10_000;

    /// <summary>At most this many diagnostics are kept per message; further ones are counted in one last diagnostic. Default 1,000.</summary>
    public int MaxDiagnosticsPerMessage { get; init; } = 1_000;

    /// <summary>
    /// When streaming (<see cref="PatchMailbox.Read(Stream, PatchParseOptions?)"/>, <see cref="PatchMailbox.ReadAsync"/>, and
    /// <see cref="PatchMailbox.Read(string, PatchParseOptions?)"/> of a file or maildir): after every MiB of input, between two
    /// messages, offer the runtime a gen0 collection that it runs only when most of its gen0 budget is used
    /// (<c>GC.Collect(0, GCCollectionMode.Optimized)</c>). A stream's garbage is then collected before the budget's last
    /// pages are touched: 1 GB streamed with the runtime's defaults peaks at 60.1 MiB instead of 66.4, in the same time
    /// (docs/performance.md). Default true; never under server GC. False leaves the
    /// timing of every collection to the runtime.
    /// </summary>
    public bool CollectWhileStreaming { get; init; } = true;
}
