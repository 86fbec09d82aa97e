namespace KernelPatch.Mailbox;

/// <summary>One message read from a stream by <see cref="MailboxStreamReader"/>.</summary>
/// <param name="Bytes">The bytes of <see cref="MailboxEntry.Span"/> (separator line and message), in an array of their own.</param>
/// <param name="Entry">The entry with offsets relative to the stream start.</param>
internal readonly record struct MailboxStreamMessage(ReadOnlyMemory<byte> Bytes, MailboxEntry Entry)
{
    /// <summary>Absolute offset of <see cref="Bytes"/> in the stream.</summary>
    public int Offset => Entry.Span.Offset;

    /// <summary>
    /// The entry with offsets relative to <see cref="Bytes"/>, for <see cref="MailboxSplitter.GetContent"/> and the mail
    /// parser (<see cref="MailboxEntry.Leading"/> and <see cref="MailboxEntry.Trailing"/> are empty: their bytes are not kept).
    /// </summary>
    public MailboxEntry LocalEntry => Entry with
    {
        Span = new(0, Entry.Span.Length),
        Content = new(Entry.Content.Offset - Offset, Entry.Content.Length),
        FromLine = Entry.FromLine.IsEmpty ? default : new(0, Entry.FromLine.Length),
        Leading = default,
        Trailing = default,
    };
}
