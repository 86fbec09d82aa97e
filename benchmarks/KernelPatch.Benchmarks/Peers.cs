using MimeKit;

namespace KernelPatch.Benchmarks;

/// <summary>
/// The contenders that do not need KernelPatch: MimeKit's parser (the headline peer) and the
/// newline-counting floor. Each returns a number derived from everything it read, so the work
/// cannot be optimised away.
/// </summary>
internal static class Peers
{
    /// <summary>
    /// MimeKit's <see cref="MimeParser"/> in mbox mode over the same bytes, reading subject, from,
    /// date, message-id, references and the text body of every message.
    /// </summary>
    public static long MimeKit(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        long checksum = 0;
        while (!parser.IsEndOfStream)
        {
            using MimeMessage message = parser.ParseMessage();
            checksum += Read(message);
        }

        return checksum;
    }

    /// <summary>
    /// MimeKit's parse of each mail on its own (<c>MimeMessage.Load</c> over the mail's bytes), reading what
    /// <see cref="MimeKit(byte[])"/> reads: mail as a bot receives it, one at a time.
    /// </summary>
    public static long MimeKitEachMail(ReadOnlyMemory<byte>[] mails)
    {
        long checksum = 0;
        foreach (ReadOnlyMemory<byte> mail in mails)
        {
            using var stream = EachMail.StreamOf(mail);
            using MimeMessage message = MimeMessage.Load(stream);
            checksum += Read(message);
        }

        return checksum;
    }

    // Subject, from, date, message-id, references and the text body: what both MimeKit contenders read of a message.
    private static long Read(MimeMessage message)
    {
        long checksum = message.Subject?.Length ?? 0;
        foreach (MailboxAddress from in message.From.Mailboxes)
        {
            checksum += from.Name?.Length ?? 0;
            checksum += from.Address?.Length ?? 0;
        }

        checksum += message.Date.Ticks & 0xFF;
        checksum += message.MessageId?.Length ?? 0;
        foreach (string reference in message.References)
        {
            checksum += reference.Length;
        }

        checksum += message.TextBody?.Length ?? 0;
        return checksum + 1;
    }

    /// <summary>The floor over separate mails: the newlines of each.</summary>
    public static long CountNewlinesEachMail(ReadOnlyMemory<byte>[] mails)
    {
        long count = 0;
        foreach (ReadOnlyMemory<byte> mail in mails)
        {
            count += mail.Span.Count((byte)'\n');
        }

        return count;
    }

    /// <summary>The memory-bound floor: counts <c>\n</c> in the input, nothing more.</summary>
    public static long CountNewlines(byte[] input) => input.AsSpan().Count((byte)'\n');
}
