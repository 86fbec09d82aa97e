using System.Collections.Immutable;
using KernelPatch.Text;

namespace KernelPatch.Mailbox;

/// <summary>
/// Splits an in-memory container (mbox, mboxrd, digest, single message, bare diff) into message byte ranges
/// without copying message bytes. Line classification and state live in <see cref="MailboxScanner"/>.
/// </summary>
internal static class MailboxSplitter
{
    /// <summary>Lines looked at by <see cref="Detect"/> before it gives up on finding a non-blank line.</summary>
    private const int DetectMaxLines = 1000;

    /// <summary>
    /// The separator line public-inbox (lore.kernel.org and every other public-inbox archive) writes before each message of
    /// its mbox downloads, whose body lines are mboxrd-quoted; b4 reads them with <c>git mailsplit --mboxrd</c>.
    /// </summary>
    private static ReadOnlySpan<byte> PublicInboxFromLine => "From mboxrd@z Thu Jan  1 00:00:00 1970"u8;

    /// <summary>
    /// Detects the container format from the first non-blank line: a Markdown heading (<c>##</c> or deeper) or fence means a digest,
    /// public-inbox's <c>From mboxrd@z Thu Jan  1 00:00:00 1970</c> an mboxrd, any other <c>From </c> line an mbox (mboxo),
    /// a <c>commit &lt;id&gt;</c> line <c>git log</c> output, <c># HG changeset patch</c> <c>hg export</c> output, a header field a
    /// single message, anything else a bare diff.
    /// </summary>
    public static PatchInputFormat Detect(ReadOnlySpan<byte> input)
    {
        int pos = 0;
        for (int n = 0; n < DetectMaxLines && pos < input.Length; n++)
        {
            int nl = input[pos..].IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = nl < 0 ? input[pos..] : input.Slice(pos, nl + 1);
            pos += line.Length;
            ReadOnlySpan<byte> text = Utf8Lines.TrimEol(line);
            if (MailboxLines.IsBlank(text))
            {
                continue;
            }

            if (text.StartsWith("##"u8) || MailboxLines.IsFenceOpen(text)) // "# HG changeset patch" is no heading
            {
                return PatchInputFormat.Digest;
            }

            if (text.StartsWith("From "u8))
            {
                return text.SequenceEqual(PublicInboxFromLine) ? PatchInputFormat.Mboxrd : PatchInputFormat.Mbox;
            }

            if (MailboxLines.IsGitLogCommitLine(text))
            {
                return PatchInputFormat.GitLog;
            }

            if (MailboxLines.IsHgChangesetLine(text))
            {
                return PatchInputFormat.HgExport;
            }

            if (text.StartsWith("Index: "u8))
            {
                return PatchInputFormat.Diff; // svn/cvs diff header, shaped like a header field
            }

            return MailboxLines.IsHeaderField(text) ? PatchInputFormat.Message : PatchInputFormat.Diff;
        }

        return PatchInputFormat.Message;
    }

    /// <summary>The format named in the options, for bytes or a stream: <see cref="PatchInputFormat.Maildir"/> (a folder's
    /// format) reads them as the one message a maildir file is.</summary>
    internal static PatchInputFormat Given(PatchInputFormat format) => format == PatchInputFormat.Maildir ? PatchInputFormat.Message : format;

    /// <summary>
    /// Finds every message of <paramref name="input"/>. For <see cref="PatchInputFormat.Diff"/> input it returns one entry
    /// covering the input; for a single message one entry. Never copies message bytes.
    /// </summary>
    public static ImmutableArray<MailboxEntry> Split(ReadOnlyMemory<byte> input, PatchParseOptions options, DiagnosticBag diagnostics)
    {
        var entries = ImmutableArray.CreateBuilder<MailboxEntry>();
        Split(input, options, diagnostics, entries.Add);
        return entries.DrainToImmutable();
    }

    /// <summary>
    /// Like <see cref="Split(ReadOnlyMemory{byte}, PatchParseOptions, DiagnosticBag)"/>, but hands the entries to
    /// <paramref name="sink"/> in order, <see cref="DrainBatch"/> at a time as they are found, so a caller can parse
    /// messages while their bytes are still in the cache and no list of every entry is made.
    /// </summary>
    public static void Split(ReadOnlyMemory<byte> input, PatchParseOptions options, DiagnosticBag diagnostics, Action<MailboxEntry> sink)
    {
        ReadOnlySpan<byte> span = input.Span;
        var format = options.Format == PatchInputFormat.Auto ? Detect(span) : Given(options.Format);
        var scanner = new MailboxScanner(format, diagnostics);
        var output = new List<MailboxEntry>();
        int pos = 0;
        while (pos < span.Length)
        {
            if (scanner.SkipsToFromLines)
            {
                // Body lines of an open mbox message cannot change the scanner's state: jump to the next "From "
                // (or quoted ">From " while an mboxrd message may still need unquoting).
                int next = MailboxScanner.NextFromCandidate(span, pos, pos, scanner.WantsQuotedFromLines);
                if (next < 0)
                {
                    break;
                }

                pos = next;
            }

            int nl = span[pos..].IndexOf((byte)'\n');
            int length = nl < 0 ? span.Length - pos : nl + 1;
            scanner.Line(pos, span.Slice(pos, length), output);
            pos += length;
            if (scanner.TakesTheRest)
            {
                break; // one message or diff to the end: its lines were a tenth of the parse of a mail on its own
            }

            if (output.Count >= DrainBatch)
            {
                Drain(output, sink);
                span = input.Span; // the sink may have run anything; a span is not kept across it
            }
        }

        scanner.Finish(span.Length, output);
        Drain(output, sink);
    }

    // Entries handed on together: splitting a run of messages and then parsing them measured faster than alternating
    // message by message (2,000 generated replies: 3-6% of the parse), and the list stays a few KB.
    private const int DrainBatch = 64;

    private static void Drain(List<MailboxEntry> output, Action<MailboxEntry> sink)
    {
        foreach (var entry in output)
        {
            sink(entry);
        }

        output.Clear();
    }

    /// <summary>
    /// Returns the content bytes (headers and body) of <paramref name="entry"/>: a slice of <paramref name="input"/>,
    /// or for an mboxrd entry with quoted <c>&gt;From </c> lines a copy with one <c>&gt;</c> removed from each.
    /// </summary>
    public static ReadOnlyMemory<byte> GetContent(ReadOnlyMemory<byte> input, in MailboxEntry entry)
    {
        var content = entry.Content.Slice(input);
        return entry.NeedsUnquoting ? Unquote(content.Span) : content;
    }

    private static byte[] Unquote(ReadOnlySpan<byte> content)
    {
        var result = new byte[content.Length];
        int written = 0;
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int length = nl < 0 ? content.Length - pos : nl + 1;
            var line = content.Slice(pos, length);
            if (MailboxLines.IsQuotedFrom(line))
            {
                line = line[1..];
            }

            line.CopyTo(result.AsSpan(written));
            written += line.Length;
            pos += length;
        }

        return result.AsSpan(0, written).ToArray();
    }
}
