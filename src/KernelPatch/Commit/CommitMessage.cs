using System.Collections.Immutable;
using KernelPatch.Mail;
using KernelPatch.Subject;
using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>
/// The commit carried by one patch mail, read from its decoded body as <c>git mailinfo</c> and <c>git am</c>
/// read it: effective author, date and subject (in-body headers win), title, message body with its
/// trailers, the notes below <c>---</c>, the declared diffstat, the diff bytes, and the signature.
/// </summary>
/// <remarks>
/// The diff itself is not parsed here (the diff stage does it from <see cref="Patch"/>). All offsets and
/// spans are absolute positions in the input the body was taken from.
/// </remarks>
public sealed partial record CommitMessage
{
    private string? _body;
    private string? _notes;

    private static readonly SubjectLine s_noSubject = SubjectLine.Parse(string.Empty);

    /// <summary>
    /// The effective author: the in-body <c>From:</c> when the mail has a patch part, else the mail's From, as <c>git am</c>
    /// records it (git's <c>get_sane_name</c>: an empty name, one over 60 bytes, or one holding '@', '&lt;' or '&gt;' is replaced by the email;
    /// a comment in the From header stays in the name, as git keeps it). Null when there is no address: git records no author then.
    /// </summary>
    public MailIdentity? Author { get; init; }

    /// <summary>The effective author date: the in-body <c>Date:</c> when the mail has a patch part, else the mail's date; original offset kept.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The effective subject: the in-body <c>Subject:</c> when the mail has a patch part, else the mail's subject.</summary>
    public SubjectLine Subject { get; init; } = s_noSubject;

    /// <summary>The commit title: what <c>git mailinfo</c> prints as <c>Subject:</c>.</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>The commit message below the title, above the patch part (trailers included), as <c>git mailinfo</c> writes it; LF line ends.</summary>
    /// <remarks>Decoded from <see cref="RawBody"/> on first access and cached.</remarks>
    public string Body
    {
        get => _body ??= ByteLines.Decode(RawBody.Span);
        init => _body = value;
    }

    /// <summary>The UTF-8 bytes <see cref="Body"/> is decoded from (line ends as received).</summary>
    public ReadOnlyMemory<byte> RawBody { get; init; }

    /// <summary>The trailers of the message's last paragraph, in order.</summary>
    public ImmutableArray<CommitTrailer> Trailers { get; init; } = ImmutableArray<CommitTrailer>.Empty;

    /// <summary>The reviewer-facing text between <c>---</c> and the diffstat or diff, trimmed; null when none.</summary>
    /// <remarks>Decoded from <see cref="RawNotes"/> on first access and cached.</remarks>
    public string? Notes
    {
        get => _notes ??= RawNotes is { } raw ? ByteLines.Decode(raw.Span) : null;
        init => _notes = value;
    }

    /// <summary>The UTF-8 bytes <see cref="Notes"/> is decoded from; null when the mail has no notes.</summary>
    public ReadOnlyMemory<byte>? RawNotes { get; init; }

    /// <summary>The per-version changelog entries found in the notes (or, for a cover letter, in the body).</summary>
    public ImmutableArray<NotesRevision> Revisions { get; init; } = ImmutableArray<NotesRevision>.Empty;

    /// <summary>The diffstat the mail declares; null when none.</summary>
    public CommitDiffstat? Diffstat { get; init; }

    /// <summary>Whether <see cref="Diffstat"/> counts this message's own diff (what the diffstat cross-check compares).</summary>
    internal bool DiffstatCountsPatch { get; init; }

    /// <summary>The last scissors line (<c>-- &gt;8 --</c>) found in the message; null when none.</summary>
    public SourceSpan? Scissors { get; init; }

    /// <summary>Whether the scissors line was honoured (option <see cref="PatchParseOptions.Scissors"/>) and the text above it dropped.</summary>
    public bool ScissorsApplied { get; init; }

    /// <summary>The text after the final <c>-- </c> line, trimmed (the git version <c>2.24.1</c> in format-patch mail); null when none.</summary>
    public string? Signature { get; init; }

    /// <summary>The diff part: from the first diff line up to, not including, the series metadata or signature; empty when none.</summary>
    public ReadOnlyMemory<byte> Patch { get; init; }

    /// <summary>Absolute offset of <see cref="Patch"/> (the body end when there is no diff).</summary>
    public int PatchOffset { get; init; }

    /// <summary>Whether the mail carries a diff.</summary>
    public bool HasDiff { get; init; }

    /// <summary>The <c>base-commit:</c> value (format-patch <c>--base</c>, b4); null when absent.</summary>
    public string? BaseCommit { get; init; }

    /// <summary>The <c>change-id:</c> value (b4); null when absent.</summary>
    public string? ChangeId { get; init; }

    /// <summary>The <c>prerequisite-patch-id:</c> values, in order.</summary>
    public ImmutableArray<string> PrerequisitePatchIds { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The pull request of a <c>git request-pull</c> mail; null otherwise.</summary>
    public PullRequest? Pull { get; init; }

    /// <summary>What the mail is.</summary>
    public MessageKind Kind { get; init; }

    /// <summary>The body's bytes in the input.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>What was odd while reading the body.</summary>
    public ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;
}
