using KernelPatch.Text;

namespace KernelPatch.Commit;

/// <summary>One per-file line of a diffstat (<c> path | 12 ++++--</c>, <c> img.png | Bin 0 -&gt; 1234 bytes</c>).</summary>
public sealed record DiffstatEntry
{
    // Only a binary line has sizes: a separate object then, so the other lines (nearly all) are 24 bytes smaller.
    private readonly Sizes? _sizes;

    /// <summary>The path as written (may be shortened with a leading <c>.../</c>, may be a rename <c>a =&gt; b</c> or <c>dir/{a =&gt; b}/f</c>).</summary>
    public string RawPath { get; init; } = string.Empty;

    /// <summary>
    /// The path after the change (the new side of a rename); otherwise <see cref="RawPath"/>, except that a name git
    /// C-quoted (<c>"caf\303\251.txt"</c>) is decoded, as <see cref="Diff.DiffFile.NewPath"/> is.
    /// </summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The path before a rename (decoded when quoted); null when the line is not a rename.</summary>
    public string? OldPath { get; init; }

    /// <summary>Whether <see cref="RawPath"/> was shortened with a leading <c>...</c> by git.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>The number of changed lines written after the bar; 0 for binary files.</summary>
    public int Changes { get; init; }

    /// <summary>The number of <c>+</c> in the graph (scaled by git when the line would be too wide).</summary>
    public int PlusCount { get; init; }

    /// <summary>The number of <c>-</c> in the graph (scaled by git when the line would be too wide).</summary>
    public int MinusCount { get; init; }

    /// <summary>Whether the file is binary (<c>Bin</c>).</summary>
    public bool IsBinary { get; init; }

    /// <summary>The size before, for <c>Bin 0 -&gt; 1234 bytes</c>; null otherwise.</summary>
    public long? OldSize
    {
        get => _sizes?.Old;
        init => _sizes = Sizes.Of(value, _sizes?.New);
    }

    /// <summary>The size after, for <c>Bin 0 -&gt; 1234 bytes</c>; null otherwise.</summary>
    public long? NewSize
    {
        get => _sizes?.New;
        init => _sizes = Sizes.Of(_sizes?.Old, value);
    }

    /// <summary>The line's bytes in the input, line end excluded.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The two sizes of a <c>Bin</c> line; compared by value, so entries stay equal as records.</summary>
    private sealed record Sizes(long? Old, long? New)
    {
        public static Sizes? Of(long? old, long? @new) => old is null && @new is null ? null : new Sizes(old, @new);
    }
}
