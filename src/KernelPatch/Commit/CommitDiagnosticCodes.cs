namespace KernelPatch.Commit;

/// <summary>Diagnostic codes of the commit stage (KP04xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class CommitDiagnosticCodes
{
    /// <summary>A scissors line was found (reported whether or not it was honoured).</summary>
    internal const string ScissorsFound = "KP0401";

    /// <summary>An in-body <c>From:</c> has no usable address.</summary>
    internal const string InBodyFromInvalid = "KP0402";

    /// <summary>An in-body <c>Date:</c> could not be read as an RFC 2822 date.</summary>
    internal const string InBodyDateInvalid = "KP0403";

    /// <summary>A <c>Fixes:</c> sha is shorter than 12 hex digits.</summary>
    internal const string FixesShortSha = "KP0404";

    /// <summary>A <c>Fixes:</c> trailer has no sha or no quoted title.</summary>
    internal const string FixesMalformed = "KP0405";

    /// <summary>A person trailer has no email address.</summary>
    internal const string TrailerNoEmail = "KP0406";

    /// <summary>A diffstat totals line disagrees with its file lines.</summary>
    internal const string DiffstatTotalsMismatch = "KP0407";

    /// <summary>The declared diffstat disagrees with the parsed diff (files or +/- counts).</summary>
    internal const string DiffstatDiffMismatch = "KP0408";

    /// <summary>The mail has a <c>---</c> separator and a diffstat, but no diff after it (cut-off mail).</summary>
    internal const string DiffMissing = "KP0409";

    /// <summary>A pull request lacks its base commit, URL or end commit.</summary>
    internal const string PullIncomplete = "KP0410";

    /// <summary>The diffstat's shortened paths could not all be matched within a bound linear in the sizes (built input); the rest are not checked.</summary>
    internal const string DiffstatCheckIncomplete = "KP0411";

    /// <summary>A header line of git log or hg export output (author, date) cannot be read.</summary>
    internal const string GitLogHeaderInvalid = "KP0412";
}
