using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>One submission: every revision of the same work found in the input.</summary>
internal sealed record SeriesSubmission
{
    /// <summary>0-based number of this submission.</summary>
    public int Id { get; init; }

    /// <summary>Series ids of the revisions, newest first (highest version, then latest date).</summary>
    public required ImmutableArray<int> Revisions { get; init; }

    /// <summary>Title of the newest revision.</summary>
    public required string Title { get; init; }
}
