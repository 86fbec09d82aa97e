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
}
