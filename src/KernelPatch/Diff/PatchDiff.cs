using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// A parsed diff: the files of a <c>git diff</c>, <c>diff -u</c>/<c>diff -ruN</c>, svn/hg/bzr diff, combined diff or
/// the patch part of a <c>git format-patch</c> message, down to every hunk and line.
/// </summary>
/// <remarks>
/// The record keeps the source bytes and byte ranges into them; strings are made on first access.
/// Text before the first file header is the <see cref="Preamble"/>; anything between or after files that is not
/// diff (a trailing <c>-- </c> mail signature, bzr/hg comment lines) belongs to no file but is still inside
/// <see cref="Span"/>, so <see cref="WriteTo"/> gives back exactly the parsed bytes.
/// </remarks>
public sealed record PatchDiff
{
    private string? _patchId;
    private bool _patchIdDone;
    private string? _patchworkHash;
    private bool _patchworkHashDone;

    /// <summary>
    /// Where <c>git patch-id</c> would stop reading when it is not stopped earlier: the end of the mail's body. git reads
    /// the whole patch part of a mail, signature and <c>base-commit:</c> lines included; a hunk that is still open there
    /// (its lines fewer than its header says, as when a mail client dropped the blank of an empty context line) takes
    /// them in. 0 when the diff stands alone.
    /// </summary>
    internal int PatchIdEnd { get; set; }

    /// <summary>
    /// The mail the diff was parsed from, as patchwork reads it for <see cref="PatchworkHash"/>: its body (the commit
    /// message before the diff and the signature after it included), or its parts when the body was decoded; null for a
    /// diff that stands alone.
    /// </summary>
    internal Mail.MailDocument? Mail { get; set; }

    /// <summary>The record with no parse attached yet: nothing set, nothing cached.</summary>
    public PatchDiff()
    {
    }

    // What `with` copies: everything but the cached id, which a copy with another Source or Span must compute again
    // (PatchIdEnd is kept and, like every end, held within the Source when used).
    private PatchDiff(PatchDiff original)
    {
        PatchIdEnd = original.PatchIdEnd;
        Mail = original.Mail;
        Source = original.Source;
        Span = original.Span;
        Preamble = original.Preamble;
        Files = original.Files;
        Diagnostics = original.Diagnostics;
        AddedCount = original.AddedCount;
        RemovedCount = original.RemovedCount;
    }

    /// <summary>The whole input the spans refer to.</summary>
    public ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>The parsed range of <see cref="Source"/>.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>Text before the first file header (a commit message, <c>---</c> and diffstat); empty when none.</summary>
    public SourceSpan Preamble { get; init; }

    /// <summary>The files, in input order.</summary>
    public ImmutableArray<DiffFile> Files { get; init; } = ImmutableArray<DiffFile>.Empty;

    /// <summary>What was odd in the diff (codes KP05xx), in input order.</summary>
    public ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;

    /// <summary>Added lines over all files.</summary>
    public int AddedCount { get; init; }

    /// <summary>Removed lines over all files.</summary>
    public int RemovedCount { get; init; }

    /// <summary>
    /// The patch id as <c>git patch-id --stable</c> prints it (40 lowercase hex digits), computed on first access;
    /// null when the diff has nothing git would hash (no <c>diff</c> line).
    /// </summary>
    /// <remarks>Whitespace is ignored, each file is hashed alone and the SHA-1 sums are added, so the id does not depend on file order.</remarks>
    public string? PatchId
    {
        get
        {
            if (!_patchIdDone)
            {
                int end = Math.Min(Math.Max(Span.End, PatchIdEnd), Source.Length);
                _patchId = Files.IsDefaultOrEmpty || Files[0].Span.Offset > end ? null : DiffPatchId.Compute(Source.Span, Files[0].Span.Offset, end);
                _patchIdDone = true;
            }

            return _patchId;
        }
    }

    /// <summary>
    /// The hash patchwork gives the patch (40 lowercase hex digits): the <c>hash</c> of a patch in its REST API, which
    /// <c>/api/patches/?hash=</c> finds, and what patchwork's tools compute from <c>git show</c> output to find the
    /// patch a commit came from. Computed on first access; null when patchwork would find no patch (no hunk).
    /// </summary>
    /// <remarks>
    /// patchwork picks the patch lines out of the mail body with its own state machine (a commit-message line that
    /// starts with <c>diff </c> can start them early, a hunk takes as many lines as its header counts), then hashes
    /// them with file names cut to their path without the first folder, hunk headers cut to their line counts, and
    /// every line that does not start with <c>-</c>, <c>+</c> or a blank left out; both steps are replayed here on the
    /// body of the mail the diff came from (on the diff itself when it stands alone), decoded as patchwork decodes it
    /// (the part's charset; UTF-8, windows-1252 or Latin-1 when it names none). In a multipart mail patchwork reads
    /// each <c>text/*</c> part on its own: the last <c>text/x-patch</c> or <c>text/x-diff</c> part is the patch, whole
    /// (a <c>-- </c> signature in it included), else the first <c>text/plain</c> part that holds one. A patch attached
    /// as <c>application/octet-stream</c> is none to patchwork, and gets no hash here either when no text part holds
    /// one. A charset name Python does not know (<c>x-sjis</c>, <c>latin-9</c>) is read here by its name, where
    /// patchwork falls back to UTF-8 and windows-1252. patchwork keeps no patch from a mail whose subject starts with
    /// <c>Re:</c> (a reply with a diff is a comment to it); the hash here is the diff's all the same.
    /// </remarks>
    public string? PatchworkHash
    {
        get
        {
            if (!_patchworkHashDone)
            {
                var own = Span.Slice(Source.Span);
                var mail = Mail;
                var body = mail is null ? default : mail.Body.Span;
                if (mail is not null && !body.IsEmpty && body.Overlaps(own))
                {
                    // (a mail with no charset: patchwork reads a body that is not UTF-8 as windows-1252)
                    _patchworkHash = mail.IsBodyDecoded ? KernelPatch.Mail.MailPatchworkParts.Hash(mail)
                        : DiffPatchworkHash.Compute(body, mail.ContentType.Charset is null ? DiffPatchworkHash.GuessCharset(body) : null);
                }
                else
                {
                    _patchworkHash = DiffPatchworkHash.Compute(own);
                }

                _patchworkHashDone = true;
            }

            return _patchworkHash;
        }
    }

    /// <summary>Parses a bare diff (no mail headers). Never throws in lenient mode: odd input becomes <see cref="Diagnostics"/>.</summary>
    /// <param name="diff">UTF-8 bytes of the diff.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The parsed diff.</returns>
    /// <exception cref="PatchFormatException">Strict mode and an error was found.</exception>
    public static PatchDiff Parse(ReadOnlyMemory<byte> diff, PatchParseOptions? options = null) =>
        Parse(diff, new SourceSpan(0, diff.Length), new DiagnosticBag(options));

    /// <summary>
    /// Parses <paramref name="span"/> of <paramref name="source"/> with the options of <paramref name="diagnostics"/>.
    /// As in every stage, the diagnostics go to the record (and to the logger, and throw in strict mode);
    /// the caller's bag is left as it was.
    /// </summary>
    internal static PatchDiff Parse(ReadOnlyMemory<byte> source, SourceSpan span, DiagnosticBag diagnostics, int patchIdEnd = -1)
    {
        var own = new DiagnosticBag(diagnostics.Options) { OffsetShift = diagnostics.OffsetShift };
        return DiffParser.Parse(source, span, own, patchIdEnd);
    }

    /// <summary>Value equality: the same source bytes at the same offsets and the same parsed values; caches are ignored.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether both describe the same part of equal input the same way.</returns>
    public bool Equals(PatchDiff? other) =>
        other is not null && Preamble == other.Preamble && AddedCount == other.AddedCount && RemovedCount == other.RemovedCount
        && Files.AsSpan().SequenceEqual(other.Files.AsSpan()) && Diagnostics.AsSpan().SequenceEqual(other.Diagnostics.AsSpan())
        && DiffScan.SameBytes(Source, Span, other.Source, other.Span) && DiffScan.SameBytes(Source, IdTail, other.Source, other.IdTail);

    // The bytes after Span that the patch id reads (a mail's signature): two diffs that hash differently are not equal.
    private SourceSpan IdTail => SourceSpan.FromBounds(Span.End, Math.Max(Span.End, Math.Min(PatchIdEnd, Source.Length)));

    /// <summary>A hash consistent with <see cref="Equals(PatchDiff?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Span, Files.Length, AddedCount, RemovedCount);

    /// <summary>Writes the parsed bytes (<see cref="Span"/> of <see cref="Source"/>) to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Span.Slice(Source.Span));
    }

    /// <summary>The parsed bytes as text.</summary>
    /// <returns>The diff, exactly as parsed (decoded as UTF-8).</returns>
    public override string ToString() => DiffScan.Text(Span.Slice(Source.Span));

    /// <summary>
    /// Checks the invariants of the records (useful after <c>with</c> edits): spans inside the source and in order,
    /// every hunk body matching its header counts, file counts equal to the sum of their hunks.
    /// </summary>
    /// <returns>The problems found (code KP0501 for hunks, KP0509 for spans and counts); empty when valid.</returns>
    public ImmutableArray<PatchDiagnostic> Validate()
    {
        var problems = ImmutableArray.CreateBuilder<PatchDiagnostic>();
        int length = Source.Length;
        int last = Span.Offset;
        foreach (DiffFile file in Files)
        {
            if (file.Span.Offset < last || file.Span.End > length || file.Span.Length < 0)
            {
                problems.Add(new PatchDiagnostic(DiffDiagnosticCodes.InvalidRecord, PatchDiagnosticSeverity.Error, $"Expected the file span {file.Span} inside the source and after the previous file.", file.Span.Offset));
                continue;
            }

            last = file.Span.End;
            int added = 0;
            int removed = 0;
            foreach (DiffHunk hunk in file.Hunks)
            {
                if (hunk.Span.Offset < file.Span.Offset || hunk.Span.End > file.Span.End)
                {
                    problems.Add(new PatchDiagnostic(DiffDiagnosticCodes.InvalidRecord, PatchDiagnosticSeverity.Error, $"Expected the hunk span {hunk.Span} inside its file {file.Span}.", hunk.Span.Offset));
                    continue;
                }

                int oldLines = 0;
                int newLines = 0;
                foreach (DiffLine line in hunk.EnumerateLines())
                {
                    if (line.Kind != DiffLineKind.Added)
                    {
                        oldLines++;
                    }

                    if (line.Kind != DiffLineKind.Removed)
                    {
                        newLines++;
                    }

                    if (line.Kind == DiffLineKind.Added)
                    {
                        added++;
                    }
                    else if (line.Kind == DiffLineKind.Removed)
                    {
                        removed++;
                    }
                }

                if (oldLines != hunk.OldCount || newLines != hunk.NewCount)
                {
                    problems.Add(new PatchDiagnostic(DiffDiagnosticCodes.CorruptHunk, PatchDiagnosticSeverity.Error, $"Expected {hunk.OldCount} old and {hunk.NewCount} new lines in the hunk, found {oldLines} and {newLines}.", hunk.Span.Offset));
                }
            }

            if (!file.IsBinary && file.Dialect != DiffDialect.Combined && (added != file.AddedCount || removed != file.RemovedCount))
            {
                problems.Add(new PatchDiagnostic(DiffDiagnosticCodes.InvalidRecord, PatchDiagnosticSeverity.Error, $"Expected the file counts +{file.AddedCount} -{file.RemovedCount} to equal its hunks' +{added} -{removed}.", file.Span.Offset));
            }
        }

        return problems.ToImmutable();
    }
}
