namespace KernelPatch.Commit;

/// <summary>What a patch mail is, decided from its subject, whether it carries a diff, and its shape.</summary>
public enum MessageKind
{
    /// <summary>A patch: carries a diff, or a numbered patch (index 1 or more) whose diff was cut off after the diffstat.</summary>
    Patch,

    /// <summary>A cover letter: index 0 of a numbered series, or a <c>[PATCH]</c> series intro without a diff.</summary>
    Cover,

    /// <summary>
    /// A reply (<c>Re:</c> subject) that carries no new diff; in a mail read whole (<see cref="PatchMessage"/>), also a
    /// message with no diff, in reply to another, that holds a follow-up trailer (a client that dropped the <c>Re:</c>).
    /// </summary>
    Reply,

    /// <summary>A <c>git request-pull</c> message (or a <c>[GIT PULL]</c> subject).</summary>
    Pull,

    /// <summary>Anything else.</summary>
    Other,
}
