using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>A <c>create mode</c>, <c>delete mode</c>, <c>rename</c>, <c>copy</c>, <c>mode change</c> or <c>rewrite</c> line after the diffstat totals.</summary>
public sealed record DiffstatChange
{
    /// <summary>What the line says.</summary>
    public DiffstatChangeKind Kind { get; init; }

    /// <summary>The path (the new path of a rename or copy); a name git C-quoted is decoded, as the diff's are.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The old path of a rename or copy; null otherwise.</summary>
    public string? OldPath { get; init; }

    /// <summary>The file mode (<c>100644</c>); for a mode change the new mode; null for renames.</summary>
    public string? Mode { get; init; }

    /// <summary>The old mode of a mode change; null otherwise.</summary>
    public string? OldMode { get; init; }

    /// <summary>The similarity percentage of a rename, copy or rewrite; null otherwise.</summary>
    public int? Similarity { get; init; }

    /// <summary>The line's bytes in the input, line end excluded.</summary>
    public SourceSpan Span { get; init; }
}
