using System.Runtime.InteropServices;
using KernelPatch.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>
/// The input's messages as separate mails, parsed one at a time: what a CI bot or a review dashboard does as mail
/// arrives (one <c>PatchMailbox.Parse</c> per mail), so that a parse's fixed cost is measured, not only its cost per byte.
/// </summary>
internal static class EachMail
{
    /// <summary>
    /// Each message's own bytes (headers and body, without the mbox <c>From </c> line), as slices of
    /// <paramref name="input"/>: the same bytes for every contender.
    /// </summary>
    public static ReadOnlyMemory<byte>[] Split(byte[] input)
    {
        var options = PatchParseOptions.Default;
        var entries = MailboxSplitter.Split(input, options, new DiagnosticBag(options));
        var mails = new ReadOnlyMemory<byte>[entries.Length];
        for (int i = 0; i < mails.Length; i++)
        {
            mails[i] = input.AsMemory(entries[i].Content.Offset, entries[i].Content.Length);
        }

        return mails;
    }

    /// <summary>The bytes the mails hold in all.</summary>
    public static long Length(ReadOnlyMemory<byte>[] mails)
    {
        long length = 0;
        foreach (ReadOnlyMemory<byte> mail in mails)
        {
            length += mail.Length;
        }

        return length;
    }

    /// <summary><c>PatchMailbox.Parse</c> of each mail on its own, then the full visit (<see cref="EndToEnd.Visit"/>).</summary>
    public static long KernelPatch(ReadOnlyMemory<byte>[] mails)
    {
        long sum = 0;
        foreach (ReadOnlyMemory<byte> mail in mails)
        {
            sum += EndToEnd.Visit(PatchMailbox.Parse(mail));
        }

        return sum;
    }

    /// <summary>
    /// <c>PatchMailbox.Read</c> of each mail from a stream of its bytes, then the visit of the message it gives
    /// (<see cref="EndToEnd.VisitMessage"/>): a bot that streams mail as it arrives, as MimeKit's load reads a stream.
    /// </summary>
    public static long KernelPatchRead(ReadOnlyMemory<byte>[] mails)
    {
        long sum = 0;
        foreach (ReadOnlyMemory<byte> mail in mails)
        {
            foreach (PatchMessage message in PatchMailbox.Read(StreamOf(mail)))
            {
                sum += EndToEnd.VisitMessage(message);
            }
        }

        return sum;
    }

    /// <summary>A read-only stream over a mail's bytes (a slice of an array).</summary>
    public static MemoryStream StreamOf(ReadOnlyMemory<byte> mail)
    {
        if (!MemoryMarshal.TryGetArray(mail, out ArraySegment<byte> segment))
        {
            throw new ArgumentException("expected a slice of an array", nameof(mail));
        }

        return new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
    }
}
