using System.Runtime.CompilerServices;
using System.Text;
using KernelPatch.Diff;
using MimeKit;

namespace KernelPatch.Mail;

/// <summary>
/// patchwork's reading of a multipart mail for its patch hash (<c>find_patch_content</c>): every <c>text/*</c> part,
/// attached messages' parts included, decoded from its charset (or, with none or one Python does not know, as UTF-8,
/// windows-1252 or Latin-1, the first that decodes; a part that does not decode is skipped). The last
/// <c>text/x-patch</c> or <c>text/x-diff</c> part is the patch, whole; failing one, the first <c>text/plain</c> part
/// in which its state machine finds a hunk.
/// </summary>
internal static class MailPatchworkParts
{
    /// <summary>The hash of the patch patchwork finds in the multipart mail; null when it finds none or MimeKit cannot read the mail.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // MimeKit is loaded only when this runs
    public static string? Hash(MailDocument mail)
    {
        var headers = mail.Headers;
        using var mime = MailBodyDecoder.MimeInput(headers.Input, headers, mail.BodyOffset, mail.Span.End, null);
        if (mime is null)
        {
            return null;
        }

        try
        {
            using var message = MimeMessage.Load(mime);
            byte[]? whole = null; // the last x-patch or x-diff part
            byte[]? plain = null; // the first plain part with a patch
            using var decoded = new MemoryStream();
            foreach (var part in Walk(message.Body))
            {
                if (part is not MimePart { ContentType.MediaType: var type } leaf || !type.Equals("text", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string subtype = leaf.ContentType.MediaSubtype;
                bool patchType = subtype.Equals("x-patch", StringComparison.OrdinalIgnoreCase) || subtype.Equals("x-diff", StringComparison.OrdinalIgnoreCase);
                if (!patchType && (!subtype.Equals("plain", StringComparison.OrdinalIgnoreCase) || whole is not null || plain is not null))
                {
                    continue;
                }

                decoded.SetLength(0);
                leaf.Content?.DecodeTo(decoded);
                if (Text(decoded.GetBuffer().AsSpan(0, (int)decoded.Length), leaf.ContentType.Charset) is not { } text)
                {
                    continue;
                }

                if (patchType)
                {
                    whole = text;
                }
                else if (DiffPatchworkHash.Compute(text) is not null)
                {
                    plain = text;
                }
            }

            return whole is not null ? DiffPatchworkHash.ComputeWhole(whole) : plain is not null ? DiffPatchworkHash.Compute(plain) : null;
        }
#pragma warning disable CA1031 // a MimeKit failure means no hash, never a crash
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    // email.message.Message.walk(): every entity depth first, into attached messages too.
    private static IEnumerable<MimeEntity> Walk(MimeEntity? entity)
    {
        var pending = new Stack<MimeEntity>();
        if (entity is not null)
        {
            pending.Push(entity);
        }

        while (pending.Count > 0)
        {
            var next = pending.Pop();
            yield return next;
            if (next is Multipart multipart)
            {
                for (int i = multipart.Count - 1; i >= 0; i--)
                {
                    pending.Push(multipart[i]);
                }
            }
            else if (next is MessagePart { Message.Body: { } inner })
            {
                pending.Push(inner);
            }
        }
    }

    // The part's text as UTF-8, decoded as patchwork decodes it; null when it does not decode in its named charset.
    private static byte[]? Text(ReadOnlySpan<byte> bytes, string? charset) =>
        Strict(bytes, (string.IsNullOrEmpty(charset) ? null : MailEncodedWords.GetEncoding(charset)) ?? DiffPatchworkHash.GuessCharset(bytes) ?? Encoding.UTF8);

    private static byte[]? Strict(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        try
        {
            return Encoding.UTF8.GetBytes(strict.GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
