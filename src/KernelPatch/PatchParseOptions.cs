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
}
