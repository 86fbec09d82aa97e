namespace KernelPatch;

/// <summary>What <see cref="PatchSeries.WriteAmMbox(Stream, AmMboxOptions?)"/> adds besides the follow-up trailers.</summary>
public sealed record AmMboxOptions
{
    /// <summary>The archive lore keeps every patch under: <c>https://lore.kernel.org/r/</c>.</summary>
    public const string LoreLinkPrefix = "https://lore.kernel.org/r/";

    /// <summary>
    /// Adds <c>Link: </c><see cref="LinkPrefix"/><c>&lt;message id&gt;</c> after each patch's trailers, as <c>b4 am -l</c>
    /// does (the kernel's rule for where a patch was posted); not when the patch already has that trailer or no Message-ID.
    /// </summary>
    public bool AddLink { get; init; }

    /// <summary>What the message id is appended to in the <c>Link:</c> trailer; <see cref="LoreLinkPrefix"/> unless set.</summary>
    public string LinkPrefix { get; init; } = LoreLinkPrefix;

    /// <summary>
    /// Who applies the series (b4 takes it from git's <c>user.name</c> and <c>user.email</c>). A patch's
    /// <c>Signed-off-by</c> of this person moves to the bottom of its trailers, below those added (the chain of custody
    /// ends with whoever applies it), as <c>b4 am</c> always moves it. Null: nobody, and nothing moves.
    /// </summary>
    public Mail.MailIdentity? Identity { get; init; }

    /// <summary>
    /// Ends every patch's trailers with <c>Signed-off-by: </c> of <see cref="Identity"/> (which must be set), as
    /// <c>b4 am -s</c> does: added when the patch lacks it, moved to the bottom when it has it.
    /// </summary>
    public bool AddSignOff { get; init; }
}
