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

    /// <summary>The follow-up trailers to add to one patch in the series it was posted in (see the other overload).</summary>
    /// <param name="patchIndex">Mailbox index of the patch.</param>
    /// <param name="existing">Trailers already in the patch's commit message.</param>
    public ImmutableArray<FollowUpTrailer> TrailersToAdd(int patchIndex, ImmutableArray<KernelPatch.Commit.CommitTrailer> existing) =>
        (uint)patchIndex < (uint)SeriesOf.Length && SeriesOf[patchIndex] >= 0
            ? TrailersToAdd(patchIndex, existing, Series[SeriesOf[patchIndex]])
            : ImmutableArray<FollowUpTrailer>.Empty;

    /// <summary>
    /// The follow-up trailers to add to one patch of a series, in the order <c>b4 am</c> adds them: trailers from
    /// replies to the patch itself first (mailbox order), then those from replies to the series' cover letter;
    /// a trailer equal (key and value, case-insensitive) to one already in the patch or earlier in the list is left out.
    /// In a partial re-roll the patch or the cover letter may have been posted in an earlier revision: the trailers
    /// are those its own revision collected, as b4 carries them over.
    /// </summary>
    /// <param name="patchIndex">Mailbox index of the patch.</param>
    /// <param name="existing">Trailers already in the patch's commit message.</param>
    /// <param name="series">The series the patch is placed in.</param>
    /// <param name="carried">Trailers written for the same patch (the same git patch-id) in another revision of the thread,
    /// which <c>b4 am</c> carries over; they come after the patch's own and before the cover letter's.</param>
    public ImmutableArray<FollowUpTrailer> TrailersToAdd(int patchIndex, ImmutableArray<KernelPatch.Commit.CommitTrailer> existing, SeriesRevision series, ImmutableArray<FollowUpTrailer> carried = default)
    {
        if ((uint)patchIndex >= (uint)SeriesOf.Length || SeriesOf[patchIndex] < 0)
        {
            return ImmutableArray<FollowUpTrailer>.Empty;
        }

        var own = Series[SeriesOf[patchIndex]];
        int cover = series.CoverIndex ?? -1;
        var coverSeries = cover >= 0 && (uint)cover < (uint)SeriesOf.Length && SeriesOf[cover] >= 0 ? Series[SeriesOf[cover]] : null;
        if (own.FollowUpTrailers.IsEmpty && (coverSeries is null || coverSeries.FollowUpTrailers.IsEmpty) && carried.IsDefaultOrEmpty)
        {
            return ImmutableArray<FollowUpTrailer>.Empty;
        }

        ImmutableArray<FollowUpTrailer>.Builder? result = null;
        HashSet<(string Key, string Value)>? seen = null;

        // Pass 0: the patch's own replies; pass 1: those carried over from another revision; pass 2: the cover
        // letter's (b4 add_cover_trailers runs last).
        for (int pass = 0; pass < 3; pass++)
        {
            ReadOnlySpan<FollowUpTrailer> list = pass switch
            {
                0 => own.FollowUpTrailers.AsSpan(),
                1 => carried.IsDefault ? default : carried.AsSpan(),
                _ => coverSeries is null ? default : coverSeries.FollowUpTrailers.AsSpan(),
            };
            foreach (var t in list)
            {
                // In the series the trailer was collected in, AppliesTo says which patches it reaches (not the cover
                // letter itself); a cover letter taken over by a re-roll reaches every patch placed in the new series.
                bool skip = pass switch
                {
                    0 => t.TargetIndex != patchIndex || !t.AppliesTo.Contains(patchIndex),
                    1 => false,
                    _ => t.TargetIndex != cover || (ReferenceEquals(coverSeries, own) ? !t.AppliesTo.Contains(patchIndex) : patchIndex == cover),
                };
                if (skip)
                {
                    continue;
                }

                if (seen is null)
                {
                    // Made only for a patch that gets a follow-up trailer; pairs, so no "key: value" string is built.
                    seen = new HashSet<(string Key, string Value)>(TrailerPairComparer.Instance);
                    if (!existing.IsDefault)
                    {
                        foreach (var c in existing)
                        {
                            seen.Add((c.Key, c.Value));
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
        && Core(x.Value).Equals(Core(y.Value), StringComparison.OrdinalIgnoreCase);

    public int GetHashCode((string Key, string Value) pair) => HashCode.Combine(
        string.GetHashCode(pair.Key.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase),
        string.GetHashCode(Core(pair.Value), StringComparison.OrdinalIgnoreCase));

    // The value without a last "# comment" or a note line below it (b4 keeps both apart and compares without them:
    // "x@y.z # 5.10+" is "x@y.z").
    private static ReadOnlySpan<char> Core(string value)
    {
        ReadOnlySpan<char> v = value.AsSpan();
        int newline = v.IndexOf('\n');
        v = (newline < 0 ? v : v[..newline]).Trim();
        int hash = v.LastIndexOf('#');
        return hash > 0 && hash + 1 < v.Length && char.IsWhiteSpace(v[hash - 1]) && !v[..hash].IsWhiteSpace()
            ? v[..hash].TrimEnd()
            : v;
    }
}
