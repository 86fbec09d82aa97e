using System.Collections.Immutable;

namespace KernelPatch;

/// <summary>Every revision of one submission found in a mailbox (v1, v2, a RESEND...), newest first.</summary>
public sealed record PatchSubmission
{
    /// <summary>The title shared by the revisions (the newest one's).</summary>
    public required string Title { get; init; }

    /// <summary>The revisions, newest first; never empty.</summary>
    public required ImmutableArray<PatchSeries> Revisions { get; init; }

    /// <summary>The newest revision (what <c>b4 am</c> picks).</summary>
    public PatchSeries Newest => Revisions[0];
}
