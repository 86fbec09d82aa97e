namespace KernelPatch;

/// <summary>The container format of the input.</summary>
public enum PatchInputFormat
{
    /// <summary>
    /// Detect the format from the first non-blank line of the input (the default): an mbox whose first line is
    /// public-inbox's <c>From mboxrd@z Thu Jan  1 00:00:00 1970</c> (lore.kernel.org's downloads) is <see cref="Mboxrd"/>,
    /// any other mbox <see cref="Mbox"/>. docs/formats.md has the whole table.
    /// </summary>
    Auto = 0,

    /// <summary>An mbox in the mboxo flavour: <c>From </c> separator lines, <c>&gt;From </c> lines kept as written (what <c>git mailsplit</c> does by default).</summary>
    Mbox,

    /// <summary>An mbox in the mboxrd flavour: one <c>&gt;</c> is removed from every body line matching <c>^&gt;+From </c>.</summary>
    Mboxrd,

    /// <summary>One message (<c>.eml</c>, <c>.patch</c>), with or without a leading <c>From </c> line.</summary>
    Message,

    /// <summary>A patchwork Markdown digest: <c>#### [PATCH] ...</c> headings with fenced blocks of raw mail.</summary>
    Digest,

    /// <summary>A bare diff with no mail headers (<c>git diff</c>, <c>diff -u</c>).</summary>
    Diff,

    /// <summary>
    /// A maildir: a folder whose <c>cur/</c> and <c>new/</c> hold one message per file (what lei writes, and what b4 and
    /// <c>git am</c> read). Recognised when <see cref="PatchMailbox.Load(string, PatchParseOptions?)"/> or
    /// <see cref="PatchMailbox.Read(string, PatchParseOptions?)"/> is given a folder; each file is read as a
    /// <see cref="Message"/>. Given for bytes or a stream, it means <see cref="Message"/>.
    /// </summary>
    Maildir,

    /// <summary>
    /// <c>git log -p</c> or <c>git show</c> output: each commit starts at a <c>commit &lt;id&gt;</c> line, followed by its
    /// header lines (<c>Author:</c>, <c>Date:</c>; the <c>medium</c>, <c>full</c>, <c>fuller</c> and <c>raw</c> formats),
    /// its message indented by four blanks, notes, a diffstat and the diff. Detected when the first non-blank line is
    /// such a line. docs/formats.md says how each part is read.
    /// </summary>
    GitLog,

    /// <summary>
    /// <c>hg export</c> output, as <c>git am --patch-format=hg</c> reads it: each changeset starts at a
    /// <c># HG changeset patch</c> line, followed by <c># User</c>, <c># Date</c> and other <c># </c> lines, the message and
    /// the diff. Detected when the first non-blank line is that line. docs/formats.md says how each part is read.
    /// </summary>
    HgExport,
}

/// <summary>What the formats have in common.</summary>
internal static class PatchInputFormatFacts
{
    /// <summary>Whether entries of <paramref name="format"/> are commits of <c>git log</c> or <c>hg export</c> output (no mail headers).</summary>
    public static bool IsCommitLog(this PatchInputFormat format) => format is PatchInputFormat.GitLog or PatchInputFormat.HgExport;
}
