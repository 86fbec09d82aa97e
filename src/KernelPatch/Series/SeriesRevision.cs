using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>One series: one revision of one submission (cover letter and patches 1..N), by message index.</summary>
internal sealed record SeriesRevision
{
    /// <summary>0-based number of this series in <see cref="SeriesAssembly.Series"/>.</summary>
    public int Id { get; init; }

    /// <summary>Version (<c>vN</c>; 1 when not given).</summary>
    public int Version { get; init; }

    /// <summary>Total number of patches N (from the cover letter, else the first patch; 1 for a lone patch).</summary>
    public int Total { get; init; }

    /// <summary>The series carries an RFC tag.</summary>
    public bool IsRfc { get; init; }

    /// <summary>The series carries a RESEND tag.</summary>
    public bool IsResend { get; init; }

    /// <summary>Title: the cover letter's, else patch 1's, else the first patch's.</summary>
    public required string Title { get; init; }

    /// <summary>Sender name of the cover letter or first patch.</summary>
    public required string AuthorName { get; init; }

    /// <summary>Sender email of the cover letter or first patch.</summary>
    public required string AuthorEmail { get; init; }

    /// <summary>Date of the cover letter, else the earliest patch date.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Index of the cover letter, or null.</summary>
    public int? CoverIndex { get; init; }

    /// <summary>Patch message index per position 1..N (element 0 is patch 1); null where missing.</summary>
    public required ImmutableArray<int?> Patches { get; init; }

    /// <summary>Positions (1-based) with no patch.</summary>
    public required ImmutableArray<int> Missing { get; init; }

    /// <summary>Patches not placed: a second patch for a taken position, or an index above the total.</summary>
    public required ImmutableArray<int> Extra { get; init; }

    /// <summary>Messages whose total differs from <see cref="Total"/>.</summary>
    public required ImmutableArray<int> TotalMismatches { get; init; }

    /// <summary>Every position 1..N has a patch.</summary>
    public bool IsComplete { get; init; }

    /// <summary>Replies in the series' threads, each attached to the message it answers (see <see cref="SeriesAssembly.ReplyTo"/>).</summary>
    public required ImmutableArray<int> Replies { get; init; }

    /// <summary>Follow-up trailers collected from the replies, in mailbox order of the replies.</summary>
    public required ImmutableArray<FollowUpTrailer> FollowUpTrailers { get; init; }

    /// <summary><c>base-commit</c> of the cover letter, else of the first patch that has one.</summary>
    public string? BaseCommit { get; init; }

    /// <summary><c>change-id</c> of the cover letter, else of the first patch that has one.</summary>
    public string? ChangeId { get; init; }

    /// <summary>All <c>prerequisite-patch-id</c> values of the series, first seen first.</summary>
    public required ImmutableArray<string> PrerequisitePatchIds { get; init; }

    /// <summary>Index of the submission this series is a revision of.</summary>
    public int SubmissionId { get; init; }

    /// <summary>Mailbox indexes of the patches present, in position order.</summary>
    public IEnumerable<int> PresentPatches()
    {
        foreach (int? p in Patches)
        {
            if (p is int i)
            {
                yield return i;
            }
        }
    }
}
