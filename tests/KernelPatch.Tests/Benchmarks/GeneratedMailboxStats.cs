namespace KernelPatch.Benchmarks;

/// <summary>
/// What <see cref="MailboxGenerator"/> wrote: the counts a parser of the generated mailbox must find.
/// </summary>
/// <remarks>
/// This file lives in the test project's folder so the tests compile it directly; the benchmarks
/// project links it (see its csproj).
/// </remarks>
internal sealed class GeneratedMailboxStats
{
    /// <summary>Messages (one <c>From </c> separator line each).</summary>
    public int Messages { get; set; }

    /// <summary>Series (one cover letter or first patch each).</summary>
    public int Series { get; set; }

    /// <summary>Cover letters (<c>[PATCH vN 0/M]</c>).</summary>
    public int CoverLetters { get; set; }

    /// <summary>Patches (messages with a diff).</summary>
    public int Patches { get; set; }

    /// <summary>Review replies (<c>Re:</c> with quoted text and a <c>Reviewed-by:</c>).</summary>
    public int Replies { get; set; }

    /// <summary>Patches carrying an in-body <c>From:</c> line.</summary>
    public int InBodyFroms { get; set; }

    /// <summary>Trailer lines in patch commit messages and replies.</summary>
    public int Trailers { get; set; }

    /// <summary><c>diff --git</c> file sections.</summary>
    public int DiffFiles { get; set; }

    /// <summary>Files created (text or binary).</summary>
    public int NewFiles { get; set; }

    /// <summary>Files deleted.</summary>
    public int DeletedFiles { get; set; }

    /// <summary>Files renamed (with or without hunks).</summary>
    public int Renames { get; set; }

    /// <summary>Files whose mode changed.</summary>
    public int ModeChanges { get; set; }

    /// <summary><c>GIT binary patch</c> blocks.</summary>
    public int BinaryPatches { get; set; }

    /// <summary>Hunks (<c>@@ ... @@</c> headers).</summary>
    public int Hunks { get; set; }

    /// <summary>Hunk body lines (context, added, removed), excluding <c>\ No newline</c> markers.</summary>
    public long DiffLines { get; set; }

    /// <summary>Added lines over all hunks.</summary>
    public long AddedLines { get; set; }

    /// <summary>Removed lines over all hunks.</summary>
    public long RemovedLines { get; set; }

    /// <summary><c>\ No newline at end of file</c> markers.</summary>
    public int NoNewlineMarkers { get; set; }

    /// <summary>Header values written as RFC 2047 encoded words.</summary>
    public int EncodedWords { get; set; }
}
