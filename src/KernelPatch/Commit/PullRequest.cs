using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>What a <c>git request-pull</c> message asks to pull.</summary>
public sealed record PullRequest
{
    /// <summary>The commit after <c>The following changes since commit</c>; null when absent.</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The repository URL on the line after <c>are available in the Git repository at:</c>; null when absent.</summary>
    public string? RepositoryUrl { get; init; }

    /// <summary>The branch or tag written after the URL (<c>tags/kvm-5.6-2</c>); null when none.</summary>
    public string? Branch { get; init; }

    /// <summary>The commit after <c>for you to fetch changes up to</c>; null when absent.</summary>
    public string? EndCommit { get; init; }

    /// <summary>From the <c>The following changes</c> line to the end commit line.</summary>
    public SourceSpan Span { get; init; }
}
