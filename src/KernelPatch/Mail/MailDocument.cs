using System.Collections.Immutable;
using KernelPatch.Mailbox;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// One parsed mail message: the header fields (raw and decoded), the sender, date, ids, subject, content type,
/// and the body as UTF-8 bytes.
/// </summary>
/// <remarks>
/// Plain 7bit/8bit UTF-8 or US-ASCII single-part mail (nearly all patch mail) is parsed from the bytes alone and
/// its <see cref="Body"/> is a slice of the input. Other bodies (quoted-printable, base64, other charsets, multipart
/// with the patch attached) are decoded with MimeKit into a new buffer (<see cref="IsBodyDecoded"/>), and a
/// <c>format=flowed</c> body (or part) is unflowed as <c>git mailinfo</c> does: soft line breaks joined, stuffed
/// spaces removed, in the patch too (KP0214).
/// Header rules follow RFC 5322: a field ends at the next line that does not start with a blank; the header block
/// ends at the first empty line. A line that is not a field ends the header block early, as in <c>git mailinfo</c>.
/// </remarks>
public sealed record MailDocument
{
    /// <summary>The whole message in the input (including a leading <c>From </c> line when it was given one).</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The header fields in order.</summary>
    public MailHeaderList Headers { get; init; } = MailHeaderList.Empty;

    /// <summary>The first address of the From header as written; null when absent.</summary>
    public MailIdentity? From { get; init; }

    /// <summary>The sender recovered when a list rewrote From for DMARC (<c>Name via List &lt;list@...&gt;</c>), from
    /// <c>X-Original-From</c>, <c>Reply-To</c> or <c>Cc</c> as patchwork does; null otherwise.</summary>
    public MailIdentity? OriginalFrom { get; init; }

    /// <summary>The real sender: <see cref="OriginalFrom"/> when recovered, else <see cref="From"/>.</summary>
    public MailIdentity? Sender => OriginalFrom ?? From;

    /// <summary>The Date header with its original offset; null when absent or unreadable.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>The Message-ID without angle brackets; null when absent.</summary>
    public string? MessageId { get; init; }

    /// <summary>The first In-Reply-To id without angle brackets; null when absent.</summary>
    public string? InReplyTo { get; init; }

    /// <summary>The References ids in order, without angle brackets; empty (never default) when absent.</summary>
    public ImmutableArray<string> References { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The Subject unfolded and RFC 2047-decoded; empty when absent.</summary>
    public string Subject { get; init; } = string.Empty;

    /// <summary>The List-Id (the id inside angle brackets when there are brackets, else the value); null when absent.</summary>
    public string? ListId { get; init; }

    /// <summary>The Content-Type; <see cref="MailContentType.Default"/> when absent.</summary>
    public MailContentType ContentType { get; init; } = MailContentType.Default;

    /// <summary>The Content-Transfer-Encoding as written (trimmed); null when absent.</summary>
    public string? ContentTransferEncoding { get; init; }

    /// <summary>The body as UTF-8: a slice of the input on the fast path, else a decoded copy.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Absolute offset in the input where the body starts (after the empty line ending the headers).</summary>
    public int BodyOffset { get; init; }

    /// <summary>Whether <see cref="Body"/> is a decoded copy (MIME transfer encoding, charset, parts or <c>format=flowed</c>
    /// undone) rather than a slice of the input; its offsets then do not map to the input.</summary>
    public bool IsBodyDecoded { get; init; }

    /// <summary>What was odd in this message.</summary>
    public ImmutableArray<PatchDiagnostic> Diagnostics { get; init; } = ImmutableArray<PatchDiagnostic>.Empty;

    /// <summary>Parses one message (headers and body; a leading mbox <c>From </c> line is skipped).</summary>
    /// <param name="message">The message bytes.</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The parsed message; odd input becomes <see cref="Diagnostics"/>.</returns>
    /// <exception cref="PatchFormatException">In strict mode, on the first error.</exception>
    public static MailDocument Parse(ReadOnlyMemory<byte> message, PatchParseOptions? options = null)
    {
        var diagnostics = new DiagnosticBag(options);
        return Parse(message, new SourceSpan(0, message.Length), diagnostics);
    }

    /// <summary>Parses the message at <paramref name="content"/> in <paramref name="input"/>; offsets are absolute in <paramref name="input"/>.</summary>
    internal static MailDocument Parse(ReadOnlyMemory<byte> input, SourceSpan content, DiagnosticBag diagnostics)
    {
        var span = input.Span;
        int start = content.Offset;
        int end = content.End;
        int firstEnd = span[start..end].IndexOf((byte)'\n');
        if (MailboxLines.IsMessageFromLine(span, start, end, firstEnd))
        {
            start += firstEnd < 0 ? end - start : firstEnd + 1;
        }

        var options = diagnostics.Options;
        var headers = MailHeaderParser.Parse(input, start, end, options.MaxHeaderCount, diagnostics, out int bodyOffset);

        var from = FirstIdentity(headers, "From"u8);
        if (from is null)
        {
            diagnostics.Warning(MailDiagnosticCodes.MissingFrom, "Expected a From header with an address, found none.", start);
        }
        else if (from.Email.Length == 0)
        {
            diagnostics.Warning(MailDiagnosticCodes.MissingFrom, "Expected an address in the From header, found '" + from.Name + "' only (git am refuses a patch without one).", headers.GetSpan(headers.IndexOf("From"u8)).Offset);
        }

        DateTimeOffset? date = null;
        int dateIndex = headers.IndexOf("Date"u8);
        if (dateIndex >= 0)
        {
            if (MailDate.TryParse(headers.GetRawValue(dateIndex).Span, out var parsed))
            {
                date = parsed;
            }
            else
            {
                diagnostics.Warning(MailDiagnosticCodes.BadDate, "Expected an RFC 5322 date, found '" + headers.GetValue(dateIndex) + "'.", headers.GetSpan(dateIndex).Offset);
            }
        }
        else
        {
            diagnostics.Info(MailDiagnosticCodes.BadDate, "Expected a Date header, found none.", start);
        }

        int subjectIndex = headers.IndexOf("Subject"u8);
        string subject = subjectIndex >= 0 ? headers.DecodeAt(subjectIndex, diagnostics) : string.Empty;

        var contentType = MailContentType.Default;
        int typeIndex = headers.IndexOf("Content-Type"u8);
        if (typeIndex >= 0)
        {
            contentType = MailContentType.Parse(headers, typeIndex);
        }

        string? transfer = ValueOf(headers, "Content-Transfer-Encoding"u8);
        string? listId = ValueOf(headers, "List-Id"u8);
        if (listId is not null && listId.Contains('<', StringComparison.Ordinal))
        {
            listId = MailMessageId.Normalize(listId);
        }

        ReadOnlyMemory<byte> body = input[bodyOffset..end];
        bool decoded = false;
        if (end - start > options.MaxMessageSize)
        {
            diagnostics.Error(MailDiagnosticCodes.MessageTooLarge, "Expected a message of at most " + options.MaxMessageSize + " bytes, found " + (end - start) + "; only its headers were read.", start);
            body = ReadOnlyMemory<byte>.Empty;
        }
        else if (!IsFastPath(contentType, transfer, typeIndex >= 0))
        {
            var bytes = MailBodyDecoder.Decode(input, headers, bodyOffset, end, diagnostics);
            if (bytes is not null)
            {
                body = bytes;
                decoded = true;
            }
        }
        else if (Unflowed(contentType, headers, typeIndex, diagnostics, ref body))
        {
            decoded = true;
        }

        return new MailDocument
        {
            Span = content,
            Headers = headers,
            From = from,
            OriginalFrom = from is null ? null : RecoverOriginalFrom(headers, from, diagnostics),
            Date = date,
            MessageId = MailMessageId.Normalize(RawOf(headers, "Message-ID"u8)),
            InReplyTo = MailMessageId.Normalize(RawOf(headers, "In-Reply-To"u8)),
            References = MailMessageId.ParseList(RawOf(headers, "References"u8)),
            Subject = subject,
            ListId = listId,
            ContentType = contentType,
            ContentTransferEncoding = transfer,
            Body = body,
            BodyOffset = bodyOffset,
            IsBodyDecoded = decoded,
            Diagnostics = diagnostics.ToImmutableAndClear(),
        };
    }

    // Undoes format=flowed when the Content-Type says so (KP0214). A method of its own, never inlined: written inline in
    // Parse, the branch grew Parse's optimized code (8.4 -> 9.1 KB) and the 1 GB stream's peak working set by 1.3-1.7 MiB
    // (66.1-66.3 -> 67.6-67.8 MiB over five runs each), though no generated message is flowed.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool Unflowed(MailContentType contentType, MailHeaderList headers, int typeIndex, DiagnosticBag diagnostics, ref ReadOnlyMemory<byte> body)
    {
        if (!MailFlowedText.IsFlowed(contentType, out bool delSp))
        {
            return false;
        }

        body = MailFlowedText.Unflow(body.Span, delSp, out int joined, out int unstuffed);
        MailFlowedText.Report(diagnostics, joined, unstuffed, headers.GetSpan(typeIndex).Offset);
        return true;
    }

    private static bool IsFastPath(MailContentType type, string? transfer, bool hasType)
    {
        if (transfer is not null && !transfer.Equals("7bit", StringComparison.OrdinalIgnoreCase)
            && !transfer.Equals("8bit", StringComparison.OrdinalIgnoreCase) && !transfer.Equals("binary", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!hasType)
        {
            return true;
        }

        if (!type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return MailContentType.IsUtf8(type.Charset);
    }

    // Ids are read from the raw bytes: no decoded string of the whole (often long) value is made.
    private static ReadOnlySpan<byte> RawOf(MailHeaderList headers, ReadOnlySpan<byte> name)
    {
        int index = headers.IndexOf(name);
        return index < 0 ? ReadOnlySpan<byte>.Empty : headers.GetRawValue(index).Span;
    }

    private static string? ValueOf(MailHeaderList headers, ReadOnlySpan<byte> name)
    {
        int index = headers.IndexOf(name);
        return index < 0 ? null : headers.DecodeAt(index, null);
    }

    private static MailIdentity? FirstIdentity(MailHeaderList headers, ReadOnlySpan<byte> name)
    {
        int index = headers.IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        return MailAddressParser.ParseFirst(headers.GetRawValue(index).Span);
    }

    private static MailIdentity? FindByName(MailHeaderList headers, ReadOnlySpan<byte> field, string name)
    {
        int index = headers.IndexOf(field);
        if (index < 0)
        {
            return null;
        }

        foreach (var candidate in MailAddressParser.ParseList(headers.GetRawValue(index).Span))
        {
            if (candidate.Email.Length > 0 && candidate.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Undoes the From rewriting of mailing lists (Mailman <c>Name via List</c>, Google Groups <c>'Name' via Group</c>)
    /// as patchwork does: <c>X-Original-From</c> first, else the Reply-To or Cc address whose name is the name before <c>via</c>.
    /// </summary>
    private static MailIdentity? RecoverOriginalFrom(MailHeaderList headers, MailIdentity from, DiagnosticBag diagnostics)
    {
        int via = from.Name.IndexOf(" via ", StringComparison.Ordinal);
        if (via <= 0)
        {
            return null;
        }

        var original = FirstIdentity(headers, "X-Original-From"u8);
        if (original is not null && original.Email.Length > 0)
        {
            return original;
        }

        string name = from.Name[..via].Trim().Trim('\'', '"').Trim();
        var found = FindByName(headers, "Reply-To"u8, name) ?? FindByName(headers, "Cc"u8, name);
        if (found is not null)
        {
            return found;
        }

        diagnostics.Info(MailDiagnosticCodes.ListRewroteFrom, "Expected the original sender of '" + from + "' in X-Original-From, Reply-To or Cc, found none.", headers.GetSpan(headers.IndexOf("From"u8)).Offset);
        return null;
    }
}
