namespace KernelPatch.Series;

/// <summary>
/// One decision of the series assembler, with the reason it was made in plain words
/// (what <c>kernelpatch show --explain</c> prints).
/// </summary>
/// <param name="MessageIndex">Index in the mailbox of the message the decision is about.</param>
/// <param name="Kind">What was decided.</param>
/// <param name="Reason">Why, in plain words (for example "replies to the cover letter of that series (v2, 5 patches)").</param>
/// <param name="RelatedIndex">Index of the other message the decision links to (parent, cover letter, first occurrence), or null.</param>
public readonly record struct SeriesDecision(int MessageIndex, SeriesDecisionKind Kind, string Reason, int? RelatedIndex = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"#{MessageIndex} {Kind}: {Reason}";
}
