using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using KernelPatch.Commit;
using KernelPatch.Mailbox;
using KernelPatch.Series;
using KernelPatch.Subject;
using KernelPatch.Text;
using TrailersByShape = System.Collections.Generic.Dictionary<(int Files, int Added, int Removed), System.Collections.Generic.List<KernelPatch.Series.FollowUpTrailer>>;

namespace KernelPatch;

/// <summary>
/// Everything in an input: every message in order, the reply threads, and every series with its
/// revisions. Nothing is dropped: a message that could not be read is still here, with diagnostics.
/// </summary>
public sealed record PatchMailbox
{
    private SeriesAssembly? _assembly;

    /// <summary>The container format that was read (detected or given in the options).</summary>
    public required PatchInputFormat Format { get; init; }

    /// <summary>Every message in input order.</summary>
    public required ImmutableArray<PatchMessage> Messages { get; init; }

    /// <summary>Every submission (all revisions of one patch set), in order of first appearance.</summary>
    public ImmutableArray<PatchSubmission> Submissions { get; init; } = ImmutableArray<PatchSubmission>.Empty;

    /// <summary>Every series (one revision of one submission): submissions in order, newest revision first within each.</summary>
    public ImmutableArray<PatchSeries> Series { get; init; } = ImmutableArray<PatchSeries>.Empty;

    /// <summary>Diagnostics of the mailbox split and of series assembly (duplicates, missing parents, missing patches).</summary>
    public ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;

    /// <summary>Why each message was classified and grouped as it was, for every message.</summary>
    public ImmutableArray<SeriesDecision> Decisions { get; init; } = ImmutableArray<SeriesDecision>.Empty;

    /// <summary>The message each message replies to, or null (a thread root, or a parent that is not in the input).</summary>
    /// <param name="message">A message of this mailbox.</param>
    /// <returns>The parent message, or null.</returns>
    public PatchMessage? GetParent(PatchMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int parent = _assembly is { } a && (uint)message.Index < (uint)a.Threads.Parents.Length ? a.Threads.Parents[message.Index] : -1;
        return parent >= 0 ? Messages[parent] : null;
    }

    /// <summary>The direct replies to a message, in input order.</summary>
    /// <param name="message">A message of this mailbox.</param>
    /// <returns>The messages whose parent is <paramref name="message"/>.</returns>
    public ImmutableArray<PatchMessage> GetReplies(PatchMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_assembly is not { } a || (uint)message.Index >= (uint)a.Threads.Children.Length)
        {
            return ImmutableArray<PatchMessage>.Empty;
        }

        return Map(a.Threads.Children[message.Index]);
    }

    /// <summary>The messages that start a thread (no parent in the input), in input order.</summary>
    public ImmutableArray<PatchMessage> ThreadRoots => _assembly is { } a ? Map(a.Threads.Roots) : ImmutableArray<PatchMessage>.Empty;

    /// <summary>Finds a message by its Message-ID (without angle brackets); the first one when the id is duplicated.</summary>
    /// <param name="messageId">The id to look for.</param>
    /// <returns>The message, or null.</returns>
    public PatchMessage? FindByMessageId(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        foreach (var m in Messages)
        {
            if (string.Equals(m.MessageId, messageId, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>Parses a mailbox given as text.</summary>
    /// <param name="text">An mbox, a single mail, a patchwork digest or a bare diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>Every message, thread and series.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    public static PatchMailbox Parse(string text, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), options);
    }

    /// <summary>Parses a mailbox given as UTF-8 bytes. The records keep offsets into <paramref name="utf8"/>; it is not copied.</summary>
    /// <param name="utf8">An mbox, a single mail, a patchwork digest or a bare diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>Every message, thread and series.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    public static PatchMailbox Parse(ReadOnlyMemory<byte> utf8, PatchParseOptions? options = null)
    {
        options ??= PatchParseOptions.Default;
        StringPool.Reset();
        var bag = new DiagnosticBag(options);
        if (CompressedInput.IsGzip(utf8.Span))
        {
            utf8 = CompressedInput.Decompress(utf8, bag); // lore's t.mbox.gz
        }

        // Messages are parsed as the splitter hands them on (64 at a time), while their bytes are in the cache; the
        // splitter and the messages report into separate bags.
        var messages = ImmutableArray.CreateBuilder<PatchMessage>();
        var messageBag = new DiagnosticBag(options);
        var input = utf8;
        MailboxSplitter.Split(utf8, options, bag, entry => messages.Add(PatchMessage.FromEntry(input, entry, messageBag)));

        // Every entry carries the container format the splitter read; detect again only for empty input.
        var format = messages.Count > 0 ? messages[0].Format
            : options.Format == PatchInputFormat.Auto ? MailboxSplitter.Detect(utf8.Span) : MailboxSplitter.Given(options.Format);
        return Assemble(format, messages.DrainToImmutable(), bag.ToImmutableAndClear(), options);
    }

    /// <summary>Reads a whole file, or every message of a maildir folder, and parses it.</summary>
    /// <param name="path">Path of an mbox, mail, digest or diff file, or of a maildir (a folder with <c>cur/</c> and <c>new/</c>).</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>Every message, thread and series. From a maildir, the messages are in <c>git mailsplit</c>'s order
    /// (<c>cur/</c> then <c>new/</c>, names with their numbers compared by value), each with its <see cref="PatchMessage.SourcePath"/>,
    /// and <see cref="Format"/> is <see cref="PatchInputFormat.Maildir"/>.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    /// <exception cref="IOException">The file cannot be read, or the folder is not a maildir.</exception>
    public static PatchMailbox Load(string path, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            options ??= PatchParseOptions.Default;
            StringPool.Reset();
            var bag = new DiagnosticBag(options);
            var messages = ImmutableArray.CreateBuilder<PatchMessage>();
            foreach (var message in Maildir.Messages(path, options, bag))
            {
                messages.Add(message);
            }

            return Assemble(PatchInputFormat.Maildir, messages.ToImmutable(), bag.ToImmutableAndClear(), options);
        }

        return Parse(File.ReadAllBytes(path), options);
    }

    /// <summary>
    /// Streams the messages of a file as <see cref="Read(Stream, PatchParseOptions?)"/> does, or of a maildir folder one
    /// file at a time (memory is one message).
    /// </summary>
    /// <param name="path">Path of an mbox, mail, digest or diff file, or of a maildir.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The messages in input order (a maildir's in <c>git mailsplit</c>'s order, each with its <see cref="PatchMessage.SourcePath"/>).</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    /// <exception cref="IOException">The file cannot be read, or the folder is not a maildir; like every error of a lazy
    /// sequence, thrown when the enumeration starts, not by this call.</exception>
    public static IEnumerable<PatchMessage> Read(string path, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= PatchParseOptions.Default;
        return Directory.Exists(path) ? ReadMaildirIterator(path, options) : ReadFileIterator(path, options);
    }

    private static IEnumerable<PatchMessage> ReadFileIterator(string path, PatchParseOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        foreach (var message in ReadIterator(stream, options))
        {
            yield return message;
        }
    }

    private static IEnumerable<PatchMessage> ReadMaildirIterator(string path, PatchParseOptions options)
    {
        var logged = new DiagnosticBag(options); // an empty file is said to the logger: no message carries it
        var collector = new StreamingCollector(options);
        foreach (var message in Maildir.Messages(path, options, logged))
        {
            collector.Next(message.Source.Length);
            yield return message;
            StringPool.Reset(); // one message at a time: the pool holds no more than the next one's strings
            logged.ToImmutableAndClear();
        }

        logged.ToImmutableAndClear();
    }

    /// <summary>Reads a stream to its end and parses it.</summary>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>Every message, thread and series.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    /// <exception cref="IOException">The stream holds more than one array can (about 2 GiB; <see cref="Read(Stream, PatchParseOptions?)"/> streams any size).</exception>
    public static PatchMailbox Load(Stream stream, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Parse(StreamInput.ReadAll(stream), options); // one array of the input's length, which the records keep
    }

    /// <summary>Reads a stream to its end with asynchronous reads (a request body, a network stream) and parses it.</summary>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>Every message, thread and series.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    /// <exception cref="IOException">The stream holds more than one array can (about 2 GiB; <see cref="Read(Stream, PatchParseOptions?)"/> streams any size).</exception>
    public static Task<PatchMailbox> LoadAsync(Stream stream, PatchParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream); // at the call, not in the task
        return LoadAsyncCore(stream, options, cancellationToken);
    }

    private static async Task<PatchMailbox> LoadAsyncCore(Stream stream, PatchParseOptions? options, CancellationToken cancellationToken)
    {
        return Parse(await StreamInput.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false), options);
    }

    /// <summary>
    /// Streams the messages of a mailbox one by one, without reading the whole stream first:
    /// memory stays bounded by the largest message. Series are not assembled (that needs every message).
    /// </summary>
    /// <remarks>
    /// From a stream that can seek (a file), a message longer than the 1 MiB read buffer is read again, once its end is
    /// found, into an array of its own length: memory is about the largest message and 1 MiB. A stream that cannot seek
    /// (a pipe, a socket, a request body, gzip input) cannot give bytes again, so such a message is held as it arrives and
    /// then copied once: about twice the largest message. Reading again puts the stream back where the reading had got
    /// to; a file cut short in between gives an <see cref="IOException"/>.
    /// </remarks>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>
    /// The messages in input order. Each message's <see cref="PatchMessage.Source"/> is its own bytes, and its spans and
    /// diagnostics count from their first byte; <see cref="PatchMessage.SourceOffset"/> is where they begin in the stream.
    /// The mailbox split's diagnostics go on the message they concern (one about the gap before a message has a negative offset).
    /// </returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    public static IEnumerable<PatchMessage> Read(Stream stream, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadIterator(stream, options ?? PatchParseOptions.Default);
    }

    /// <summary>
    /// Streams the messages of a mailbox one by one as <see cref="Read(Stream, PatchParseOptions?)"/> does, reading the stream asynchronously: for
    /// streams that must not be read with blocking calls (an ASP.NET Core request body, a network stream).
    /// </summary>
    /// <param name="stream">A stream of an mbox, mail, digest or diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the reading (passed to the stream's reads); also honoured by <c>WithCancellation</c>.</param>
    /// <returns>The messages in input order, exactly as <see cref="Read(Stream, PatchParseOptions?)"/> gives them.</returns>
    /// <exception cref="PatchFormatException">Strict mode met an error.</exception>
    public static IAsyncEnumerable<PatchMessage> ReadAsync(Stream stream, PatchParseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadAsyncIterator(stream, options ?? PatchParseOptions.Default, cancellationToken);
    }

    private static IEnumerable<PatchMessage> ReadIterator(Stream stream, PatchParseOptions options)
    {
        var reader = new StreamedMessages(options);
        using var input = CompressedInput.Open(stream, new DiagnosticBag(options)); // no message carries these: logged
        var collector = new StreamingCollector(options);
        foreach (var item in new MailboxStreamReader(input, options, reader.ReaderBag))
        {
            collector.Next(item.Bytes.Length); // the consumer is done with the messages before: their garbage may go
            yield return reader.Parse(item);
        }

        reader.ReportUnclaimed();
    }

    private static async IAsyncEnumerable<PatchMessage> ReadAsyncIterator(Stream stream, PatchParseOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new StreamedMessages(options);
        var input = await CompressedInput.OpenAsync(stream, new DiagnosticBag(options), cancellationToken).ConfigureAwait(false);
        await using var disposeInput = input.ConfigureAwait(false);
        var collector = new StreamingCollector(options);
        await foreach (var item in new MailboxStreamReader(input, options, reader.ReaderBag).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            collector.Next(item.Bytes.Length);
            yield return reader.Parse(item);
        }

        reader.ReportUnclaimed();
    }

    /// <summary>Turns what the stream reader gives into messages, for <see cref="Read(Stream, PatchParseOptions?)"/> and <see cref="ReadAsync"/> alike.</summary>
    private sealed class StreamedMessages
    {
        private readonly DiagnosticBag _splitBag;
        private readonly DiagnosticBag _bag;

        public StreamedMessages(PatchParseOptions options)
        {
            // The reader and the message parser report into separate bags: each stage empties its own. The reader's
            // diagnostics reach the logger once they are counted from their message's first byte, as the message's are.
            StringPool.Reset();
            ReaderBag = new DiagnosticBag(options.Logger is null ? options : options with { Logger = null });
            _splitBag = new DiagnosticBag(options);
            _bag = new DiagnosticBag(options);
        }

        /// <summary>Where the stream reader reports (not logged there: the offsets are fixed first).</summary>
        public DiagnosticBag ReaderBag { get; }

        public PatchMessage Parse(in MailboxStreamMessage item)
        {
            return PatchMessage.FromEntry(item.Bytes, item.LocalEntry, _bag, item.Offset, leading: Relay(item.Diagnostics));
        }

        /// <summary>
        /// Logs what the reader found that no message can carry: the KP0103 of an input without messages, which
        /// <see cref="PatchMailbox.Parse(ReadOnlyMemory{byte}, PatchParseOptions?)"/> puts on the mailbox (strict mode applies too).
        /// </summary>
        public void ReportUnclaimed() => Relay(ReaderBag.ToImmutableAndClear());

        // Reports the reader's diagnostics again through the bag that logs them and applies strict mode.
        private ImmutableArray<PatchDiagnostic> Relay(ImmutableArray<PatchDiagnostic> diagnostics)
        {
            foreach (var d in diagnostics)
            {
                _splitBag.Report(d.Code, d.Severity, d.Message, d.Offset);
            }

            return _splitBag.ToImmutableAndClear();
        }
    }

    private static PatchMailbox Assemble(PatchInputFormat format, ImmutableArray<PatchMessage> messages, ImmutableArray<PatchDiagnostic> splitDiagnostics, PatchParseOptions options)
    {
        var infos = new SeriesMessageInfo[messages.Length];
        for (int i = 0; i < messages.Length; i++)
        {
            infos[i] = ToInfo(messages[i]);
        }

        var bag = new DiagnosticBag(options);
        var assembly = SeriesAssembler.Assemble(infos, bag);
        var seriesDiagnostics = bag.ToImmutableAndClear();

        // Decisions grouped by series in two linear passes (count, then fill arrays of the exact size);
        // a per-series scan of every decision would be quadratic.
        var decisionCounts = new int[assembly.Series.Length];
        foreach (var d in assembly.Decisions)
        {
            if (SeriesOfDecision(assembly, d) is int sid)
            {
                decisionCounts[sid]++;
            }
        }

        var decisionsBySeries = new SeriesDecision[assembly.Series.Length][];
        for (int sid = 0; sid < decisionsBySeries.Length; sid++)
        {
            decisionsBySeries[sid] = decisionCounts[sid] == 0 ? [] : new SeriesDecision[decisionCounts[sid]];
            decisionCounts[sid] = 0;
        }

        foreach (var d in assembly.Decisions)
        {
            if (SeriesOfDecision(assembly, d) is int sid)
            {
                decisionsBySeries[sid][decisionCounts[sid]++] = d;
            }
        }

        var submissions = ImmutableArray.CreateBuilder<PatchSubmission>(assembly.Submissions.Length);
        var allSeries = ImmutableArray.CreateBuilder<PatchSeries>(assembly.Series.Length);
        foreach (var submission in assembly.Submissions)
        {
            // Each revision knows the others through one list the submission's revisions share (filled
            // once they all exist); a list of the others per revision would be quadratic in revisions.
            var group = submission.Revisions.Length > 1 ? new PatchSeries.RevisionGroup() : null;
            var revisions = ImmutableArray.CreateBuilder<PatchSeries>(submission.Revisions.Length);
            var byShape = submission.Revisions.Length > 1 ? PatchTrailersByDiffShape(assembly, submission, messages) : null;
            foreach (int id in submission.Revisions)
            {
                revisions.Add(BuildSeries(assembly, assembly.Series[id], messages, infos, ImmutableCollectionsMarshal.AsImmutableArray(decisionsBySeries[id]), group, revisions.Count, byShape));
            }

            var final = revisions.MoveToImmutable();
            group?.Fill(final);
            allSeries.AddRange(final);
            submissions.Add(new PatchSubmission { Title = final[0].Title, Revisions = final });
        }

        return new PatchMailbox
        {
            Format = format,
            Messages = messages,
            Submissions = submissions.MoveToImmutable(),
            Series = allSeries.MoveToImmutable(),
            Diagnostics = splitDiagnostics.AddRange(seriesDiagnostics),
            Decisions = assembly.Decisions,
            _assembly = assembly,
        };
    }

    /// <summary>
    /// The trailers written in reply to the patches of a submission's revisions, by a cheap key of the patch's diff (its
    /// file, added and removed line counts, which an equal git patch-id implies), so that patch-ids are computed only
    /// for patches that may match; null when there are none. <c>b4 am</c> carries such trailers over to the same patch
    /// in another revision of the same thread.
    /// </summary>
    private static TrailersByShape? PatchTrailersByDiffShape(SeriesAssembly assembly, SeriesSubmission submission, ImmutableArray<PatchMessage> messages)
    {
        TrailersByShape? map = null;
        foreach (int id in submission.Revisions)
        {
            foreach (var t in assembly.Series[id].FollowUpTrailers)
            {
                if (assembly.Roles[t.TargetIndex] != SeriesMessageRole.Patch || messages[t.TargetIndex].Diff is not { } diff)
                {
                    continue; // a cover letter's trailers stay with their series
                }

                map ??= [];
                var shape = (diff.Files.Length, diff.AddedCount, diff.RemovedCount);
                if (!map.TryGetValue(shape, out var list))
                {
                    map.Add(shape, list = []);
                }

                list.Add(t);
            }
        }

        return map;
    }

    /// <summary>
    /// How many trailers written for patches of one diff shape are looked at per patch: real revisions carry a handful;
    /// a hostile input with thousands of reviewed revisions of one patch would otherwise give each revision every
    /// other's reviews, output quadratic in the input.
    /// </summary>
    internal const int MaxCarriedTrailers = 1000;

    /// <summary>
    /// b4 am's carry-over: the trailers written for a patch with the same git patch-id in another revision (another
    /// version number) of the same thread. Empty when there are none.
    /// </summary>
    private static ImmutableArray<FollowUpTrailer> CarriedTrailers(SeriesAssembly assembly, SeriesRevision r, int index, ImmutableArray<PatchMessage> messages, TrailersByShape? byShape)
    {
        if (byShape is null || messages[index].Diff is not { } diff || !byShape.TryGetValue((diff.Files.Length, diff.AddedCount, diff.RemovedCount), out var list))
        {
            return ImmutableArray<FollowUpTrailer>.Empty;
        }

        var roots = assembly.Threads.ThreadRoots;
        ImmutableArray<FollowUpTrailer>.Builder? carried = null;
        foreach (var t in CollectionsMarshal.AsSpan(list)[..Math.Min(list.Count, MaxCarriedTrailers)])
        {
            int target = t.TargetIndex;
            if (target != index && roots[target] == roots[index] && assembly.SeriesOf[target] is int sid && sid >= 0 && assembly.Series[sid].Version != r.Version
                && diff.PatchId is string patchId && string.Equals(messages[target].Diff?.PatchId, patchId, StringComparison.Ordinal))
            {
                (carried ??= ImmutableArray.CreateBuilder<FollowUpTrailer>()).Add(t);
            }
        }

        return carried?.ToImmutable() ?? ImmutableArray<FollowUpTrailer>.Empty;
    }

    // The version a message of revision r was posted in when r took it from an earlier revision (a partial re-roll), else null.
    private static int? TakenFrom(SeriesAssembly assembly, SeriesRevision r, int index) =>
        assembly.SeriesOf[index] is var postedIn && postedIn >= 0 && postedIn != r.Id ? assembly.Series[postedIn].Version : null;

    private static PatchSeries BuildSeries(SeriesAssembly assembly, SeriesRevision r, ImmutableArray<PatchMessage> messages, SeriesMessageInfo[] infos, ImmutableArray<SeriesDecision> decisions, PatchSeries.RevisionGroup? group, int groupIndex, TrailersByShape? byShape)
    {
        var patches = ImmutableArray.CreateBuilder<SeriesPatch>();
        for (int n = 0; n < r.Patches.Length; n++)
        {
            if (r.Patches[n] is int index)
            {
                var message = messages[index];
                patches.Add(new SeriesPatch
                {
                    Number = n + 1,
                    Message = message,
                    FollowUpTrailers = assembly.TrailersToAdd(index, infos[index].Trailers, r, CarriedTrailers(assembly, r, index, messages, byShape)),
                    FromVersion = TakenFrom(assembly, r, index),
                });
            }
        }

        return new PatchSeries
        {
            Version = r.Version,
            Total = r.Total,
            Title = r.Title,
            Author = r.AuthorName.Length == 0 && r.AuthorEmail.Length == 0 ? null : new Mail.MailIdentity(r.AuthorName, r.AuthorEmail),
            Date = r.Date,
            IsRfc = r.IsRfc,
            IsResend = r.IsResend,
            CoverLetter = r.CoverIndex is int c ? messages[c] : null,
            CoverLetterFromVersion = r.CoverIndex is int cover ? TakenFrom(assembly, r, cover) : null,
            Patches = patches.ToImmutable(),
            Missing = r.Missing,
            Extra = r.Extra,
            IsComplete = r.IsComplete,
            Replies = Map(messages, r.Replies),
            FollowUpTrailers = r.FollowUpTrailers,
            BaseCommit = r.BaseCommit,
            ChangeId = r.ChangeId,
            PrerequisitePatchIds = r.PrerequisitePatchIds,
            Decisions = decisions,
            Group = group,
            GroupIndex = groupIndex,
        };
    }

    private ImmutableArray<PatchMessage> Map(ImmutableArray<int> indexes) => Map(Messages, indexes);

    private static ImmutableArray<PatchMessage> Map(ImmutableArray<PatchMessage> messages, ImmutableArray<int> indexes)
    {
        var b = ImmutableArray.CreateBuilder<PatchMessage>(indexes.Length);
        foreach (int i in indexes)
        {
            b.Add(messages[i]);
        }

        return b.MoveToImmutable();
    }

    private static int? SeriesOfDecision(SeriesAssembly assembly, in SeriesDecision d) =>
        (uint)d.MessageIndex < (uint)assembly.SeriesOf.Length && assembly.SeriesOf[d.MessageIndex] is int sid && (uint)sid < (uint)assembly.Series.Length ? sid : null;

    internal static SeriesMessageInfo ToInfo(PatchMessage m)
    {
        var mail = m.Mail;
        var commit = m.Commit;
        // Series markers come from the mail's own Subject header (an in-body Subject: carries no [PATCH n/m]).
        var subject = mail is null ? null
            : commit is not null && string.Equals(commit.Subject.Raw, mail.Subject, StringComparison.Ordinal) ? commit.Subject
            : SubjectLine.Parse(mail.Subject);
        bool logCommit = m.Format.IsCommitLog();
        var sender = mail?.Sender ?? (logCommit ? m.Author : null); // a commit of git log or hg export output: its author
        var kind = m.Kind;
        bool isPatchLike = kind is MessageKind.Patch or MessageKind.Cover;
        return new SeriesMessageInfo
        {
            Index = m.Index,
            Offset = m.Span.Offset,
            MessageId = mail?.MessageId,
            IsLogCommit = logCommit,
            InReplyTo = mail?.InReplyTo,
            References = mail?.References ?? ImmutableArray<string>.Empty,
            FromName = sender?.Name ?? "",
            FromEmail = sender?.Email ?? "",
            Date = mail?.Date ?? m.Date,
            Subject = mail?.Subject ?? "",
            Tags = subject?.Tags ?? ImmutableArray<string>.Empty,
            Version = subject?.Version,
            PatchIndex = subject?.Index,
            PatchTotal = subject?.Total,
            IsRfc = subject?.IsRfc ?? false,
            IsResend = subject?.IsResend ?? false,
            IsReply = subject?.IsReply ?? false,
            Title = commit?.Title ?? subject?.Title ?? "",
            // A patch cut after its diffstat (patchwork digests) is still a patch.
            HasDiff = m.Diff is not null || commit?.Diffstat is not null,
            IsPull = kind == MessageKind.Pull,
            // a reply by its follow-up trailers alone (its client dropped the "Re:"): see PatchMessage.AsTrailerReply
            IsTrailerReply = kind == MessageKind.Reply && !(subject?.IsReply ?? false),
            // Only replies can carry follow-up trailers: decode for them alone, and only the lines a
            // trailer could be on (a reply is mostly quoted patch and discussion).
            BodyText = isPatchLike || mail is null ? "" : FollowUpTrailerReader.CandidateText(mail.Body.Span),
            Trailers = commit?.Trailers ?? ImmutableArray<KernelPatch.Commit.CommitTrailer>.Empty, // the commit's own array
            BaseCommit = commit?.BaseCommit,
            ChangeId = commit?.ChangeId,
            PrerequisitePatchIds = commit?.PrerequisitePatchIds ?? ImmutableArray<string>.Empty,
        };
    }
}
