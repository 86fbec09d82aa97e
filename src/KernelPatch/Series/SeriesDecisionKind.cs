namespace KernelPatch.Series;

/// <summary>What the series assembler decided about a message.</summary>
public enum SeriesDecisionKind
{
    /// <summary>The message was attached to a parent message in the reply tree.</summary>
    ThreadParent,

    /// <summary>The message replies to a message that is not in the input.</summary>
    MissingParent,

    /// <summary>The message repeats a Message-ID seen earlier and was set aside.</summary>
    Duplicate,

    /// <summary>The message is the cover letter (index 0) of a series.</summary>
    CoverLetter,

    /// <summary>The message is a patch of a series.</summary>
    Patch,

    /// <summary>The message is a reply attached to the message it answers.</summary>
    Reply,

    /// <summary>The message is neither patch, cover letter nor reply (for example a pull request or an announcement).</summary>
    Other,

    /// <summary>The series the message anchors is a revision of a submission.</summary>
    Revision,

    /// <summary>A trailer written in a reply was taken as a follow-up trailer.</summary>
    FollowUpTrailer,

    /// <summary>A trailer-looking line in a reply was not taken.</summary>
    TrailerIgnored,

    /// <summary>
    /// The series is a partial re-roll: its patches reply to the patches at the same positions of an earlier revision,
    /// so the positions it did not post are taken from the previous revision, as <c>b4 am</c> reconstitutes it.
    /// </summary>
    PartialReroll,
}
