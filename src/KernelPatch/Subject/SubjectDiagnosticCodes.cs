namespace KernelPatch.Subject;

/// <summary>Diagnostic codes of the subject stage (KP03xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class SubjectDiagnosticCodes
{
    /// <summary>A <c>[</c> prefix group has no closing <c>]</c>.</summary>
    internal const string UnclosedBracket = "KP0301";

    /// <summary>The patch index is greater than the series total (<c>[PATCH 5/3]</c>).</summary>
    internal const string IndexAboveTotal = "KP0302";
}
