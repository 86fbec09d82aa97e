using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// One message found in a container: where it is in the input, and in which container format it was found.
/// </summary>
/// <remarks>
/// All spans are absolute byte ranges of the input given to the splitter (or of the stream, for the streaming reader).
/// For every input, concatenating <see cref="Leading"/>, <see cref="Span"/> and <see cref="Trailing"/> of every entry
/// in order gives back the exact input bytes.
/// </remarks>
/// <param name="Index">0-based position of the message in the container.</param>
/// <param name="Span">The whole entry: the <c>From </c> separator line (when there is one) and the message. For a digest, the message inside the fence.</param>
/// <param name="Content">The message itself (headers and body), without the <c>From </c> separator line.</param>
/// <param name="Format">The container format the message was found in.</param>
public readonly record struct MailboxEntry(int Index, SourceSpan Span, SourceSpan Content, PatchInputFormat Format)
{
    /// <summary>The mbox <c>From </c> separator line including its line end; empty when the message has none.</summary>
    public SourceSpan FromLine { get; init; }

    /// <summary>True for an mboxrd message holding <c>&gt;From </c> lines: <see cref="MailboxSplitter.GetContent"/> then returns an unquoted copy.</summary>
    public bool NeedsUnquoting { get; init; }

    /// <summary>Bytes between the end of the previous entry (or the input start) and <see cref="Span"/>: digest headings and fence lines, or junk before the first <c>From </c> line. The default (empty) span when there are none.</summary>
    public SourceSpan Leading { get; init; }

    /// <summary>Bytes after <see cref="Span"/> up to the end of the input; only the last entry has them (a closing fence, a digest's tail). The default (empty) span when there are none.</summary>
    public SourceSpan Trailing { get; init; }
}
