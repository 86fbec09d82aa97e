using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>One trailer line of a commit message (<c>Signed-off-by: Name &lt;email&gt;</c>), as <c>git interpret-trailers</c> finds it.</summary>
public sealed record CommitTrailer
{
    /// <summary>The key as written, without the colon (<c>Signed-off-by</c>, <c>Fixes</c>, <c>Link</c>).</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The raw value after the colon, trimmed; continuation lines are joined with one space.</summary>
    public string Value { get; init; } = string.Empty;

    /// <summary>The trailer's bytes in the input, continuation lines included, line end excluded.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The person of a person trailer (<c>Signed-off-by</c>, <c>Reviewed-by</c>, <c>Cc</c>, ...); null for other keys or when no address is found.</summary>
    public MailIdentity? Person { get; init; }

    /// <summary>The comment after <c>#</c> in a person trailer (<c>Cc: stable@vger.kernel.org # 5.4.x</c> gives <c>5.4.x</c>); null when none.</summary>
    public string? Comment { get; init; }

    /// <summary>The abbreviated commit id of a <c>Fixes:</c> trailer; null for other keys.</summary>
    public string? FixesSha { get; init; }

    /// <summary>The quoted title of a <c>Fixes:</c> trailer, without the <c>("</c> and <c>")</c>; null when absent.</summary>
    public string? FixesTitle { get; init; }

    /// <summary>The URL of a <c>Link:</c>, <c>Closes:</c> or <c>BugLink:</c> trailer; null for other keys.</summary>
    public string? Url { get; init; }

    /// <summary>Whether this is the git-generated <c>(cherry picked from commit ...)</c> line (its <see cref="Key"/> is <c>cherry-picked-from</c>).</summary>
    public bool IsCherryPick { get; init; }
}
