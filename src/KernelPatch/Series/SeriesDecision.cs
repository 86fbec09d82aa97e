using System.Globalization;

namespace KernelPatch.Series;

/// <summary>
/// One decision of the series assembler, with the reason it was made in plain words
/// (what <c>kernelpatch show --explain</c> prints).
/// </summary>
/// <remarks>
/// The assembler makes one decision per message and more; it keeps each reason as a template and its
/// numbers, and <see cref="Reason"/> writes the sentence when asked, so a parse that never explains
/// itself does not pay for the text. Two decisions are equal when their index, kind, related index and
/// reason text are equal.
/// </remarks>
public readonly record struct SeriesDecision
{
    private readonly SeriesReason _template; // Text: _value is the whole reason

    private readonly int _a;
    private readonly int _b;
    private readonly int _c;
    private readonly int _d;
    private readonly int _e;
    private readonly object? _value; // the reason's text, or the text or trailer its template names

    private string? TextArg => _value as string;

    /// <summary>Creates a decision with its reason already written.</summary>
    /// <param name="MessageIndex">Index in the mailbox of the message the decision is about.</param>
    /// <param name="Kind">What was decided.</param>
    /// <param name="Reason">Why, in plain words (for example "replies to the cover letter of that series (v2, 5 patches)").</param>
    /// <param name="RelatedIndex">Index of the other message the decision links to (parent, cover letter, first occurrence), or null.</param>
    public SeriesDecision(int MessageIndex, SeriesDecisionKind Kind, string Reason, int? RelatedIndex = null)
    {
        ArgumentNullException.ThrowIfNull(Reason);
        this.MessageIndex = MessageIndex;
        this.Kind = Kind;
        this.RelatedIndex = RelatedIndex;
        _value = Reason;
    }

    /// <summary>A decision whose reason is written from <paramref name="template"/> and its arguments on demand.</summary>
    internal SeriesDecision(int messageIndex, SeriesDecisionKind kind, int? relatedIndex, SeriesReason template, int a = 0, int b = 0, int c = 0, int d = 0, int e = 0, string? text = null)
    {
        MessageIndex = messageIndex;
        Kind = kind;
        RelatedIndex = relatedIndex;
        _template = template;
        _a = a;
        _b = b;
        _c = c;
        _d = d;
        _e = e;
        _value = text;
    }

    /// <summary>A follow-up trailer's decision, whose reason names the trailer and is written on demand.</summary>
    internal SeriesDecision(int messageIndex, int target, FollowUpTrailer trailer, bool onCover, int position, int series, int present, int below)
    {
        MessageIndex = messageIndex;
        Kind = SeriesDecisionKind.FollowUpTrailer;
        RelatedIndex = target;
        _template = SeriesReason.FollowUp;
        _a = position;
        _b = series;
        _c = present;
        _d = below;
        _e = onCover ? 1 : 0;
        _value = trailer;
    }

    /// <summary>Index in the mailbox of the message the decision is about.</summary>
    public int MessageIndex { get; init; }

    /// <summary>What was decided.</summary>
    public SeriesDecisionKind Kind { get; init; }

    /// <summary>Why, in plain words (for example "replies to the cover letter of that series (v2, 5 patches)").</summary>
    public string Reason
    {
        get => _template == SeriesReason.Text ? TextArg ?? "" : Write();
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _template = SeriesReason.Text;
            _value = value;
        }
    }

    /// <summary>Index of the other message the decision links to (parent, cover letter, first occurrence), or null.</summary>
    public int? RelatedIndex { get; init; }

    /// <summary>Deconstructs the decision into its four values.</summary>
    /// <param name="MessageIndex">Index of the message the decision is about.</param>
    /// <param name="Kind">What was decided.</param>
    /// <param name="Reason">Why, in plain words.</param>
    /// <param name="RelatedIndex">Index of the related message, or null.</param>
    public void Deconstruct(out int MessageIndex, out SeriesDecisionKind Kind, out string Reason, out int? RelatedIndex)
    {
        MessageIndex = this.MessageIndex;
        Kind = this.Kind;
        Reason = this.Reason;
        RelatedIndex = this.RelatedIndex;
    }

    /// <inheritdoc/>
    public bool Equals(SeriesDecision other) =>
        MessageIndex == other.MessageIndex && Kind == other.Kind && RelatedIndex == other.RelatedIndex && string.Equals(Reason, other.Reason, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MessageIndex, Kind, RelatedIndex, StringComparer.Ordinal.GetHashCode(Reason));

    /// <inheritdoc/>
    public override string ToString() => $"#{MessageIndex} {Kind}: {Reason}";

    private string Write()
    {
        switch (_template)
        {
            case SeriesReason.Duplicate:
                return $"its Message-ID <{TextArg}> was already seen on message #{N(_a)}; the first copy is kept";
            case SeriesReason.MissingParent:
                return $"it replies to <{TextArg}>, which is not in the input";
            case SeriesReason.CycleCut:
                return $"its reply links form a cycle through message #{N(_a)}; the link was cut and it starts its own thread";
            case SeriesReason.PullRequest:
                return "it is a pull request, not a patch";
            case SeriesReason.NotAPatch:
                return "it is neither numbered as a patch or cover letter, nor a reply, nor carries a diff";
            case SeriesReason.ReplyToAbsent:
                return "it is a reply, but the message it answers is not in the input";
            case SeriesReason.ReplyOutsideSeries:
                return $"it answers message #{N(_a)}, which belongs to no series";
            case SeriesReason.Reply:
                // _a parent, _b target, _c patch index of the target (0: the cover letter), _d series
                string what = _c == 0 ? "the cover letter" : "patch " + N(_c);
                return _a == _b
                    ? $"it answers message #{N(_a)}, {what} of series {N(_d)}"
                    : $"it answers message #{N(_a)}, in the thread of {what} #{N(_b)}";
            case SeriesReason.ThreadParent:
                return $"it replies to message #{N(_a)}";
            case SeriesReason.Revision:
                // _a series, _b revisions in the submission, _c position (0-based, newest first), _d version, _e resend
                if (_b == 1)
                {
                    return $"series {N(_a)} is the only revision of its submission";
                }

                return $"series {N(_a)} is revision {N(_b - _c)} of {N(_b)} (newest first: position {N(_c + 1)}, v{N(_d)}{(_e != 0 ? " RESEND" : "")})"
                    + (TextArg is null ? "" : ", linked because " + TextArg);
            case SeriesReason.FollowUp:
                // _a patch position, _b series, _c patches present, _d the reply below (-1: none), _e written to the cover letter
                var trailer = (FollowUpTrailer)_value!;
                return $"\"{trailer.Key}: {trailer.Value}\" is a follow-up trailer: "
                    + (_e != 0
                        ? $"it was written in reply to the cover letter, so it applies to every patch of series {N(_b)} ({N(_c)} present)"
                        : $"it was written in reply to patch {N(_a)} (message #{N(RelatedIndex ?? -1)}), so it applies to that patch")
                    + (_d < 0 ? "" : $"; it names someone other than the reply's sender, but message #{N(_d)} replies below this one with trailers of its own, and b4 then takes every trailer of the replies in between");
            default:
                return Member();
        }
    }

    // Membership of a cover letter or patch: _a position (0: cover letter), _b series, then the template's own values.
    private string Member()
    {
        string head = _a == 0 ? $"cover letter of series {N(_b)}: " : $"patch {N(_a)} of series {N(_b)}: ";
        return head + _template switch
        {
            SeriesReason.NewCover => $"its subject is numbered 0/{N(_c)}: it is the cover letter of a new series (v{N(_d)})",
            // _c chain (-1: the cover letter, 0: patch 1, n: patch n of chained replies), _d the message replied to, _e version
            SeriesReason.ThreadedMember => $"it replies (directly or through replies) to {(_c < 0 ? "the cover letter" : _c == 0 ? "patch 1" : "patch " + N(_c) + " (chained replies)")}, message #{N(_d)}, of the same version v{N(_e)}",
            SeriesReason.SiblingOfAbsent => $"it replies to the absent message <{TextArg}>, like message #{N(_c)} of the same version v{N(_d)}",
            SeriesReason.UnsentMember => $"it has no Message-ID (format-patch output, not sent mail) and the same version v{N(_c)} and total {N(_d)} as message #{N(_e)}",
            SeriesReason.UnthreadedMember => $"it is not threaded to this series, but has the same sender, version v{N(_c)} and total {N(_d)}, and was sent within {N((int)SeriesAssembler.UnthreadedWindow.TotalHours)} hours of message #{N(_e)}",
            SeriesReason.NewAfterReply => $"it replies to message #{N(_c)} of another version or a taken position, so it starts a new series (v{N(_d)})",
            SeriesReason.LonePatch => $"it is a lone patch: a series of one (v{N(_d)})",
            SeriesReason.NewSeries => $"no cover letter or earlier patch of this series was found, so it starts a new series (v{N(_d)})",
            _ => "",
        };
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The sentence a lazily written <see cref="SeriesDecision.Reason"/> is made from.</summary>
internal enum SeriesReason : byte
{
    /// <summary>The reason was given as text (the default, so <c>default(SeriesDecision).Reason</c> is empty).</summary>
    Text,
    Duplicate,
    MissingParent,
    CycleCut,
    PullRequest,
    NotAPatch,
    ReplyToAbsent,
    ReplyOutsideSeries,
    Reply,
    ThreadParent,
    Revision,
    NewCover,
    ThreadedMember,
    SiblingOfAbsent,
    UnsentMember,
    UnthreadedMember,
    NewAfterReply,
    LonePatch,
    NewSeries,
    FollowUp,
}
