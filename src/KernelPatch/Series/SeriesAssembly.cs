using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>Everything the series assembler found in one mailbox, by message index.</summary>
internal sealed record SeriesAssembly
{
    /// <summary>The reply tree.</summary>
    public required SeriesThreads Threads { get; init; }

    /// <summary>Role of each message.</summary>
    public required ImmutableArray<SeriesMessageRole> Roles { get; init; }

    /// <summary>Series id of each patch and cover letter, -1 for other messages.</summary>
    public required ImmutableArray<int> SeriesOf { get; init; }

    /// <summary>For a reply: the message it answers (its parent), else -1.</summary>
    public required ImmutableArray<int> ReplyTo { get; init; }

    /// <summary>Every series (revision), in order of first message.</summary>
    public required ImmutableArray<SeriesRevision> Series { get; init; }

    /// <summary>Every submission, in order of first message; revisions newest first.</summary>
    public required ImmutableArray<SeriesSubmission> Submissions { get; init; }

    /// <summary>Every decision, with its reason.</summary>
    public required ImmutableArray<SeriesDecision> Decisions { get; init; }

    /// <summary>The newest revision of a submission.</summary>
    public SeriesRevision Newest(SeriesSubmission submission) => Series[submission.Revisions[0]];

    /// <summary>Decisions about one message.</summary>
    public ImmutableArray<SeriesDecision> DecisionsFor(int messageIndex)
    {
        var builder = ImmutableArray.CreateBuilder<SeriesDecision>();
        foreach (var d in Decisions)
        {
            if (d.MessageIndex == messageIndex)
            {
                builder.Add(d);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The follow-up trailers to add to one patch, in the order <c>b4 am</c> adds them: trailers from
    /// replies to the patch itself first (mailbox order), then those from replies to the cover letter;
    /// a trailer equal (key and value, case-insensitive) to one already in the patch or earlier in the list is left out.
    /// </summary>
    /// <param name="patchIndex">Mailbox index of the patch.</param>
    /// <param name="existing">Trailers already in the patch's commit message.</param>
    public ImmutableArray<FollowUpTrailer> TrailersToAdd(int patchIndex, ImmutableArray<(string Key, string Value)> existing)
    {
        if ((uint)patchIndex >= (uint)SeriesOf.Length || SeriesOf[patchIndex] < 0)
        {
            return ImmutableArray<FollowUpTrailer>.Empty;
        }

        ImmutableArray<FollowUpTrailer>.Builder? result = null;
        var series = Series[SeriesOf[patchIndex]];
        HashSet<(string Key, string Value)>? seen = null;

        // Pass 1: the patch's own replies; pass 2: the cover letter's (b4 add_cover_trailers runs last).
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var t in series.FollowUpTrailers)
            {
                bool onPatch = t.TargetIndex == patchIndex;
                if ((pass == 0) != onPatch || !t.AppliesTo.Contains(patchIndex))
                {
                    continue;
                }

                if (seen is null)
                {
                    // Made only for a patch that gets a follow-up trailer; pairs, so no "key: value" string is built.
                    seen = new HashSet<(string Key, string Value)>(TrailerPairComparer.Instance);
                    if (!existing.IsDefault)
                    {
                        foreach (var pair in existing)
                        {
                            seen.Add(pair);
                        }
                    }
                }

                if (seen.Add((t.Key, t.Value)))
                {
                    (result ??= ImmutableArray.CreateBuilder<FollowUpTrailer>()).Add(t);
                }
            }
        }

        return result is null ? ImmutableArray<FollowUpTrailer>.Empty : result.ToImmutable();
    }
}

/// <summary>Trailer pairs compared as b4 dedupes them: key and value each without surrounding blanks, ignoring case.</summary>
internal sealed class TrailerPairComparer : IEqualityComparer<(string Key, string Value)>
{
    public static readonly TrailerPairComparer Instance = new();

    public bool Equals((string Key, string Value) x, (string Key, string Value) y) =>
        x.Key.AsSpan().Trim().Equals(y.Key.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase)
        && x.Value.AsSpan().Trim().Equals(y.Value.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase);

    public int GetHashCode((string Key, string Value) pair) => HashCode.Combine(
        string.GetHashCode(pair.Key.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase),
        string.GetHashCode(pair.Value.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase));
}
