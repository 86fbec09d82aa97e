using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// The changes to one file in a diff: names, status, git extended headers, hunks or binary patch, and counts.
/// </summary>
/// <remarks>
/// Paths carry no <c>a/</c> <c>b/</c> prefix (git strips one leading component, as <c>git apply -p1</c>; a
/// <c>diff --git x x</c> header with identical halves means a diff without prefixes); the <c>/dev/null</c> side is
/// null; C-quoted names (<c>"a/t\303\251st"</c>) are decoded to UTF-8. Modes are the numeric value of the octal
/// digits as written: <c>100644</c> is stored as 33188 (<c>0x81A4</c>); <c>Convert.ToString(mode, 8)</c> gives the text back.
/// </remarks>
public sealed record DiffFile
{
    private readonly SourceSpan _oldObjectIdSpan;
    private readonly SourceSpan _newObjectIdSpan;
    private string? _oldObjectId;
    private string? _newObjectId;

    // The four optional numbers are stored as plain ints with int.MinValue for "none" (16 bytes a file less than four
    // int? fields; no mode, similarity or dissimilarity git writes comes near it).
    private const int NoValue = int.MinValue;
    private readonly int _oldMode = NoValue;
    private readonly int _newMode = NoValue;
    private readonly int _similarity = NoValue;
    private readonly int _dissimilarity = NoValue;

    private static int? Optional(int stored) => stored == NoValue ? null : stored;

    /// <summary>The whole input the spans refer to.</summary>
    public ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>The old path without prefix; null for an added file.</summary>
    public string? OldPath { get; init; }

    /// <summary>The new path without prefix; null for a deleted file.</summary>
    public string? NewPath { get; init; }

    /// <summary>Added, deleted, modified, renamed or copied, as <c>git apply --summary</c>.</summary>
    public DiffFileStatus Status { get; init; }

    /// <summary>The diff flavour this file was written in.</summary>
    public DiffDialect Dialect { get; init; }

    /// <summary>Old mode (<c>old mode</c>, <c>deleted file mode</c>, or the mode of an <c>index</c> line), as the value of its octal digits; null when not given.</summary>
    public int? OldMode
    {
        get => Optional(_oldMode);
        init => _oldMode = value ?? NoValue;
    }

    /// <summary>New mode (<c>new mode</c>, <c>new file mode</c>, or the mode of an <c>index</c> line), as the value of its octal digits; null when not given.</summary>
    public int? NewMode
    {
        get => Optional(_newMode);
        init => _newMode = value ?? NoValue;
    }

    /// <summary>The percentage of a <c>similarity index</c> line; null when absent.</summary>
    public int? Similarity
    {
        get => Optional(_similarity);
        init => _similarity = value ?? NoValue;
    }

    /// <summary>The percentage of a <c>dissimilarity index</c> line; null when absent.</summary>
    public int? Dissimilarity
    {
        get => Optional(_dissimilarity);
        init => _dissimilarity = value ?? NoValue;
    }

    /// <summary>The (possibly abbreviated) old object id of the <c>index</c> line; null when absent.</summary>
    /// <remarks>Made from <see cref="Source"/> on first access (most readers never ask for it).</remarks>
    public string? OldObjectId
    {
        get => _oldObjectIdSpan.IsEmpty ? _oldObjectId : _oldObjectId ??= DiffScan.Text(_oldObjectIdSpan.Slice(Source.Span));
        init
        {
            _oldObjectId = value;
            _oldObjectIdSpan = default;
        }
    }

    /// <summary>The (possibly abbreviated) new object id of the <c>index</c> line; null when absent.</summary>
    /// <remarks>Made from <see cref="Source"/> on first access (most readers never ask for it).</remarks>
    public string? NewObjectId
    {
        get => _newObjectIdSpan.IsEmpty ? _newObjectId : _newObjectId ??= DiffScan.Text(_newObjectIdSpan.Slice(Source.Span));
        init
        {
            _newObjectId = value;
            _newObjectIdSpan = default;
        }
    }

    /// <summary>Where the old object id is in <see cref="Source"/> (set by the parser instead of the string).</summary>
    internal SourceSpan OldObjectIdSpan
    {
        get => _oldObjectIdSpan;
        init => _oldObjectIdSpan = value;
    }

    /// <summary>Where the new object id is in <see cref="Source"/> (set by the parser instead of the string).</summary>
    internal SourceSpan NewObjectIdSpan
    {
        get => _newObjectIdSpan;
        init => _newObjectIdSpan = value;
    }

    /// <summary>Whether the file is binary (<c>Binary files ... differ</c> or a <c>GIT binary patch</c>).</summary>
    public bool IsBinary { get; init; }

    /// <summary>The <c>GIT binary patch</c> data; null when absent (also for <c>Binary files ... differ</c>).</summary>
    public DiffBinaryPatch? BinaryPatch { get; init; }

    /// <summary>The hunks of a text diff, in order (empty for binary, mode-only, rename-only and combined diffs).</summary>
    public ImmutableArray<DiffHunk> Hunks { get; init; } = ImmutableArray<DiffHunk>.Empty;

    /// <summary>The hunks of a combined diff (<see cref="DiffDialect.Combined"/>); empty otherwise.</summary>
    public ImmutableArray<DiffCombinedHunk> CombinedHunks { get; init; } = ImmutableArray<DiffCombinedHunk>.Empty;

    /// <summary>Added lines, as <c>git apply --numstat</c>; 0 for binary and combined diffs.</summary>
    public int AddedCount { get; init; }

    /// <summary>Removed lines, as <c>git apply --numstat</c>; 0 for binary and combined diffs.</summary>
    public int RemovedCount { get; init; }

    /// <summary>The file: header lines, hunks or binary patch.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The header lines: from the first (<c>diff --git</c>, <c>Index:</c>, <c>diff -ruN</c> or <c>---</c>) to the line before the first hunk or binary patch.</summary>
    public SourceSpan HeaderSpan { get; init; }

    /// <summary>The path of the file: the new path, or the old path for a deleted file.</summary>
    public string? Path => NewPath ?? OldPath;

    /// <summary>Writes the exact source bytes of the file.</summary>
    /// <param name="stream">The destination.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Span.Slice(Source.Span));
    }

    /// <summary>Value equality: the same source bytes at the same offsets and the same parsed values; caches are ignored.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether both describe the same part of equal input the same way.</returns>
    public bool Equals(DiffFile? other) =>
        other is not null && OldPath == other.OldPath && NewPath == other.NewPath && Status == other.Status && Dialect == other.Dialect
        && OldMode == other.OldMode && NewMode == other.NewMode && Similarity == other.Similarity && Dissimilarity == other.Dissimilarity
        && OldObjectId == other.OldObjectId && NewObjectId == other.NewObjectId && IsBinary == other.IsBinary && Equals(BinaryPatch, other.BinaryPatch)
        && AddedCount == other.AddedCount && RemovedCount == other.RemovedCount && HeaderSpan == other.HeaderSpan
        && Hunks.AsSpan().SequenceEqual(other.Hunks.AsSpan()) && CombinedHunks.AsSpan().SequenceEqual(other.CombinedHunks.AsSpan())
        && DiffScan.SameBytes(Source, Span, other.Source, other.Span);

    /// <summary>A hash consistent with <see cref="Equals(DiffFile?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Span, OldPath, NewPath, Status, AddedCount, RemovedCount);

    /// <summary>The exact source bytes of the file.</summary>
    /// <returns>The file's part of the diff as text.</returns>
    public override string ToString() => DiffScan.Text(Span.Slice(Source.Span));
}
