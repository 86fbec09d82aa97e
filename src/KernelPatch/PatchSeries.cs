using System.Collections.Immutable;
using KernelPatch.Commit;
using KernelPatch.Mail;
using KernelPatch.Series;

namespace KernelPatch;

/// <summary>
/// One revision of one patch submission: an optional cover letter and patches 1..N of the same
/// version and total, with the replies to them and the trailers reviewers sent.
/// </summary>
/// <remarks>
/// <see cref="Parse(string, PatchParseOptions?)"/> and <see cref="Load(string, PatchParseOptions?)"/>
/// return the newest revision of the one submission in the input, as <c>b4 am</c> picks it.
/// Use <see cref="PatchMailbox"/> for input that holds several submissions.
/// </remarks>
public sealed record PatchSeries
{
    /// <summary>The revision (<c>2</c> for <c>[PATCH v2 ...]</c>); 1 when the subject names none.</summary>
    public required int Version { get; init; }

    /// <summary>The number of patches the subjects announce (<c>7</c> in <c>3/7</c>); 1 for a lone <c>[PATCH]</c>.</summary>
    public required int Total { get; init; }

    /// <summary>The series title: the cover letter's title, else the first patch's.</summary>
    public required string Title { get; init; }

    /// <summary>Who sent the series.</summary>
    public MailIdentity? Author { get; init; }

    /// <summary>When the series was sent (the cover letter's or first patch's date).</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Whether the subjects carry <c>RFC</c>.</summary>
    public bool IsRfc { get; init; }

    /// <summary>Whether the subjects carry <c>RESEND</c>.</summary>
    public bool IsResend { get; init; }

    /// <summary>The cover letter (<c>0/N</c>), or null when the series has none.</summary>
    public PatchMessage? CoverLetter { get; init; }

    /// <summary>
    /// Null when <see cref="CoverLetter"/> was posted in this revision (or there is none). A partial re-roll that sent no
    /// cover letter of its own takes the previous revision's, as <c>b4 am</c> does (see <see cref="SeriesPatch.FromVersion"/>):
    /// this is then the version the cover letter was posted in.
    /// </summary>
    public int? CoverLetterFromVersion { get; init; }

    /// <summary>The patches present, in order of their number.</summary>
    public ImmutableArray<SeriesPatch> Patches { get; init; } = ImmutableArray<SeriesPatch>.Empty;

    /// <summary>1-based numbers of the patches that are absent.</summary>
    public ImmutableArray<int> Missing { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>Message indexes of patches that were extra (a number seen twice, or above the total).</summary>
    public ImmutableArray<int> Extra { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>Whether every patch 1..<see cref="Total"/> is present.</summary>
    public bool IsComplete { get; init; }

    /// <summary>The replies to the cover letter and the patches (reviews, acks), in input order.</summary>
    public ImmutableArray<PatchMessage> Replies { get; init; } = ImmutableArray<PatchMessage>.Empty;

    /// <summary>Every follow-up trailer found in the replies, with the patches it applies to.</summary>
    public ImmutableArray<FollowUpTrailer> FollowUpTrailers { get; init; } = ImmutableArray<FollowUpTrailer>.Empty;

    /// <summary>The <c>base-commit:</c> the series names (format-patch <c>--base</c>, b4).</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The b4 <c>change-id:</c> of the submission.</summary>
    public string? ChangeId { get; init; }

    /// <summary>The <c>prerequisite-patch-id:</c> lines.</summary>
    public ImmutableArray<string> PrerequisitePatchIds { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Why each message was put where it is (cover letter, patch, reply, revision link, trailer).</summary>
    public ImmutableArray<SeriesDecision> Decisions { get; init; } = ImmutableArray<SeriesDecision>.Empty;

    /// <summary>The other revisions of the same submission found in the input, newest first (this one excluded).</summary>
    /// <remarks>
    /// The parser does not store a list per revision: the revisions of a submission share one list (the
    /// submission's <see cref="PatchSubmission.Revisions"/>), and this one's "others" is made from it on first
    /// access. A value given with <c>init</c> or <c>with</c> replaces it.
    /// </remarks>
    public ImmutableArray<PatchSeries> OlderRevisions
    {
        get => !_olderRevisions.IsDefault ? _olderRevisions : Group is { } group ? group.OthersThan(GroupIndex) : ImmutableArray<PatchSeries>.Empty;
        init => _olderRevisions = value;
    }

    private readonly ImmutableArray<PatchSeries> _olderRevisions;

    /// <summary>The revisions of this one's submission, when it has several (set by the parser).</summary>
    internal RevisionGroup? Group { get; init; }

    /// <summary>This revision's place in <see cref="Group"/>, newest first.</summary>
    internal int GroupIndex { get; init; }

    /// <summary>The diffstat the cover letter declares, if any.</summary>
    public CommitDiffstat? CoverDiffstat => CoverLetter?.Commit?.Diffstat;

    /// <summary>Files, insertions and deletions summed over the patches' parsed diffs (or their declared diffstats when a diff was cut off).</summary>
    public SeriesDiffstat CombinedDiffstat => SeriesDiffstat.Combine(Patches);

    /// <summary>Parses <paramref name="text"/> and returns the newest revision of the one submission in it.</summary>
    /// <param name="text">An mbox, a single mail, a patchwork digest or a bare diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The input holds no patch, or patches of several unrelated submissions.</exception>
    public static PatchSeries Parse(string text, PatchParseOptions? options = null) => Single(PatchMailbox.Parse(text, options));

    /// <summary>Parses UTF-8 bytes and returns the newest revision of the one submission in them.</summary>
    /// <param name="utf8">An mbox, a single mail, a patchwork digest or a bare diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The input holds no patch, or patches of several unrelated submissions.</exception>
    public static PatchSeries Parse(ReadOnlyMemory<byte> utf8, PatchParseOptions? options = null) => Single(PatchMailbox.Parse(utf8, options));

    /// <summary>Reads a file (or a maildir folder) and returns the newest revision of the one submission in it.</summary>
    /// <param name="path">Path of an mbox, mail, digest or diff file, or of a maildir.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The input holds no patch, or patches of several unrelated submissions.</exception>
    public static PatchSeries Load(string path, PatchParseOptions? options = null) => Single(PatchMailbox.Load(path, options));

    /// <summary>Reads a stream to its end and returns the newest revision of the one submission in it.</summary>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The input holds no patch, or patches of several unrelated submissions.</exception>
    public static PatchSeries Load(Stream stream, PatchParseOptions? options = null) => Single(PatchMailbox.Load(stream, options));

    /// <summary>
    /// Reads a stream to its end with asynchronous reads (a request body, a network stream) and returns the newest
    /// revision of the one submission in it.
    /// </summary>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The input holds no patch, or patches of several unrelated submissions.</exception>
    public static Task<PatchSeries> LoadAsync(Stream stream, PatchParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        var loading = PatchMailbox.LoadAsync(stream, options, cancellationToken); // checks the stream at the call
        return SingleAsync(loading);

        static async Task<PatchSeries> SingleAsync(Task<PatchMailbox> loading) => Single(await loading.ConfigureAwait(false));
    }

    /// <summary>
    /// Writes the series as an mbox ready for <c>git am</c>: the patches in order, the cover letter
    /// left out, each patch's <see cref="SeriesPatch.FollowUpTrailers"/> added at the end of its
    /// trailer block in the order <c>b4 am</c> uses; every other byte as received.
    /// </summary>
    /// <param name="destination">The stream to write the mbox to.</param>
    /// <returns>The number of follow-up trailers added over all patches.</returns>
    public int WriteAmMbox(Stream destination) => WriteAmMbox(destination, null);

    /// <summary>
    /// Writes the series as an mbox ready for <c>git am</c>, as <see cref="WriteAmMbox(Stream)"/> does, with what
    /// <paramref name="options"/> adds after the follow-up trailers: a <c>Link:</c> to each patch (<c>b4 am -l</c>), and
    /// the applier's <c>Signed-off-by</c> at the bottom (moved there, or added with <c>AddSignOff</c> as <c>b4 am -s</c>).
    /// </summary>
    /// <param name="destination">The stream to write the mbox to.</param>
    /// <param name="options">What to add; nothing but the follow-up trailers when null.</param>
    /// <returns>The number of trailers added over all patches (follow-ups, links and sign-offs; a moved sign-off does not count).</returns>
    /// <exception cref="ArgumentException"><see cref="AmMboxOptions.AddSignOff"/> is set without an <see cref="AmMboxOptions.Identity"/> with an email.</exception>
    public int WriteAmMbox(Stream destination, AmMboxOptions? options)
    {
        ArgumentNullException.ThrowIfNull(destination);
        (string Key, string Value)? signOff = null;
        if (options?.Identity is { Email.Length: > 0 } who)
        {
            signOff = ("Signed-off-by", who.Name.Length > 0 ? who.Name + " <" + who.Email + ">" : who.Email);
        }
        else if (options is { AddSignOff: true })
        {
            throw new ArgumentException("AddSignOff needs an Identity with an email: whose Signed-off-by to add.", nameof(options));
        }

        // Each patch is written as soon as it is ready, a changed one from one buffer that serves them all, made once at
        // the largest patch's size and room for its trailers.
        int largest = 0;
        foreach (var patch in Patches)
        {
            largest = Math.Max(largest, patch.Message.Content.Length);
        }

        var changed = new System.Buffers.ArrayBufferWriter<byte>(largest + 1024);
        int added = 0;
        foreach (var patch in Patches)
        {
            var m = patch.Message;
            // A commit of git log or hg export output has no mail headers: it is written as git format-patch would mail it.
            var content = m.Format.IsCommitLog() ? CommitMail.ToMail(m) : m.Source.Slice(m.Content.Offset, m.Content.Length);
            var trailers = new List<(string Key, string Value)>(patch.FollowUpTrailers.Length + 1);
            bool addSignOff = options is { AddSignOff: true };
            foreach (var t in patch.FollowUpTrailers)
            {
                if (signOff is { } mine && TrailerPairComparer.Instance.Equals((t.Key, t.Value), mine))
                {
                    addSignOff = true; // a reply's sign-off of the applier goes to the bottom too, as b4 puts it
                    continue;
                }

                trailers.Add((t.Key, t.Note is null ? t.Value : t.Value + "\n" + t.Note));
            }

            if (options is { AddLink: true } && m.MessageId is { Length: > 0 } id)
            {
                trailers.Add(("Link", options.LinkPrefix + id));
            }

            if (trailers.Count > 0 || signOff is not null)
            {
                if (AmWriter.AddTrailersTo(changed, content, trailers, signOff, addSignOff, out int n))
                {
                    added += n;
                    AmWriter.WriteMboxMessage(destination, changed.WrittenSpan);
                    continue;
                }
            }

            AmWriter.WriteMboxMessage(destination, content.Span);
        }

        return added;
    }

    /// <summary>The newest revision of the one submission in <paramref name="mailbox"/>: what <see cref="Parse(string, PatchParseOptions?)"/> returns for the same input.</summary>
    /// <param name="mailbox">A parsed mailbox (for example a maildir from <see cref="PatchMailbox.Load(string, PatchParseOptions?)"/>).</param>
    /// <returns>The newest revision.</returns>
    /// <exception cref="PatchFormatException">The mailbox holds no patch, or patches of several unrelated submissions.</exception>
    public static PatchSeries From(PatchMailbox mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return Single(mailbox);
    }

    private static PatchSeries Single(PatchMailbox mailbox)
    {
        var submissions = mailbox.Submissions;
        if (submissions.IsEmpty)
        {
            throw new PatchFormatException(
                $"No patch series found: the input holds {mailbox.Messages.Length} message(s) and none is a patch or cover letter. Use PatchMailbox to read every message.");
        }

        if (submissions.Length > 1 && mailbox.Format.IsCommitLog())
        {
            throw new PatchFormatException(mailbox.Format == PatchInputFormat.GitLog
                ? $"The input is git log output with {mailbox.Messages.Length} commits, each a patch of its own; PatchSeries.Parse reads one (git show). Use PatchMailbox.Parse to get every commit, or git format-patch for a series."
                : $"The input is hg export output with {mailbox.Messages.Length} changesets, each a patch of its own; PatchSeries.Parse reads one. Use PatchMailbox.Parse to get every changeset.");
        }

        if (submissions.Length > 1)
        {
            var titles = new System.Text.StringBuilder();
            foreach (var s in submissions)
            {
                titles.Append(titles.Length == 0 ? "" : "; ").Append('"').Append(s.Title).Append('"');
            }

            throw new PatchFormatException(
                $"The input holds {submissions.Length} unrelated submissions ({titles}); PatchSeries.Parse reads one. Use PatchMailbox.Parse to get every series.");
        }

        return submissions[0].Newest;
    }

    /// <summary>
    /// The revisions of one submission, newest first, shared by them: each revision's list of the others is
    /// made from it on first access and kept, so memory grows with the revisions, not their square, until a
    /// caller asks every revision for its others.
    /// </summary>
    internal sealed class RevisionGroup
    {
        private ImmutableArray<PatchSeries> _all = ImmutableArray<PatchSeries>.Empty;
        private ImmutableArray<PatchSeries>[]? _others;

        /// <summary>Sets the revisions once they all exist (they point to this group, so it is made first).</summary>
        public void Fill(ImmutableArray<PatchSeries> all) => _all = all;

        /// <summary>Every revision except the one at <paramref name="index"/>, newest first.</summary>
        public ImmutableArray<PatchSeries> OthersThan(int index)
        {
            if ((uint)index >= (uint)_all.Length)
            {
                return _all;
            }

            var others = _others ??= new ImmutableArray<PatchSeries>[_all.Length];
            if (others[index].IsDefault)
            {
                var b = ImmutableArray.CreateBuilder<PatchSeries>(_all.Length - 1);
                for (int k = 0; k < _all.Length; k++)
                {
                    if (k != index)
                    {
                        b.Add(_all[k]);
                    }
                }

                others[index] = b.MoveToImmutable();
            }

            return others[index];
        }
    }
}
