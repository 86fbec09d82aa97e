using System.Collections.Immutable;
using KernelPatch.Commit;
using KernelPatch.Series;

namespace KernelPatch;

/// <summary>One patch of a <see cref="PatchSeries"/>: its position, its message, and the trailers reviewers sent for it.</summary>
public sealed record SeriesPatch
{
    /// <summary>1-based position in the series (<c>3</c> in <c>[PATCH 3/7]</c>).</summary>
    public required int Number { get; init; }

    /// <summary>The patch message.</summary>
    public required PatchMessage Message { get; init; }

    /// <summary>Trailers collected from replies to this patch or to the cover letter, in the order <c>b4 am</c> adds them.</summary>
    public ImmutableArray<FollowUpTrailer> FollowUpTrailers { get; init; } = ImmutableArray<FollowUpTrailer>.Empty;

    /// <summary>
    /// Null for a patch posted in this revision. For a partial re-roll (a vN that re-sent only some patches, each in
    /// reply to its counterpart in the previous revision), the positions it did not re-send are filled from v(N-1), as
    /// <c>b4 am</c> does: this is then the version the patch was posted in.
    /// </summary>
    public int? FromVersion { get; init; }

    /// <summary>The trailers already in the commit message.</summary>
    public ImmutableArray<CommitTrailer> Trailers => Message.Trailers;
}
