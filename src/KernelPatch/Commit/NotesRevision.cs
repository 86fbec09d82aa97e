using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>One entry of a per-version changelog in the notes or a cover letter (<c>v2:</c>, <c>Changes since v1:</c>, <c>v1 -&gt; v2:</c>).</summary>
public sealed record NotesRevision
{
    /// <summary>The heading line, trimmed (<c>Changes since v1:</c>).</summary>
    public string Heading { get; init; } = string.Empty;

    /// <summary>The revision the entry describes: the highest <c>vN</c> of the heading, or N+1 for <c>since vN</c>/<c>from vN</c>; null when the heading names none.</summary>
    public int? Version { get; init; }

    /// <summary>The entry's lines below the heading, as written, without trailing blank lines.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>The heading and its lines in the input.</summary>
    public SourceSpan Span { get; init; }
}
