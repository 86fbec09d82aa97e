namespace KernelPatch.Series;

/// <summary>The KP06xx diagnostic codes of the series stage (documented in docs/diagnostics.md).</summary>
internal static class SeriesDiagnosticCodes
{
    /// <summary>A Message-ID seen before: the later message is kept aside as a duplicate.</summary>
    internal const string DuplicateMessageId = "KP0601";

    /// <summary>A message has no Message-ID: nothing can reply to it.</summary>
    internal const string MissingMessageId = "KP0602";

    /// <summary>A message replies to a message that is not in the input.</summary>
    internal const string MissingParent = "KP0603";

    /// <summary>In-Reply-To/References form a cycle (or a message references itself); the link was cut.</summary>
    internal const string ReplyCycle = "KP0604";

    /// <summary>Two patches of one series claim the same index, or an index above the total.</summary>
    internal const string ExtraPatch = "KP0605";

    /// <summary>Patches of one series disagree on the total.</summary>
    internal const string TotalMismatch = "KP0606";

    /// <summary>A series lacks some of its patches 1..N.</summary>
    internal const string MissingPatches = "KP0607";
    internal const string PartialReroll = "KP0608";
}
