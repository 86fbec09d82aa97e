using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Globalization;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Series;

/// <summary>
/// Assembles threads, series, revisions, replies and follow-up trailers from parsed messages,
/// as patchwork and b4 do. See docs/series.md for the rules.
/// </summary>
/// <remarks>
/// Invariants: every pass is a loop over the messages or over an explicit work list (no recursion),
/// each message is visited a bounded number of times per pass, and lookups go through dictionaries,
/// so the cost is linear in the number of messages (plus their ids) for any input, cycles included.
/// </remarks>
internal static class SeriesAssembler
{
    /// <summary>Unthreaded patches join a series only when sent within this time of its latest member.</summary>
    internal static readonly TimeSpan UnthreadedWindow = TimeSpan.FromHours(6);

    /// <summary>Series positions tracked beyond the highest patch present, whatever total a subject claims.</summary>
    internal const int MaxTrackedTotal = 1000;

    private sealed class Builder
    {
        public int Id;
        public int Version;
        public bool IsRfc;
        public bool IsResend;
        public int? Cover;
        public readonly List<int> Members = new();
        public PositionSet Positions;
        public List<int>? Replies; // made on the first reply: most series get none
        public List<FollowUpTrailer>? Trailers; // made on the first follow-up trailer
        public DateTimeOffset? LastDate;
        public string? LinkReason;
        public int? LinkedTo;
        public SeriesRevision? Result;
    }

    /// <summary>The positions a series has taken: a bit mask for 0..63 (nearly every series), a set beyond.</summary>
    private struct PositionSet
    {
        private ulong _low;
        private HashSet<int>? _high;

        public void Add(int position)
        {
            if ((uint)position < 64)
            {
                _low |= 1UL << position;
            }
            else
            {
                (_high ??= []).Add(position);
            }
        }

        public readonly bool Contains(int position) =>
            (uint)position < 64 ? (_low & (1UL << position)) != 0 : _high is not null && _high.Contains(position);
    }

    /// <summary>Assembles <paramref name="messages"/> (in mailbox order, <c>Index</c> = position).</summary>
    public static SeriesAssembly Assemble(IReadOnlyList<SeriesMessageInfo> messages, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(diagnostics);
        int n = messages.Count;
        var decisions = new List<SeriesDecision>((2 * n) + 2); // about two per message (gen-64MB: exactly two): no regrowth

        // 1. Message-IDs: first copy wins.
        var idMap = new Dictionary<string, int>(n, StringComparer.Ordinal);
        var duplicateOf = new int[n];
        Array.Fill(duplicateOf, -1);
        // The tables below that most mailboxes never fill are made at their first entry: parsing one mail made them all.
        ImmutableArray<(int Index, int FirstIndex)>.Builder? duplicates = null;
        for (int i = 0; i < n; i++)
        {
            var m = messages[i];
            if (string.IsNullOrEmpty(m.MessageId))
            {
                if (m.IsLogCommit)
                {
                    continue;
                }

                diagnostics.Info(SeriesDiagnosticCodes.MissingMessageId, "Expected a Message-ID header, found none: the message starts its own thread and no reply can be attached to it.", m.Offset);
                continue;
            }

            if (idMap.TryGetValue(m.MessageId, out int first))
            {
                duplicateOf[i] = first;
                (duplicates ??= ImmutableArray.CreateBuilder<(int Index, int FirstIndex)>()).Add((i, first));
                diagnostics.Warning(SeriesDiagnosticCodes.DuplicateMessageId, "Expected a unique Message-ID, found <" + m.MessageId + "> again (first at message " + Num(first) + "): this copy is left out.", m.Offset);
                decisions.Add(new SeriesDecision(i, SeriesDecisionKind.Duplicate, first, SeriesReason.Duplicate, first, text: m.MessageId));
            }
            else
            {
                idMap.Add(m.MessageId, i);
            }
        }

        // 2. Parents: In-Reply-To, else the nearest References entry that is present.
        var parent = new int[n];
        Array.Fill(parent, -1);
        var missingOf = new string?[n];
        List<string>? missingOrder = null;
        Dictionary<string, List<int>>? missingMap = null;
        for (int i = 0; i < n; i++)
        {
            if (duplicateOf[i] >= 0)
            {
                continue;
            }

            var m = messages[i];
            bool selfReference = false;
            int p = Lookup(idMap, m.InReplyTo, i, ref selfReference);
            var refs = m.References.IsDefault ? ImmutableArray<string>.Empty : m.References;
            for (int r = refs.Length - 1; p < 0 && r >= 0; r--)
            {
                p = Lookup(idMap, refs[r], i, ref selfReference);
            }

            if (selfReference)
            {
                diagnostics.Warning(SeriesDiagnosticCodes.ReplyCycle, "Expected In-Reply-To/References to name other messages, found the message's own id <" + m.MessageId + ">: that link is ignored.", m.Offset);
            }

            if (p >= 0)
            {
                parent[i] = p;
                continue;
            }

            string? wanted = !string.IsNullOrEmpty(m.InReplyTo) && m.InReplyTo != m.MessageId ? m.InReplyTo : LastOther(refs, m.MessageId);
            if (wanted is not null)
            {
                missingOf[i] = wanted;
                missingMap ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
                if (!missingMap.TryGetValue(wanted, out var list))
                {
                    list = new List<int>();
                    missingMap.Add(wanted, list);
                    (missingOrder ??= new List<string>()).Add(wanted);
                }

                list.Add(i);
                diagnostics.Warning(SeriesDiagnosticCodes.MissingParent, "Expected the message it replies to, <" + wanted + ">, in the input; it is absent, so this message starts its own thread.", m.Offset);
                decisions.Add(new SeriesDecision(i, SeriesDecisionKind.MissingParent, null, SeriesReason.MissingParent, text: wanted));
            }
        }

        // 3. Break cycles: walk up from each message; meeting the current path again is a cycle.
        var state = new byte[n];
        var path = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (state[i] != 0)
            {
                continue;
            }

            path.Clear();
            int x = i;
            while (x >= 0 && state[x] == 0)
            {
                state[x] = 1;
                path.Add(x);
                x = parent[x];
            }

            if (x >= 0 && state[x] == 1)
            {
                int start = path.IndexOf(x);
                int cut = x;
                for (int k = start; k < path.Count; k++)
                {
                    cut = Math.Min(cut, path[k]);
                }

                int oldParent = parent[cut];
                parent[cut] = -1;
                diagnostics.Warning(SeriesDiagnosticCodes.ReplyCycle, "Expected a reply tree, found a cycle of " + Num(path.Count - start) + " messages in In-Reply-To/References: message " + Num(cut) + " no longer replies to message " + Num(oldParent) + ".", messages[cut].Offset);
                decisions.Add(new SeriesDecision(cut, SeriesDecisionKind.ThreadParent, oldParent, SeriesReason.CycleCut, oldParent));
            }

            foreach (int p in path)
            {
                state[p] = 2;
            }
        }

        // 4. Children (each message's replies in mailbox order, counted first so each gets one exact array), roots,
        // thread roots (memoised walk up).
        var filled = new int[n];
        var roots = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < n; i++)
        {
            if (duplicateOf[i] >= 0)
            {
                continue;
            }

            if (parent[i] < 0)
            {
                roots.Add(i);
            }
            else
            {
                filled[parent[i]]++;
            }
        }

        var children = new int[]?[n];
        for (int i = 0; i < n; i++)
        {
            if (filled[i] > 0)
            {
                children[i] = new int[filled[i]];
                filled[i] = 0;
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (duplicateOf[i] < 0 && parent[i] >= 0)
            {
                children[parent[i]]![filled[parent[i]]++] = i;
            }
        }

        var threadRoot = new int[n];
        Array.Fill(threadRoot, -1);
        for (int i = 0; i < n; i++)
        {
            if (threadRoot[i] >= 0 || duplicateOf[i] >= 0)
            {
                continue;
            }

            path.Clear();
            int x = i;
            while (parent[x] >= 0 && threadRoot[x] < 0)
            {
                path.Add(x);
                x = parent[x];
            }

            int root = threadRoot[x] >= 0 ? threadRoot[x] : x;
            threadRoot[x] = root;
            foreach (int p in path)
            {
                threadRoot[p] = root;
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (duplicateOf[i] >= 0)
            {
                threadRoot[i] = threadRoot[duplicateOf[i]];
            }
        }

        // 5. Roles.
        var roles = new SeriesMessageRole[n];
        for (int i = 0; i < n; i++)
        {
            roles[i] = RoleOf(messages[i], duplicateOf[i] >= 0, parent[i] >= 0);
        }

        // 6. Series, in breadth-first order so a parent is placed before its children.
        var order = new List<int>(n);
        order.AddRange(roots);
        for (int k = 0; k < order.Count; k++)
        {
            if (children[order[k]] is { } kids)
            {
                order.AddRange(kids);
            }
        }

        var anchor = new int[n]; // nearest patch/cover at or above each message
        Array.Fill(anchor, -1);
        var seriesOf = new int[n];
        Array.Fill(seriesOf, -1);
        var builders = new List<Builder>();
        Dictionary<(string Missing, SeriesKey Key), Builder>? byMissing = null;
        var byUnthreaded = new Dictionary<SeriesKey, Builder>();
        foreach (int i in order)
        {
            var m = messages[i];
            int up = parent[i] >= 0 ? anchor[parent[i]] : -1;
            var role = roles[i];
            if (role != SeriesMessageRole.Patch && role != SeriesMessageRole.Cover)
            {
                anchor[i] = up;
                continue;
            }

            anchor[i] = i;
            int version = m.Version ?? 1;
            int position = role == SeriesMessageRole.Cover ? 0 : m.PatchIndex ?? 1;
            Builder? target = null;
            // The reason: a template and up to three values after the position and series (see SeriesDecision).
            SeriesReason reason;
            int r1 = 0, r2 = 0, r3 = 0;
            string? reasonText = null;
            var unthreadedKey = UnthreadedKey(m);
            if (role == SeriesMessageRole.Cover)
            {
                (reason, r1, r2) = (SeriesReason.NewCover, m.PatchTotal ?? 0, version);
            }
            else if (up >= 0 && Fits(builders[seriesOf[up]], m, position, marks: false))
            {
                target = builders[seriesOf[up]];
                int chain = roles[up] == SeriesMessageRole.Cover ? -1
                    : messages[up].PatchIndex == 1 || messages[up].PatchIndex is null ? 0
                    : messages[up].PatchIndex ?? 1;
                (reason, r1, r2, r3) = (SeriesReason.ThreadedMember, chain, up, version);
            }
            else if (missingOf[i] is { } gone && byMissing is not null && byMissing.TryGetValue((gone, unthreadedKey), out var sibling) && Fits(sibling, m, position))
            {
                target = sibling;
                (reason, r1, r2, reasonText) = (SeriesReason.SiblingOfAbsent, sibling.Members[0], version, gone);
            }
            else if (missingOf[i] is null && byUnthreaded.TryGetValue(unthreadedKey, out var near)
                && ((m.PatchTotal ?? 1) > 1 || (m.PatchIndex == 1 && near.Cover is not null)) && Fits(near, m, position, marks: m.MessageId is not null)
                && (m.MessageId is null || Close(near.LastDate, m.Date)))
            {
                // A message with no Message-ID was never sent (git format-patch --stdout without
                // --thread): its Date is the commit's author date, so closeness in time means nothing.
                // A numbered [PATCH 1/1] joins only a series with its cover letter ([PATCH 0/1]): a lone
                // patch is otherwise a series of its own.
                target = near;
                (reason, r1, r2, r3) = (m.MessageId is null ? SeriesReason.UnsentMember : SeriesReason.UnthreadedMember, version, m.PatchTotal ?? 1, near.Members[^1]);
            }
            else
            {
                (reason, r1, r2) = (up >= 0 ? SeriesReason.NewAfterReply : (m.PatchTotal ?? 1) <= 1 ? SeriesReason.LonePatch : SeriesReason.NewSeries, up, version);
            }

            if (target is null)
            {
                target = new Builder { Id = builders.Count, Version = version, IsRfc = m.IsRfc, IsResend = m.IsResend };
                builders.Add(target);
            }

            target.Members.Add(i);
            target.Positions.Add(position);
            if (role == SeriesMessageRole.Cover)
            {
                target.Cover = i;
            }

            if (m.Date is { } date && (target.LastDate is null || date > target.LastDate))
            {
                target.LastDate = date;
            }

            seriesOf[i] = target.Id;
            if (missingOf[i] is { } missingId)
            {
                (byMissing ??= new Dictionary<(string Missing, SeriesKey Key), Builder>())[(missingId, unthreadedKey)] = target;
            }

            byUnthreaded[unthreadedKey] = target;
            if (m.MessageId is null)
            {
                // Sent mail from the same sender may follow it unthreaded.
                byUnthreaded[UnthreadedKey(m, bySender: true)] = target;
            }
            var kind = role == SeriesMessageRole.Cover ? SeriesDecisionKind.CoverLetter : SeriesDecisionKind.Patch;
            decisions.Add(new SeriesDecision(i, kind, up >= 0 ? up : null, reason, position, target.Id, r1, r2, r3, reasonText));
        }

        // 7. Finish each series: positions, missing, extras, totals, metadata.
        foreach (var b in builders)
        {
            b.Members.Sort();
            b.Result = Finish(b, messages, diagnostics);
        }

        // 8. Replies and follow-up trailers (after series are complete, so cover trailers know every patch).
        var replyTo = new int[n];
        Array.Fill(replyTo, -1);
        bool[]? climbed = null; // replies whose trailers were taken for a reply below them (b4's climb)
        bool[]? borrows = null; // replies holding a trailer that names someone else than their sender
        for (int i = 0; i < n; i++)
        {
            if (roles[i] != SeriesMessageRole.Reply)
            {
                if (roles[i] == SeriesMessageRole.Other)
                {
                    decisions.Add(new SeriesDecision(i, SeriesDecisionKind.Other, null, messages[i].IsPull ? SeriesReason.PullRequest : SeriesReason.NotAPatch));
                }

                continue;
            }

            replyTo[i] = parent[i];
            int target = anchor[i];
            if (parent[i] < 0)
            {
                decisions.Add(new SeriesDecision(i, SeriesDecisionKind.Reply, null, SeriesReason.ReplyToAbsent));
                continue;
            }

            if (target < 0)
            {
                decisions.Add(new SeriesDecision(i, SeriesDecisionKind.Reply, parent[i], SeriesReason.ReplyOutsideSeries, parent[i]));
                continue;
            }

            var b = builders[seriesOf[target]];
            (b.Replies ??= []).Add(i);
            int what = roles[target] == SeriesMessageRole.Cover ? 0 : messages[target].PatchIndex ?? 1;
            decisions.Add(new SeriesDecision(i, SeriesDecisionKind.Reply, parent[i], SeriesReason.Reply, parent[i], target, what, b.Id));
            bool onCover = roles[target] == SeriesMessageRole.Cover;
            if (!(climbed?[i] ?? false) && CollectTrailers(messages[i], target, onCover, b, decisions) is { Any: true } read)
            {
                if (read.Borrowed)
                {
                    (borrows ??= new bool[n])[i] = true;
                }

                // b4 then climbs from this reply to the patch and takes every trailer of the replies in between, whoever
                // they name. Each of those is taken once: a reply already climbed through (and all above it) stops the walk.
                // A reply later in the mailbox than this one is read whole here, in b4's order, and not again.
                // A reply read before this one is read again only if it holds someone else's trailer (all else was taken).
                for (int x = parent[i]; x >= 0 && x != target && roles[x] == SeriesMessageRole.Reply && !(climbed?[x] ?? false); x = parent[x])
                {
                    (climbed ??= new bool[n])[x] = true;
                    if (x > i || (borrows?[x] ?? false))
                    {
                        CollectTrailers(messages[x], target, onCover, b, decisions, below: i, whole: x > i);
                    }
                }
            }
        }

        // 9. Revisions: union series by threading, change-id, and normalised title + sender.
        var links = new int[builders.Count];
        for (int s = 0; s < links.Length; s++)
        {
            links[s] = s;
        }

        foreach (var b in builders)
        {
            foreach (int member in b.Members)
            {
                int up = parent[member] >= 0 ? anchor[parent[member]] : -1;
                if (up >= 0 && seriesOf[up] != b.Id)
                {
                    Union(links, builders, b.Id, seriesOf[up], "message #" + Num(member) + " replies to message #" + Num(up) + " of series " + Num(seriesOf[up]));
                }
            }
        }

        Dictionary<string, int>? byChangeId = null;
        // Sized for every title it may take (each series' and each patch's), so it is not rebuilt as it grows.
        int titles = builders.Count;
        foreach (var b in builders)
        {
            foreach (int member in b.Members)
            {
                titles += KeysPatchTitle(roles[member], messages[member], b.Result!) ? 1 : 0;
            }
        }

        var byTitle = new Dictionary<TitleKey, int>(titles);
        foreach (var b in builders)
        {
            var r = b.Result!;
            if (r.ChangeId is { Length: > 0 } changeId)
            {
                byChangeId ??= new Dictionary<string, int>(StringComparer.Ordinal);
                if (byChangeId.TryGetValue(changeId, out int other))
                {
                    Union(links, builders, b.Id, other, "it has the same change-id " + changeId + " as series " + Num(other));
                }
                else
                {
                    byChangeId.Add(changeId, b.Id);
                }
            }

            string sender = r.AuthorEmail;
            LinkByTitle(byTitle, links, builders, b.Id, new TitleKey(r.Title, sender), "series title");
            foreach (int member in b.Members)
            {
                if (KeysPatchTitle(roles[member], messages[member], r))
                {
                    LinkByTitle(byTitle, links, builders, b.Id, new TitleKey(messages[member].Title, sender), "patch title");
                }
            }
        }

        // 10. Submissions, revisions newest first.
        var groups = new Dictionary<int, List<Builder>>();
        var groupOrder = new List<int>();
        foreach (var b in builders)
        {
            int root = Find(links, b.Id);
            if (!groups.TryGetValue(root, out var g))
            {
                g = new List<Builder>();
                groups.Add(root, g);
                groupOrder.Add(root);
            }

            g.Add(b);
        }

        var submissions = ImmutableArray.CreateBuilder<SeriesSubmission>(groupOrder.Count);
        var submissionOf = new int[builders.Count];
        foreach (int root in groupOrder)
        {
            var g = groups[root];
            g.Sort(static (x, y) =>
            {
                int c = y.Version.CompareTo(x.Version);
                if (c == 0)
                {
                    c = Nullable.Compare(y.Result!.Date, x.Result!.Date);
                }

                return c != 0 ? c : y.Id.CompareTo(x.Id);
            });
            var ids = ImmutableArray.CreateBuilder<int>(g.Count);
            for (int k = 0; k < g.Count; k++)
            {
                var b = g[k];
                ids.Add(b.Id);
                submissionOf[b.Id] = submissions.Count;
                int anchorMessage = b.Cover ?? b.Members[0];
                decisions.Add(new SeriesDecision(anchorMessage, SeriesDecisionKind.Revision, b.LinkedTo is int lt ? (builders[lt].Cover ?? builders[lt].Members[0]) : null,
                    SeriesReason.Revision, b.Id, g.Count, k, b.Version, b.IsResend ? 1 : 0, b.LinkReason));
            }

            submissions.Add(new SeriesSubmission { Id = submissions.Count, Revisions = ids.MoveToImmutable(), Title = g[0].Result!.Title });
        }

        var series = ImmutableArray.CreateBuilder<SeriesRevision>(builders.Count);
        foreach (var b in builders)
        {
            series.Add(b.Result! with
            {
                SubmissionId = submissionOf[b.Id],
                Replies = b.Replies is null ? ImmutableArray<int>.Empty : b.Replies.ToImmutableArray(),
                FollowUpTrailers = b.Trailers is null ? ImmutableArray<FollowUpTrailer>.Empty : b.Trailers.ToImmutableArray(),
            });
        }

        // 11. Partial re-rolls (b4 am): a vN that posted only some patches, each in reply to its counterpart in an
        // earlier revision, takes the rest from v(N-1).
        FillPartialRerolls(series, submissions, messages, parent, diagnostics, decisions);

        var missingParents = ImmutableArray<(string, ImmutableArray<int>)>.Empty;
        if (missingOrder is not null)
        {
            var gone = ImmutableArray.CreateBuilder<(string, ImmutableArray<int>)>(missingOrder.Count);
            foreach (string id in missingOrder)
            {
                gone.Add((id, missingMap![id].ToImmutableArray()));
            }

            missingParents = gone.MoveToImmutable();
        }

        var childArrays = new ImmutableArray<int>[n];
        for (int i = 0; i < n; i++)
        {
            childArrays[i] = children[i] is { } c ? ImmutableCollectionsMarshal.AsImmutableArray(c) : ImmutableArray<int>.Empty;
            if (parent[i] >= 0 && roles[i] != SeriesMessageRole.Reply)
            {
                decisions.Add(new SeriesDecision(i, SeriesDecisionKind.ThreadParent, parent[i], SeriesReason.ThreadParent, parent[i]));
            }
        }

        return new SeriesAssembly
        {
            Threads = new SeriesThreads
            {
                Roots = roots.ToImmutable(),
                // The arrays are this method's own and not written again: wrapped, not copied.
                Parents = ImmutableCollectionsMarshal.AsImmutableArray(parent),
                Children = ImmutableCollectionsMarshal.AsImmutableArray(childArrays),
                ThreadRoots = ImmutableCollectionsMarshal.AsImmutableArray(threadRoot),
                MissingParents = missingParents,
                Duplicates = duplicates?.ToImmutable() ?? ImmutableArray<(int Index, int FirstIndex)>.Empty,
            },
            Roles = ImmutableCollectionsMarshal.AsImmutableArray(roles),
            SeriesOf = ImmutableCollectionsMarshal.AsImmutableArray(seriesOf),
            ReplyTo = ImmutableCollectionsMarshal.AsImmutableArray(replyTo),
            Series = series.MoveToImmutable(),
            Submissions = submissions.MoveToImmutable(),
            Decisions = ImmutableCollectionsMarshal.AsImmutableArray(decisions.ToArray()),
        };
    }

    private static SeriesMessageRole RoleOf(SeriesMessageInfo m, bool duplicate, bool hasParent)
    {
        if (duplicate)
        {
            return SeriesMessageRole.Duplicate;
        }

        if (m.IsReply || (m.IsTrailerReply && hasParent))
        {
            return SeriesMessageRole.Reply;
        }

        if (m.IsPull)
        {
            return SeriesMessageRole.Other;
        }

        if (m.PatchIndex == 0)
        {
            return SeriesMessageRole.Cover;
        }

        if (m.HasDiff || m.PatchIndex >= 1 || HasPatchTag(m))
        {
            return SeriesMessageRole.Patch;
        }

        // b4: a message in reply to another, with no diff and no patch marker, is a follow-up.
        return hasParent ? SeriesMessageRole.Reply : SeriesMessageRole.Other;
    }

    private static bool HasPatchTag(SeriesMessageInfo m)
    {
        if (m.Tags.IsDefault)
        {
            return false;
        }

        foreach (string tag in m.Tags)
        {
            if (tag.StartsWith("PATCH", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="m"/> may take <paramref name="position"/> in <paramref name="b"/>: the same version, the
    /// position free, and with <paramref name="marks"/> the same RFC and RESEND marks. Threaded patches and unsent
    /// format-patch output are not held to the marks (b4 groups a thread's patches by version alone): a commit title
    /// that starts with "[RFC]" marks its one patch, not the series.
    /// </summary>
    private static bool Fits(Builder b, SeriesMessageInfo m, int position, bool marks = true)
        => b.Version == (m.Version ?? 1) && (!marks || (b.IsRfc == m.IsRfc && b.IsResend == m.IsResend)) && !b.Positions.Contains(position);

    private static bool Close(DateTimeOffset? last, DateTimeOffset? date)
        => last is null || date is null || (date.Value - last.Value).Duration() <= UnthreadedWindow;

    // Messages with no Message-ID are format-patch output that was never sent: its From is each
    // commit's author, so the sender is left out of their key (one series may have many authors).
    private static SeriesKey UnthreadedKey(SeriesMessageInfo m, bool bySender = false)
        => m.MessageId is null && !bySender
            ? new(null, m.Version ?? 1, m.PatchTotal ?? 1, false, false) // one format-patch run: its marks are the commits' titles'
            : new(m.FromEmail, m.Version ?? 1, m.PatchTotal ?? 1, m.IsRfc, m.IsResend);

    /// <summary>
    /// What unthreaded messages of one series share: the sender (null for unsent format-patch output), version,
    /// total and the RFC/RESEND markers. The sender compares as lower case (invariant), without making a string.
    /// </summary>
    private readonly struct SeriesKey(string? sender, int version, int total, bool isRfc, bool isResend) : IEquatable<SeriesKey>
    {
        private readonly string? _sender = sender;
        private readonly int _version = version;
        private readonly int _total = total;
        private readonly bool _isRfc = isRfc;
        private readonly bool _isResend = isResend;

        public bool Equals(SeriesKey other) =>
            _version == other._version && _total == other._total && _isRfc == other._isRfc && _isResend == other._isResend
            && (_sender is null ? other._sender is null : other._sender is not null && LowerEquals(_sender, other._sender));

        public override bool Equals(object? obj) => obj is SeriesKey k && Equals(k);

        public override int GetHashCode() => HashCode.Combine(_version, _total, _isRfc, _isResend, _sender is null ? -1 : LowerHash(_sender));
    }

    /// <summary>
    /// A title (folded as <see cref="FoldedTitle"/> folds it) and a sender (lower case), compared without making strings.
    /// The hash is computed once, when the key is made: a lookup and the insert after it do not fold the title again.
    /// </summary>
    private readonly struct TitleKey : IEquatable<TitleKey>
    {
        private readonly string _title;
        private readonly string _sender;
        private readonly int _hash;

        public TitleKey(string title, string sender)
        {
            _title = title;
            _sender = sender;
            _hash = FoldedHash(title, sender);
        }

        /// <summary>Whether the key holds nothing to compare (no title and no sender).</summary>
        public bool IsEmpty => _sender.Length == 0 && new FoldedTitle(_title).Fill(stackalloc char[1]) == 0;

        public bool Equals(TitleKey other)
        {
            if (_hash != other._hash || !LowerEquals(_sender, other._sender))
            {
                return false;
            }

            // Both titles folded a block at a time: equal folded titles fill equal blocks (each block is filled whole
            // but the last), so the blocks compare one to one.
            Span<char> blockA = stackalloc char[BlockLength];
            Span<char> blockB = stackalloc char[BlockLength];
            var a = new FoldedTitle(_title);
            var b = new FoldedTitle(other._title);
            while (true)
            {
                int na = a.Fill(blockA);
                int nb = b.Fill(blockB);
                if (!blockA[..na].SequenceEqual(blockB[..nb]))
                {
                    return false;
                }

                if (na == 0)
                {
                    return true;
                }
            }
        }

        public override bool Equals(object? obj) => obj is TitleKey k && Equals(k);

        public override int GetHashCode() => _hash;

        /// <summary>The folded title's characters and the lower-case sender, hashed a block of characters at a time.</summary>
        private static int FoldedHash(string title, string sender)
        {
            var hash = new HashCode();
            Span<char> block = stackalloc char[BlockLength];
            var folded = new FoldedTitle(title);
            for (int n = folded.Fill(block); n > 0; n = folded.Fill(block))
            {
                hash.AddBytes(MemoryMarshal.AsBytes(block[..n]));
            }

            hash.Add(LowerHash(sender));
            return hash.ToHashCode();
        }
    }

    /// <summary>Characters a title key folds, hashes or compares at a time.</summary>
    private const int BlockLength = 128;

    /// <summary>
    /// A title folded for comparison a block at a time: lower case (invariant), runs of white space as one space,
    /// trimmed. A block is filled whole unless the title ends in it, so a folded title's blocks depend only on its
    /// folded text.
    /// </summary>
    private struct FoldedTitle(string title)
    {
        private readonly string _title = title;
        private int _at;
        private bool _emitted;
        private bool _space;

        /// <summary>Writes the next folded characters into <paramref name="block"/>; how many (0: the title is done).</summary>
        public int Fill(Span<char> block)
        {
            int n = 0;
            string title = _title;
            int at = _at;
            while (n < block.Length && at < title.Length)
            {
                char ch = title[at];
                if (char.IsWhiteSpace(ch))
                {
                    _space = _emitted; // a space only between two emitted characters
                    at++;
                    continue;
                }

                if (_space)
                {
                    _space = false;
                    block[n++] = ' ';
                    if (n == block.Length)
                    {
                        break; // the character goes first into the next block
                    }
                }

                block[n++] = char.ToLowerInvariant(ch);
                _emitted = true;
                at++;
            }

            _at = at;
            return n;
        }
    }

    private static bool LowerEquals(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash of <paramref name="s"/> in lower case (invariant), consistent with <see cref="LowerEquals"/>: folded a block at a time.</summary>
    private static int LowerHash(string s)
    {
        var hash = new HashCode();
        Span<char> block = stackalloc char[BlockLength];
        for (int at = 0; at < s.Length; at += block.Length)
        {
            var part = s.AsSpan(at, Math.Min(block.Length, s.Length - at));
            for (int i = 0; i < part.Length; i++)
            {
                block[i] = char.ToLowerInvariant(part[i]);
            }

            hash.AddBytes(MemoryMarshal.AsBytes(block[..part.Length]));
        }

        return hash.ToHashCode();
    }

    private static int Lookup(Dictionary<string, int> idMap, string? id, int self, ref bool selfReference)
    {
        if (string.IsNullOrEmpty(id) || !idMap.TryGetValue(id, out int p))
        {
            return -1;
        }

        if (p == self)
        {
            selfReference = true;
            return -1;
        }

        return p;
    }

    private static string? LastOther(ImmutableArray<string> refs, string? self)
    {
        for (int r = refs.Length - 1; r >= 0; r--)
        {
            if (!string.IsNullOrEmpty(refs[r]) && refs[r] != self)
            {
                return refs[r];
            }
        }

        return null;
    }

    private static SeriesRevision Finish(Builder b, IReadOnlyList<SeriesMessageInfo> messages, DiagnosticBag diagnostics)
    {
        SeriesMessageInfo? cover = b.Cover is int c ? messages[c] : null;
        SeriesMessageInfo? firstPatch = null;
        foreach (int i in b.Members)
        {
            if (i != b.Cover)
            {
                firstPatch = messages[i];
                break;
            }
        }

        int total = Math.Max(1, cover?.PatchTotal ?? firstPatch?.PatchTotal ?? 1);

        // The total and the indexes come from subjects and may be anything ("[PATCH 1/2000000000]",
        // "[PATCH 999999998/999999999]"): the slot table reaches the highest patch present, but never
        // more than MaxTrackedTotal positions per message of the series plus MaxTrackedTotal, so memory
        // stays linear in the input. A patch numbered beyond the table is an extra patch.
        int maxPresent = 0;
        foreach (int i in b.Members)
        {
            maxPresent = Math.Max(maxPresent, messages[i].PatchIndex ?? 1);
        }

        int bound = (int)Math.Min(int.MaxValue, (long)MaxTrackedTotal * (b.Members.Count + 1));
        int tracked = Math.Min(total, Math.Max(MaxTrackedTotal, Math.Min(maxPresent, bound)));
        if (tracked < total)
        {
            diagnostics.Warning(SeriesDiagnosticCodes.TotalMismatch, "Expected a series total the messages can fill (positions are tracked up to the highest patch present, at least " + Num(MaxTrackedTotal) + " and at most " + Num(bound) + " for " + Num(b.Members.Count) + " message(s)), found " + Num(total) + ": only positions 1.." + Num(tracked) + " are tracked.", (cover ?? firstPatch)!.Offset);
        }

        var slots = new int?[tracked];
        ImmutableArray<int>.Builder? extra = null; // made for the first one: most revisions have none
        ImmutableArray<int>.Builder? mismatches = null;
        DateTimeOffset? earliest = null;
        foreach (int i in b.Members)
        {
            var m = messages[i];
            if (m.PatchTotal is int t && t != total && !(t <= 1 && total == 1))
            {
                (mismatches ??= ImmutableArray.CreateBuilder<int>()).Add(i);
                diagnostics.Warning(SeriesDiagnosticCodes.TotalMismatch, "Expected " + Num(total) + " patches as the series says, found a message numbered " + Num(m.PatchIndex ?? 0) + "/" + Num(t) + ".", m.Offset);
            }

            if (i == b.Cover)
            {
                continue;
            }

            if (m.Date is { } d && (earliest is null || d < earliest))
            {
                earliest = d;
            }

            int pos = m.PatchIndex ?? 1;
            if (pos < 1 || pos > tracked || slots[pos - 1] is not null)
            {
                (extra ??= ImmutableArray.CreateBuilder<int>()).Add(i);
                diagnostics.Warning(SeriesDiagnosticCodes.ExtraPatch, pos < 1 || pos > total
                    ? "Expected patch indexes 1.." + Num(total) + ", found patch " + Num(pos) + ": it is kept as an extra patch."
                    : pos > tracked
                    ? "Expected patch indexes within the " + Num(tracked) + " positions tracked, found patch " + Num(pos) + ": it is kept as an extra patch."
                    : "Expected one patch at position " + Num(pos) + ", found another one (message " + Num(slots[pos - 1] ?? 0) + " came first): it is kept as an extra patch.", m.Offset);
            }
            else
            {
                slots[pos - 1] = i;
            }
        }

        // Counted first: a lone "[PATCH 0109/1392]" misses 999 of the 1,000 positions it tracks, which a growing list
        // copied as it grew.
        int absent = 0;
        foreach (int? slot in slots)
        {
            absent += slot is null ? 1 : 0;
        }

        var missing = ImmutableArray.CreateBuilder<int>(absent);
        for (int k = 0; k < tracked; k++)
        {
            if (slots[k] is null)
            {
                missing.Add(k + 1);
            }
        }

        var head = cover ?? firstPatch!;
        if (missing.Count > 0)
        {
            diagnostics.Warning(SeriesDiagnosticCodes.MissingPatches, "Expected patches 1.." + Num(total) + " of \"" + head.Title + "\" (v" + Num(b.Version) + "), found " + Num(tracked - missing.Count) + "; missing: " + JoinNumbers(missing) + ".", head.Offset);
        }

        SeriesMessageInfo? titled = cover;
        if (titled is null && slots[0] is int one)
        {
            titled = messages[one];
        }

        titled ??= firstPatch ?? head;
        string? baseCommit = cover?.BaseCommit;
        string? changeId = cover?.ChangeId;
        ImmutableArray<string>.Builder? prereq = null; // made for the first one: most series name none
        HashSet<string>? seenPrereq = null;
        foreach (int i in b.Members)
        {
            var m = messages[i];
            baseCommit ??= m.BaseCommit;
            changeId ??= m.ChangeId;
            if (!m.PrerequisitePatchIds.IsDefault)
            {
                foreach (string id in m.PrerequisitePatchIds)
                {
                    if ((seenPrereq ??= new HashSet<string>(StringComparer.Ordinal)).Add(id))
                    {
                        (prereq ??= ImmutableArray.CreateBuilder<string>()).Add(id);
                    }
                }
            }
        }

        return new SeriesRevision
        {
            Id = b.Id,
            Version = b.Version,
            Total = total,
            IsRfc = b.IsRfc,
            IsResend = b.IsResend,
            Title = titled.Title,
            AuthorName = head.FromName,
            AuthorEmail = head.FromEmail,
            Date = cover?.Date ?? earliest,
            CoverIndex = b.Cover,
            Patches = ImmutableCollectionsMarshal.AsImmutableArray(slots), // no one else holds the table
            Missing = missing.MoveToImmutable(),
            Extra = extra?.ToImmutable() ?? ImmutableArray<int>.Empty,
            TotalMismatches = mismatches?.ToImmutable() ?? ImmutableArray<int>.Empty,
            IsComplete = absent == 0,
            Replies = ImmutableArray<int>.Empty,
            FollowUpTrailers = ImmutableArray<FollowUpTrailer>.Empty,
            BaseCommit = baseCommit,
            ChangeId = changeId,
            PrerequisitePatchIds = prereq?.ToImmutable() ?? ImmutableArray<string>.Empty,
        };
    }

    /// <summary>How far up the reply tree a re-rolled patch's counterpart is looked for (a v2 patch answers its v1 patch,
    /// or a review of it, a level or two up): a bound, so that a hostile chain of replies stays linear.</summary>
    internal const int RerollAncestorDepth = 64;

    /// <summary>
    /// b4's partial re-roll: a revision vN (N &gt; 1) with positions missing takes them from v(N-1) of the same submission
    /// (same total, the newest copy when it was sent twice) when every message it did post (cover letter included)
    /// replies, directly or a few levels up, to a message with the same position and total. Revisions are visited
    /// oldest first, so a v3 re-roll of a re-rolled v2 sees v2 already filled. The cover letter is taken too when vN
    /// has none, and then the title, once the series is complete (b4 takes the old subject).
    /// </summary>
    private static void FillPartialRerolls(ImmutableArray<SeriesRevision>.Builder series, ImmutableArray<SeriesSubmission>.Builder submissions, IReadOnlyList<SeriesMessageInfo> messages, int[] parent, DiagnosticBag diagnostics, List<SeriesDecision> decisions)
    {
        foreach (var submission in submissions)
        {
            if (submission.Revisions.Length < 2)
            {
                continue;
            }

            // The newest series of each version (revisions are sorted newest first), found in one pass: a lookup per
            // revision would be quadratic in a submission with thousands of revisions.
            var newestOfVersion = new Dictionary<int, int>();
            foreach (int id in submission.Revisions)
            {
                newestOfVersion.TryAdd(series[id].Version, id);
            }

            // Oldest first, so that a re-roll of a re-roll sees the revision before it already completed.
            for (int k = submission.Revisions.Length - 1; k >= 0; k--)
            {
                var r = series[submission.Revisions[k]];
                if (r.Version < 2 || r.Missing.IsEmpty || r.Patches.Length != r.Total
                    || !newestOfVersion.TryGetValue(r.Version - 1, out int previousId))
                {
                    continue;
                }

                var previous = series[previousId];
                if (previous.Total != r.Total || previous.Patches.Length != r.Total || !RepliesToCounterparts(r, messages, parent))
                {
                    continue;
                }

                var slots = r.Patches.ToBuilder();
                var filled = ImmutableArray.CreateBuilder<int>();
                var missing = ImmutableArray.CreateBuilder<int>();
                for (int n = 0; n < slots.Count; n++)
                {
                    if (slots[n] is null && previous.Patches[n] is int taken)
                    {
                        slots[n] = taken;
                        filled.Add(n + 1);
                    }
                    else if (slots[n] is null)
                    {
                        missing.Add(n + 1);
                    }
                }

                if (filled.Count == 0)
                {
                    continue;
                }

                bool coverTaken = r.CoverIndex is null && previous.CoverIndex is not null;
                bool complete = missing.Count == 0;
                series[r.Id] = r with
                {
                    Patches = slots.MoveToImmutable(),
                    Missing = missing.ToImmutable(),
                    IsComplete = complete,
                    CoverIndex = r.CoverIndex ?? previous.CoverIndex,
                    Title = complete && r.CoverIndex is null ? previous.Title : r.Title,
                };

                int anchorMessage = r.CoverIndex ?? FirstPresent(r);
                string what = "positions " + JoinNumbers(filled) + (coverTaken ? " and the cover letter" : string.Empty);
                diagnostics.Info(SeriesDiagnosticCodes.PartialReroll, "v" + Num(r.Version) + " of \"" + r.Title + "\" is a partial re-roll of v" + Num(previous.Version)
                    + ": " + what + " are taken from v" + Num(previous.Version) + ", as b4 am does" + (complete ? "." : "; still missing: " + JoinNumbers(missing) + "."), messages[anchorMessage].Offset);
                decisions.Add(new SeriesDecision(anchorMessage, SeriesDecisionKind.PartialReroll,
                    "series " + Num(r.Id) + " (v" + Num(r.Version) + ") is a partial re-roll: each of its messages replies to the message at its position in an earlier revision, so "
                    + what + " are taken from series " + Num(previous.Id) + " (v" + Num(previous.Version) + ")" + (complete ? " and the series is complete" : string.Empty),
                    previous.CoverIndex ?? FirstPresent(previous)));
            }
        }
    }

    private static int FirstPresent(SeriesRevision r)
    {
        foreach (int i in r.PresentPatches())
        {
            return i;
        }

        return r.CoverIndex ?? 0;
    }

    /// <summary>b4's sanity test for a partial re-roll: every message of <paramref name="r"/> has an ancestor in the reply
    /// tree (within <see cref="RerollAncestorDepth"/> levels) numbered at the same position of the same total.</summary>
    private static bool RepliesToCounterparts(SeriesRevision r, IReadOnlyList<SeriesMessageInfo> messages, int[] parent)
    {
        if (r.CoverIndex is int cover && !HasCounterpart(cover, 0))
        {
            return false;
        }

        for (int n = 0; n < r.Patches.Length; n++)
        {
            if (r.Patches[n] is int p && !HasCounterpart(p, n + 1))
            {
                return false;
            }
        }

        return true;

        bool HasCounterpart(int message, int position)
        {
            int up = parent[message];
            for (int depth = 0; up >= 0 && depth < RerollAncestorDepth; depth++)
            {
                var m = messages[up];
                if ((m.PatchIndex ?? -1) == position && m.PatchTotal == r.Total)
                {
                    return true;
                }

                up = parent[up];
            }

            return false;
        }
    }

    // One list of candidate trailer lines per thread for every reply: a reply's are used up before the next is read.
    [ThreadStatic]
    private static List<FollowUpTrailerReader.Candidate>? t_candidates;

    // Takes a reply's follow-up trailers for its target; true when the reply has any trailer line b4 reads as one (whoever
    // it names: b4 climbs to the patch only from such a reply). below >= 0: the reply is an intermediate one that b4 climbed
    // through from that reply, and its trailers are taken without asking whose they are: those naming someone else only
    // (the rest were taken when the reply itself was read), or all of them when whole (it comes later in the mailbox).
    // Borrowed: one of them names someone other than the sender.
    private static (bool Any, bool Borrowed) CollectTrailers(SeriesMessageInfo reply, int target, bool onCover, Builder b, List<SeriesDecision> decisions, int below = -1, bool whole = false)
    {
        if (reply.BodyText.Length == 0)
        {
            return default;
        }

        var candidates = FollowUpTrailerReader.Read(reply.BodyText, t_candidates ??= []);
        if (candidates.Count == 0)
        {
            return default;
        }

        bool any = false;
        bool borrowed = false;

        var revision = b.Result!;
        var appliesTo = onCover ? revision.PresentPatches().ToImmutableArray() : ImmutableArray.Create(target);
        foreach (var c in candidates)
        {
            if (!c.Accepted)
            {
                if (below < 0 || whole)
                {
                    decisions.Add(new SeriesDecision(reply.Index, SeriesDecisionKind.TrailerIgnored, "\"" + c.Key + ": " + c.Value + "\" is not taken: " + c.RejectReason, target));
                }

                continue;
            }

            any = true;
            bool someoneElse = c.PersonEmail is not null && !SamePerson(c.PersonName, c.PersonEmail, reply.FromName, reply.FromEmail);
            borrowed |= someoneElse;
            if (below >= 0 && !whole && !someoneElse)
            {
                continue; // taken when this reply itself was read
            }

            if (below < 0 && someoneElse)
            {
                decisions.Add(new SeriesDecision(reply.Index, SeriesDecisionKind.TrailerIgnored, "\"" + c.Key + ": " + c.Value + "\" is not taken: it names " + c.PersonEmail + " but the reply was sent by " + reply.FromEmail + " (b4 takes only a person's own trailers)", target));
                continue;
            }

            var trailer = new FollowUpTrailer
            {
                Key = c.Key,
                Value = c.Value,
                Note = c.Note,
                PersonName = c.PersonName,
                PersonEmail = c.PersonEmail,
                FromReplyIndex = reply.Index,
                TargetIndex = target,
                AppliesTo = appliesTo,
            };
            (b.Trailers ??= []).Add(trailer);
            decisions.Add(new SeriesDecision(reply.Index, target, trailer, onCover, onCover ? 0 : revision.Patches.IndexOf(target) + 1, b.Id, appliesTo.Length, below < 0 || !someoneElse ? -1 : below));
        }

        return (any, borrowed);
    }

    /// <summary>b4 <c>get_trailers</c>: a person trailer counts when its email (ignoring <c>+tags</c>) or its name matches the reply's sender.</summary>
    private static bool SamePerson(string? name, string email, string fromName, string fromEmail)
    {
        if (string.Equals(StripPlus(email), StripPlus(fromEmail), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return name is { Length: > 0 } && string.Equals(name, fromName, StringComparison.OrdinalIgnoreCase);
    }

    private static string StripPlus(string email)
    {
        int plus = email.IndexOf('+');
        int at = email.IndexOf('@');
        return plus > 0 && at > plus ? string.Concat(email.AsSpan(0, plus), email.AsSpan(at)) : email;
    }

    /// <summary>
    /// Whether a member's own title is keyed beside its series' title: a patch's is, unless it is the series' own string
    /// (the first patch of a series without a cover letter, every single patch), which links nothing the series title
    /// has not. The title map is sized and filled by this one test.
    /// </summary>
    private static bool KeysPatchTitle(SeriesMessageRole role, SeriesMessageInfo member, SeriesRevision series) =>
        role == SeriesMessageRole.Patch && !ReferenceEquals(member.Title, series.Title);

    private static void LinkByTitle(Dictionary<TitleKey, int> byTitle, int[] links, List<Builder> builders, int id, TitleKey key, string what)
    {
        if (key.IsEmpty)
        {
            return;
        }

        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(byTitle, key, out bool exists);
        if (!exists)
        {
            slot = id;
        }
        else if (slot != id)
        {
            Union(links, builders, id, slot, "it has the same " + what + " and sender as series " + Num(slot));
        }
    }

    private static void Union(int[] links, List<Builder> builders, int a, int b, string reason)
    {
        int ra = Find(links, a);
        int rb = Find(links, b);
        if (ra == rb)
        {
            return;
        }

        links[Math.Max(ra, rb)] = Math.Min(ra, rb);
        var later = builders[Math.Max(a, b)];
        if (later.LinkReason is null)
        {
            later.LinkReason = reason;
            later.LinkedTo = Math.Min(a, b);
        }
    }

    private static int Find(int[] links, int x)
    {
        while (links[x] != x)
        {
            links[x] = links[links[x]];
            x = links[x];
        }

        return x;
    }

    /// <summary>Ascending numbers as runs: <c>3-5, 7</c>. The text grows with the number of runs, not of numbers.</summary>
    internal static string JoinNumbers(ImmutableArray<int>.Builder numbers)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < numbers.Count;)
        {
            int first = numbers[k];
            int last = first;
            while (k + 1 < numbers.Count && numbers[k + 1] == last + 1)
            {
                last = numbers[++k];
            }

            k++;
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            sb.Append(first.ToString(CultureInfo.InvariantCulture));
            if (last == first + 1)
            {
                sb.Append(", ").Append(last.ToString(CultureInfo.InvariantCulture));
            }
            else if (last > first)
            {
                sb.Append('-').Append(last.ToString(CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
