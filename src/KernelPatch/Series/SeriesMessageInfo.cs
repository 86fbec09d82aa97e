using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>
/// One parsed message as the series stage sees it: plain values filled in by the integrator from
/// the mail, subject and commit stages. The assembler never looks at bytes.
/// </summary>
internal sealed record SeriesMessageInfo
{
    /// <summary>Position of the message in the mailbox (0-based); results refer to messages by it.</summary>
    public int Index { get; init; }

    /// <summary>Byte offset of the message in the whole input, used as the offset of diagnostics.</summary>
    public int Offset { get; init; }

    /// <summary>Message-ID without angle brackets, or null when the message had none.</summary>
    public string? MessageId { get; init; }

    /// <summary>In-Reply-To id without angle brackets, or null.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>References ids, oldest first, without angle brackets.</summary>
    public ImmutableArray<string> References { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Decoded display name of the sender.</summary>
    public string FromName { get; init; } = "";

    /// <summary>Email address of the sender.</summary>
    public string FromEmail { get; init; } = "";

    /// <summary>Date header, or null when absent or unreadable.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Whole decoded subject.</summary>
    public string Subject { get; init; } = "";

    /// <summary>Prefix tags such as <c>PATCH</c>, <c>RFC</c>, <c>net-next</c>.</summary>
    public ImmutableArray<string> Tags { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Version from <c>vN</c>, or null (meaning 1).</summary>
    public int? Version { get; init; }

    /// <summary>Index <c>n</c> of <c>n/m</c>, or null.</summary>
    public int? PatchIndex { get; init; }

    /// <summary>Total <c>m</c> of <c>n/m</c>, or null.</summary>
    public int? PatchTotal { get; init; }

    /// <summary>The subject carries an RFC tag.</summary>
    public bool IsRfc { get; init; }

    /// <summary>The subject carries a RESEND tag.</summary>
    public bool IsResend { get; init; }

    /// <summary>The subject starts with <c>Re:</c> (or a similar reply marker).</summary>
    public bool IsReply { get; init; }

    /// <summary>The title as git mailinfo prints it (prefixes removed).</summary>
    public string Title { get; init; } = "";

    /// <summary>The body holds a diff.</summary>
    public bool HasDiff { get; init; }

    /// <summary>The message is a pull request.</summary>
    public bool IsPull { get; init; }

    /// <summary>
    /// A message with a patch subject but no diff, sent in reply to another and holding a follow-up trailer: b4 takes it
    /// for a reply whose client dropped the <c>Re:</c> ("a follow-up missing a Re:").
    /// </summary>
    public bool IsTrailerReply { get; init; }

    /// <summary>A commit of <c>git log</c> or <c>hg export</c> output: not mail, so it has no Message-ID to miss.</summary>
    public bool IsLogCommit { get; init; }

    /// <summary>The body text the follow-up trailers of a reply are read from: at least every line that could hold one (the whole body is fine too).</summary>
    public string BodyText { get; init; } = "";

    /// <summary>
    /// The commit trailers already in the message: the array its commit holds (no copy), read only for a patch that
    /// gets a follow-up trailer.
    /// </summary>
    public ImmutableArray<KernelPatch.Commit.CommitTrailer> Trailers { get; init; } = ImmutableArray<KernelPatch.Commit.CommitTrailer>.Empty;

    /// <summary><c>base-commit:</c> of the message, or null.</summary>
    public string? BaseCommit { get; init; }

    /// <summary><c>change-id:</c> of the message, or null.</summary>
    public string? ChangeId { get; init; }

    /// <summary><c>prerequisite-patch-id:</c> values of the message.</summary>
    public ImmutableArray<string> PrerequisitePatchIds { get; init; } = ImmutableArray<string>.Empty;
}
