using System.Runtime.InteropServices;
using System.Text;
using KernelPatch.Text;
using MimeKit;

namespace KernelPatch.Mail;

/// <summary>
/// The MimeKit fallback for bodies that are not plain 7bit/8bit UTF-8: quoted-printable, base64, other charsets,
/// multipart with the patch as an attachment. The result is a new UTF-8 buffer that then takes the fast path.
/// </summary>
/// <remarks>
/// As <c>git mailinfo</c>, a multipart body becomes the inline <c>text/plain</c> parts followed by the patch
/// attachments (<c>text/x-patch</c>, <c>text/x-diff</c>, or text named <c>*.patch</c>/<c>*.diff</c>), in order;
/// HTML alternatives, signatures and binary attachments are left out. A MimeKit exception becomes a diagnostic.
/// </remarks>
internal static class MailBodyDecoder
{
    /// <summary>Decodes the body of the message in <paramref name="content"/>; null (with a diagnostic) when it cannot.</summary>
    public static byte[]? Decode(ReadOnlyMemory<byte> content, DiagnosticBag diagnostics, int bodyOffset)
    {
        try
        {
            using var stream = MemoryMarshal.TryGetArray(content, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(content.ToArray(), writable: false);
            using var message = MimeMessage.Load(stream);
            var text = new StringBuilder();
            int parts = 0;
            foreach (var entity in message.BodyParts)
            {
                if (entity is not TextPart part || !IsWanted(part))
                {
                    continue;
                }

                // the line end before a boundary belongs to the boundary: end every part with one
                text.Append(part.Text);
                if (text.Length > 0 && text[^1] != '\n')
                {
                    text.Append('\n');
                }

                parts++;
            }

            if (parts == 0)
            {
                diagnostics.Warning(MailDiagnosticCodes.NoTextPart, "Expected a text/plain part or a patch attachment in the " + message.Body?.ContentType.MimeType + " body, found none; the raw body is kept.", bodyOffset);
                return null;
            }

            return Encoding.UTF8.GetBytes(text.ToString());
        }
#pragma warning disable CA1031 // any MimeKit failure must become a diagnostic, never a crash
        catch (Exception ex)
#pragma warning restore CA1031
        {
            diagnostics.Error(MailDiagnosticCodes.BodyDecodeFailed, "Expected a MIME body MimeKit can decode, found one it rejected (" + ex.GetType().Name + ": " + ex.Message + "); the raw body is kept.", bodyOffset);
            return null;
        }
    }

    private static bool IsWanted(TextPart part)
    {
        var type = part.ContentType;
        if (type.IsMimeType("text", "x-patch") || type.IsMimeType("text", "x-diff"))
        {
            return true;
        }

        if (!type.IsMimeType("text", "plain"))
        {
            return false;
        }

        string? name = part.FileName;
        if (name is not null && (name.EndsWith(".patch", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".diff", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return !part.IsAttachment;
    }
}
