using System.Collections.Immutable;

namespace KernelPatch.Series;

/// <summary>
/// A trailer written in a reply (<c>Reviewed-by: Name &lt;email&gt;</c> on its own, unquoted line),
/// collected as <c>b4 am</c> collects it, and the patches it applies to.
/// </summary>
public sealed record FollowUpTrailer
{
    /// <summary>The trailer key as written, for example <c>Reviewed-by</c>.</summary>
    public required string Key { get; init; }

    /// <summary>
    /// The value as written, trimmed, a <c># comment</c> after it included (<c>"Roe, Bob" &lt;bob@example.com&gt; # v5.10+</c>),
    /// as <c>b4 am</c> writes it back; <see cref="PersonName"/> and <see cref="PersonEmail"/> hold the person read from it.
    /// </summary>
    public required string Value { get; init; }

    /// <summary>
    /// A bracketed note the reviewer wrote on the line below the trailer (<c>[for the arm64 bits]</c>), as written;
    /// <c>b4 am</c> keeps it there. Null when there is none.
    /// </summary>
    public string? Note { get; init; }

    /// <summary>The person's name when the value names one, else null.</summary>
    public string? PersonName { get; init; }

    /// <summary>The person's email when the value holds one, else null.</summary>
    public string? PersonEmail { get; init; }

    /// <summary>Index in the mailbox of the reply that carried the trailer.</summary>
    public int FromReplyIndex { get; init; }

    /// <summary>Index in the mailbox of the patch or cover letter the reply answers.</summary>
    public int TargetIndex { get; init; }

    /// <summary>Indexes in the mailbox of the patches the trailer applies to: the patch replied to, or every patch of the series for a reply to the cover letter.</summary>
    public ImmutableArray<int> AppliesTo { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>Value equality, comparing <see cref="AppliesTo"/> element by element (not by array reference).</summary>
    /// <param name="other">The trailer to compare with.</param>
    public bool Equals(FollowUpTrailer? other)
        => other is not null
            && Key == other.Key
            && Value == other.Value
            && Note == other.Note
            && PersonName == other.PersonName
            && PersonEmail == other.PersonEmail
            && FromReplyIndex == other.FromReplyIndex
            && TargetIndex == other.TargetIndex
            && AppliesTo.AsSpan().SequenceEqual(other.AppliesTo.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Key);
        hash.Add(Value);
        hash.Add(FromReplyIndex);
        hash.Add(TargetIndex);
        foreach (int i in AppliesTo)
        {
            hash.Add(i);
        }

        return hash.ToHashCode();
    }

    /// <summary>Formats as <c>Key: Value</c> (and the <see cref="Note"/> on a line of its own), as added to a commit message.</summary>
    public override string ToString() => Note is null ? Key + ": " + Value : Key + ": " + Value + "\n" + Note;
}
