namespace KernelPatch.Mail;

/// <summary>Diagnostic codes of the mail stage (KP02xx), documented in <c>docs/diagnostics.md</c>.</summary>
internal static class MailDiagnosticCodes
{
    /// <summary>A line in the header block is neither a field, a continuation, nor the blank line ending the block.</summary>
    internal const string NotAHeaderLine = "KP0201";

    /// <summary>A continuation line comes before any header field.</summary>
    internal const string OrphanContinuation = "KP0202";

    /// <summary>The message has no (usable) From header.</summary>
    internal const string MissingFrom = "KP0203";

    /// <summary>The Date header is missing or could not be parsed.</summary>
    internal const string BadDate = "KP0204";

    /// <summary>A malformed RFC 2047 encoded word was left as written.</summary>
    internal const string BadEncodedWord = "KP0205";

    /// <summary>An unknown charset in an encoded word or body; the bytes were read as UTF-8.</summary>
    internal const string UnknownCharset = "KP0206";

    /// <summary>More header fields than <see cref="PatchParseOptions.MaxHeaderCount"/>.</summary>
    internal const string TooManyHeaders = "KP0207";

    /// <summary>The header block runs to the end of the message: there is no body.</summary>
    internal const string NoBody = "KP0208";

    /// <summary>The From header was rewritten by a mailing list (DMARC) and the original sender was not found.</summary>
    internal const string ListRewroteFrom = "KP0209";

    /// <summary>The body could not be decoded by MimeKit; the raw body is kept.</summary>
    internal const string BodyDecodeFailed = "KP0210";

    /// <summary>A multipart message holds no text part usable as the body.</summary>
    internal const string NoTextPart = "KP0211";

    /// <summary>The message is larger than <see cref="PatchParseOptions.MaxMessageSize"/>; only its headers were read.</summary>
    internal const string MessageTooLarge = "KP0212";

    /// <summary>A MIME header (of the message or of a body part) is too long to hand to MimeKit; the raw body is kept.</summary>
    internal const string MimeHeaderTooLong = "KP0213";

    /// <summary>The body was <c>format=flowed</c>: soft line breaks were joined and stuffed spaces removed, as <c>git mailinfo</c> does.</summary>
    internal const string FlowedBody = "KP0214";

    /// <summary>A base64 or quoted-printable body decodes to CRLF line ends (git mailinfo's "quoted CRLF").</summary>
    internal const string QuotedCr = "KP0215";
}
