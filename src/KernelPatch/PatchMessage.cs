using System.Collections.Immutable;
using KernelPatch.Commit;
using KernelPatch.Diff;
using KernelPatch.Mail;
using KernelPatch.Mailbox;
using KernelPatch.Subject;
using KernelPatch.Text;

namespace KernelPatch;

/// <summary>
/// One message of the input, parsed through every stage: its mail headers, subject prefix,
/// commit message (author, title, body, trailers, notes, diffstat) and diff.
/// </summary>
/// <remarks>
/// A bare diff with no mail headers is a message too: <see cref="Mail"/> and <see cref="Commit"/>
/// are then null and <see cref="Kind"/> is <see cref="MessageKind.Patch"/>.
/// The record keeps the whole input (<see cref="Source"/>) and its own span, so
/// <see cref="WriteTo(Stream)"/> writes back exactly the bytes it was parsed from.
/// </remarks>
public sealed record PatchMessage
{
    /// <summary>0-based position of the message in its mailbox.</summary>
    public required int Index { get; init; }

    /// <summary>The whole input the message was parsed from (all offsets refer to it).</summary>
    /// <remarks>For a message from <see cref="PatchMailbox.Read(Stream, PatchParseOptions?)"/> this is the message's own bytes; see <see cref="SourceOffset"/>.</remarks>
    public required ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>
    /// Where <see cref="Source"/> begins in the input: 0 when the whole input was parsed, and for a message from
    /// <see cref="PatchMailbox.Read(Stream, PatchParseOptions?)"/> the stream position of its first byte (a <see cref="long"/>: streams of any
    /// length). Add it to <see cref="Span"/>'s offset or to a diagnostic's offset to get a position in the input.
    /// </summary>
    public long SourceOffset { get; init; }

    /// <summary>
    /// The file the message was read from when it came from a maildir (one file per message; <see cref="Source"/> is
    /// then that file's bytes); null for every other input.
    /// </summary>
    public string? SourcePath { get; init; }

    /// <summary>The message's entry in the input, including an mbox <c>From </c> separator line.</summary>
    public required SourceSpan Span { get; init; }

    /// <summary>The message itself (headers and body) without the mbox separator line.</summary>
    public required SourceSpan Content { get; init; }

    /// <summary>
    /// The commit the message was made from, as its separator line names it: <c>git format-patch</c>'s
    /// <c>From &lt;id&gt; Mon Sep 17 00:00:00 2001</c> line, or the <c>commit &lt;id&gt;</c> line of <c>git log</c> output
    /// (40 or 64 hex digits, as written). Null when the separator names no commit
    /// (<c>From patchwork ...</c>, lore's <c>From mboxrd@z ...</c>) or there is none. Read from the separator on each access.
    /// </summary>
    public string? CommitId => SeparatorCommitId(Source.Span[Span.Offset..Content.Offset]);

    /// <summary>The container format the message was found in.</summary>
    public required PatchInputFormat Format { get; init; }

    /// <summary>The mail headers and decoded body; null for a bare diff.</summary>
    public MailDocument? Mail { get; init; }

    /// <summary>The commit message, trailers, notes and diffstat; null for a bare diff.</summary>
    public CommitMessage? Commit { get; init; }

    /// <summary>The parsed diff; null when the message carries none.</summary>
    public PatchDiff? Diff { get; init; }

    /// <summary>Every diagnostic of every stage for this message, in stage order.</summary>
    public ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;

    /// <summary>What kind of message this is (patch, cover letter, reply, pull request, other).</summary>
    public MessageKind Kind => Commit?.Kind ?? (Diff is null ? MessageKind.Other : MessageKind.Patch);

    /// <summary>The effective subject prefix (<c>[PATCH v2 3/7]</c>...) and title; null for a bare diff.</summary>
    public SubjectLine? Subject => Commit?.Subject;

    /// <summary>The <c>Message-ID</c> without angle brackets.</summary>
    public string? MessageId => Mail?.MessageId;

    /// <summary>The effective author as <c>git am</c> would record it (an in-body <c>From:</c> wins).</summary>
    public MailIdentity? Author => Commit?.Author;

    /// <summary>The effective author date, with its original offset.</summary>
    public DateTimeOffset? Date => Commit?.Date;

    /// <summary>The commit title as <c>git mailinfo</c> prints it; empty for a bare diff.</summary>
    public string Title => Commit?.Title ?? "";

    /// <summary>The commit trailers (<c>Signed-off-by:</c>, <c>Fixes:</c>...).</summary>
    public ImmutableArray<CommitTrailer> Trailers => Commit?.Trailers ?? ImmutableArray<CommitTrailer>.Empty;

    /// <summary>The files the diff changes; empty when there is no diff.</summary>
    public ImmutableArray<DiffFile> Files => Diff?.Files ?? ImmutableArray<DiffFile>.Empty;

    /// <summary>The raw bytes of the message entry (a slice of <see cref="Source"/>).</summary>
    public ReadOnlyMemory<byte> RawBytes => Source.Slice(Span.Offset, Span.Length);

    /// <summary>Whether any stage reported an error diagnostic.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
            {
                if (d.Severity == PatchDiagnosticSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Writes the exact bytes the message was parsed from.</summary>
    /// <param name="destination">The stream to write to.</param>
    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(RawBytes.Span);
    }

    /// <summary>Parses one message (with or without a leading <c>From </c> line) or a bare diff.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The first message of the input.</returns>
    /// <exception cref="PatchFormatException">The input holds no message, or strict mode met an error.</exception>
    public static PatchMessage Parse(string text, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(System.Text.Encoding.UTF8.GetBytes(text), options);
    }

    /// <summary>Parses one message (with or without a leading <c>From </c> line) or a bare diff.</summary>
    /// <param name="utf8">The message bytes.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The first message of the input.</returns>
    /// <exception cref="PatchFormatException">The input holds no message, or strict mode met an error.</exception>
    public static PatchMessage Parse(ReadOnlyMemory<byte> utf8, PatchParseOptions? options = null)
    {
        options ??= PatchParseOptions.Default;
        StringPool.Reset();
        var bag = new DiagnosticBag(options);
        var entries = MailboxSplitter.Split(utf8, options, bag);
        var mailboxDiagnostics = bag.ToImmutableAndClear();
        if (entries.IsEmpty)
        {
            throw new PatchFormatException("The input holds no message and no diff.");
        }

        return FromEntry(utf8, entries[0], bag, leading: mailboxDiagnostics);
    }

    /// <summary>
    /// A patch-like message with no diff, in reply to another, that holds a follow-up trailer is a reply whose client
    /// dropped the <c>Re:</c> (b4: "a follow-up missing a Re:"); any other is returned as it is. Out of line: rare.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static CommitMessage AsTrailerReply(CommitMessage commit, MailDocument mail) =>
        KernelPatch.Series.FollowUpTrailerReader.TakesAny(mail.Body.Span) ? commit with { Kind = MessageKind.Reply } : commit;

    /// <summary>The object id after <c>From </c> or <c>commit </c> at the start of a separator line, when it is one.</summary>
    private static string? SeparatorCommitId(ReadOnlySpan<byte> separator)
    {
        int start = separator.StartsWith("From "u8) ? 5 : separator.StartsWith("commit "u8) ? 7 : -1;
        int end = start < 0 ? -1 : MailboxLines.ObjectIdEnd(separator, start);
        return end < 0 ? null : System.Text.Encoding.ASCII.GetString(separator[start..end]);
    }

    /// <summary>A commit of git log or hg export output: its commit message and diff, the diffstat checked against the diff. Out of line: not mail.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static CommitMessage FromLogCommit(ReadOnlyMemory<byte> input, in MailboxEntry entry, DiagnosticBag bag, out PatchDiff? diff)
    {
        var commit = entry.Format == PatchInputFormat.GitLog
            ? GitLogCommit.Parse(input, entry.Content, bag, out diff)
            : HgExportCommit.Parse(input, entry.Content, bag, out diff);
        if (diff is not null && commit.Diffstat is { } declared && commit.DiffstatCountsPatch)
        {
            CommitMessage.CrossCheck(declared, DiffSummary(diff), bag);
        }

        return commit;
    }

    /// <summary>Parses one mailbox entry through every stage. The bag must be empty; it is empty again on return.</summary>
    /// <remarks>Every stage puts its diagnostics on its own record; the bag only carries the cross-check's.</remarks>
    internal static PatchMessage FromEntry(ReadOnlyMemory<byte> input, in MailboxEntry entry, DiagnosticBag bag, long sourceOffset = 0, string? sourcePath = null, ImmutableArray<PatchDiagnostic> leading = default)
    {
        MailDocument? mail = null;
        CommitMessage? commit = null;
        PatchDiff? diff;
        if (entry.Format == PatchInputFormat.Diff)
        {
            diff = PatchDiff.Parse(input, entry.Content, bag);
        }
        else if (entry.Format.IsCommitLog())
        {
            commit = FromLogCommit(input, entry, bag, out diff);
        }
        else
        {
            // mboxrd: a message with ">From " lines is unquoted into a copy; its records' spans count from the
            // copy's start, and its diagnostics from the input's (the copy's start added, less exact by the '>'
            // removed before a position). A decoded MIME body is a copy too: the commit stage counts from the
            // body's start in the input, and the diff from where the commit stage found the patch.
            bool copied = entry.NeedsUnquoting;
            int copyStart = copied ? entry.Content.Offset : 0;
            try
            {
                if (copied)
                {
                    var unquoted = MailboxSplitter.GetContent(input, entry);
                    bag.OffsetShift = copyStart;
                    mail = MailDocument.Parse(unquoted, new SourceSpan(0, unquoted.Length), bag);
                }
                else
                {
                    mail = MailDocument.Parse(input, entry.Content, bag);
                }

                commit = CommitMessage.Parse(mail.Body, mail.BodyOffset, mail.Subject, IdentityParser.AuthorOf(mail), mail.Date, bag);
                if (commit.HasDiff && (mail.IsBodyDecoded || copied))
                {
                    bag.OffsetShift = copyStart + commit.PatchOffset;
                    // to the end of the body: the patch-id reads on past the patch as git's does (PatchDiff.PatchIdEnd)
                    var rest = mail.Body[(commit.PatchOffset - mail.BodyOffset)..];
                    diff = PatchDiff.Parse(rest, new SourceSpan(0, commit.Patch.Length), bag, rest.Length);
                    bag.OffsetShift = copyStart;
                }
                else
                {
                    diff = commit.HasDiff ? PatchDiff.Parse(input, new SourceSpan(commit.PatchOffset, commit.Patch.Length), bag, mail.BodyOffset + mail.Body.Length) : null;
                }

                if (diff is not null)
                {
                    diff.Mail = mail; // what patchwork reads for its hash (PatchDiff.PatchworkHash)
                }

                if (diff is not null && commit.Diffstat is { } declared && commit.DiffstatCountsPatch)
                {
                    CommitMessage.CrossCheck(declared, DiffSummary(diff), bag);
                }

                if (diff is null && commit.Diffstat is null && commit.Kind is MessageKind.Patch or MessageKind.Cover && mail.InReplyTo is not null)
                {
                    commit = AsTrailerReply(commit, mail);
                }
            }
            finally
            {
                bag.OffsetShift = 0; // the bag serves the next message
            }
        }

        var own = bag.ToImmutableAndClear();
        var mailDiagnostics = mail?.Diagnostics ?? ImmutableArray<PatchDiagnostic>.Empty;
        var commitDiagnostics = commit?.Diagnostics ?? ImmutableArray<PatchDiagnostic>.Empty;
        var diffDiagnostics = diff?.Diagnostics ?? ImmutableArray<PatchDiagnostic>.Empty;
        leading = leading.IsDefault ? ImmutableArray<PatchDiagnostic>.Empty : leading; // what splitting reported about the message
        int count = leading.Length + mailDiagnostics.Length + commitDiagnostics.Length + diffDiagnostics.Length + own.Length;
        ImmutableArray<PatchDiagnostic> diagnostics;
        if (count == 0)
        {
            diagnostics = ImmutableArray<PatchDiagnostic>.Empty; // nearly every message: no builder, no array
        }
        else
        {
            var all = ImmutableArray.CreateBuilder<PatchDiagnostic>(count);
            all.AddRange(leading);
            all.AddRange(mailDiagnostics);
            all.AddRange(commitDiagnostics);
            all.AddRange(diffDiagnostics);
            all.AddRange(own);
            diagnostics = all.MoveToImmutable();
        }

        return new PatchMessage
        {
            Index = entry.Index,
            Source = input,
            SourceOffset = sourceOffset,
            SourcePath = sourcePath,
            Span = entry.Span,
            Content = entry.Content,
            Format = entry.Format,
            Mail = mail,
            Commit = commit,
            Diff = diff,
            Diagnostics = diagnostics,
        };
    }

    /// <summary>
    /// The diff's files as its diffstat counts them: a type change (git writes a deletion and an addition of the
    /// same path, e.g. a symbolic link turned into a file) is one diffstat line, and a deletion shown without its
    /// content (<c>-D</c>) is marked.
    /// </summary>
    /// <remarks>
    /// Written into one buffer per thread (the cross-check reads it and keeps nothing of it), so a message with a
    /// diffstat costs no array of its files; buffers past 4,096 files are not kept.
    /// </remarks>
    private static ReadOnlySpan<DiffstatTarget> DiffSummary(PatchDiff diff)
    {
        var files = diff.Files;
        var result = t_summary is { } kept && kept.Length >= files.Length ? kept : new DiffstatTarget[Math.Max(files.Length, 64)];
        t_summary = result.Length <= 4096 ? result : null;
        int count = 0;
        for (int i = 0; i < files.Length; i++)
        {
            var f = files[i];
            var target = new DiffstatTarget(f.OldPath, f.NewPath, f.AddedCount, f.RemovedCount, f.IsBinary, IsContentOmitted(f));
            if (i + 1 < files.Length && f.Status == DiffFileStatus.Deleted && files[i + 1] is { Status: DiffFileStatus.Added } g
                && f.OldPath is not null && string.Equals(f.OldPath, g.NewPath, StringComparison.Ordinal))
            {
                target = new DiffstatTarget(f.OldPath, g.NewPath, f.AddedCount + g.AddedCount, f.RemovedCount + g.RemovedCount, f.IsBinary || g.IsBinary, target.ContentOmitted);
                i++;
            }

            result[count++] = target;
        }

        return result.AsSpan(0, count);
    }

    [ThreadStatic]
    private static DiffstatTarget[]? t_summary;

    /// <summary>A deleted file with neither hunks nor a binary patch nor a "Binary files differ" line: its content was left out (git diff <c>-D</c>), or it was empty.</summary>
    private static bool IsContentOmitted(DiffFile f) =>
        f.Status == DiffFileStatus.Deleted && f.Hunks.IsEmpty && f.CombinedHunks.IsEmpty && f.BinaryPatch is null && !f.IsBinary;
}
