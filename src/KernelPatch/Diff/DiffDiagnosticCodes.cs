namespace KernelPatch.Diff;

/// <summary>Diagnostic codes of the diff stage (KP05xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class DiffDiagnosticCodes
{
    /// <summary>A hunk body does not match the counts of its header (git apply: corrupt patch).</summary>
    internal const string CorruptHunk = "KP0501";

    /// <summary>A hunk header <c>@@ -a,b +c,d @@</c> could not be read.</summary>
    internal const string BadHunkHeader = "KP0502";

    /// <summary>A file header announces changes but no hunk or binary patch follows.</summary>
    internal const string MissingHunks = "KP0503";

    /// <summary>A git extended header line has a value that could not be read (mode, percentage, index).</summary>
    internal const string BadHeaderValue = "KP0504";

    /// <summary>A file name could not be determined (diff --git line without matching names, bad quoting).</summary>
    internal const string BadFileName = "KP0505";

    /// <summary>A GIT binary patch is malformed (bad block header, bad base85 line, missing end).</summary>
    internal const string BadBinaryPatch = "KP0506";

    /// <summary>The input holds no diff at all.</summary>
    internal const string NoDiff = "KP0507";

    /// <summary>A combined-diff hunk body does not match its header counts.</summary>
    internal const string CorruptCombinedHunk = "KP0508";

    /// <summary>A record fails <see cref="PatchDiff.Validate"/>: a span outside the source or counts that do not add up.</summary>
    internal const string InvalidRecord = "KP0509";

    /// <summary>A hunk header where no file is open: after text that ended the previous file (git apply: patch fragment without header).</summary>
    internal const string OrphanHunk = "KP0510";
}
