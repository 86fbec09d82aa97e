namespace KernelPatch;

/// <summary>Diagnostic codes of the library as a whole (KP00xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class CoreDiagnosticCodes
{
    /// <summary>The facade could not return what was asked (no patch, several unrelated series).</summary>
    internal const string FacadeFailed = "KP0000";

    /// <summary>More diagnostics than the per-message limit were found; the rest were counted, not kept.</summary>
    internal const string DiagnosticsDropped = "KP0001";
}
