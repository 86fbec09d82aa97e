namespace KernelPatch.Mailbox;

/// <summary>Diagnostic codes of the mailbox stage (KP01xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class MailboxDiagnosticCodes
{
    /// <summary>An mbox does not start with a <c>From </c> separator line.</summary>
    internal const string MissingSeparator = "KP0101";

    /// <summary>A digest fence was opened and never closed.</summary>
    internal const string UnclosedFence = "KP0102";

    /// <summary>The input holds no message at all.</summary>
    internal const string Empty = "KP0103";

    /// <summary>A digest fence holds no message.</summary>
    internal const string EmptyFence = "KP0105";
    internal const string CompressedInput = "KP0106";
    internal const string CompressedInputBad = "KP0107";

    /// <summary>A file of a maildir is empty; it is skipped.</summary>
    internal const string EmptyMaildirFile = "KP0108";
}
