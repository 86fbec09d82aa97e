using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using KernelPatch.Mail;
using KernelPatch.Subject;
using KernelPatch.Text;

namespace KernelPatch.Commit;

// Invariants of the body parser (it follows git mailinfo.c handle_commit_msg / check_inbody_header /
// patchbreak, and git am): every pass walks the body's lines forward once with IndexOf('\n') (the
// trailer pass walks the last paragraph backward once), so the cost is linear in the body size.
// Strings are made once per record or per trailer/diffstat line, never per scanned line.
public sealed partial record CommitMessage
{
    private const int HeaderFrom = 0;
    private const int HeaderSubject = 1;
    private const int HeaderDate = 2;

    /// <summary>Parses the decoded body of one patch mail.</summary>
    /// <param name="body">The body bytes (UTF-8, transfer encoding already undone), offsets counted from 0.</param>
    /// <param name="subject">The mail's decoded, unfolded Subject header.</param>
    /// <param name="from">The mail's From (author unless an in-body From: overrides it).</param>
    /// <param name="date">The mail's Date (unless an in-body Date: overrides it).</param>
    /// <param name="options">Parse options; <see cref="PatchParseOptions.Default"/> when null.</param>
    /// <returns>The commit message; never null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subject"/> is null.</exception>
    /// <exception cref="PatchFormatException">Strict mode and an error diagnostic was found.</exception>
    public static CommitMessage Parse(ReadOnlyMemory<byte> body, string subject, MailIdentity? from = null, DateTimeOffset? date = null, PatchParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return Parse(body, 0, subject, from, date, new DiagnosticBag(options));
    }

    /// <summary>
    /// Parses a body whose first byte is at absolute input offset <paramref name="bodyOffset"/>. A <paramref name="verbatimEnd"/>
    /// of 0 or more marks a commit of git log output, whose message git delimits itself: the lines that start before it
    /// are commit message whatever they look like (no in-body header, scissors or patch break), and a diffstat with no
    /// diff after it is <c>git log --stat</c>, not a mail cut short. -1 (the default) is mail.
    /// </summary>
    internal static CommitMessage Parse(ReadOnlyMemory<byte> body, int bodyOffset, string subject, MailIdentity? from, DateTimeOffset? date, DiagnosticBag diagnostics, int verbatimEnd = -1)
    {
        ReadOnlySpan<byte> b = body.Span;
        bool useScissors = diagnostics.Options.Scissors;
        var inBody = default(InBodyValues); // on the stack: no arrays per message
        Span<int> inBodyOffset = stackalloc int[3];

        // Pass 1: in-body headers, scissors, commit message and the patch break (mailinfo handle_commit_msg).
        bool headerStage = true;
        int accStart = -1;
        int accEnd = -1;
        int accKind = -1;
        int msgStart = -1;
        int msgEnd = -1;
        int breakPos = -1;
        SourceSpan? scissors = null;
        bool scissorsApplied = false;
        int pos = 0;
        var lines = new NewlineCursor(b, b.Length);
        while (pos < b.Length)
        {
            if (!headerStage && pos >= verbatimEnd)
            {
                // In the message body a line matters here only when it may be a patch break or a scissors line:
                // jump over the others, which are message text, with one vectorised search.
                int candidate = NextBodyCandidate(b, pos);
                if (candidate > pos)
                {
                    msgStart = msgStart < 0 ? pos : msgStart;
                    msgEnd = candidate;
                    pos = candidate;
                    if (pos >= b.Length)
                    {
                        break;
                    }
                }
            }

            int le = lines.LineEnd(pos, out int next);
            bool hasNewline = le < b.Length;
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            if (pos < verbatimEnd)
            {
                headerStage = false;
                msgStart = msgStart < 0 ? pos : msgStart;
                msgEnd = next;
                pos = next;
                continue;
            }

            if (headerStage)
            {
                if (line.IsEmpty)
                {
                    if (accStart >= 0)
                    {
                        Flush(b, ref accStart, accEnd, accKind, inBody, inBodyOffset);
                        headerStage = false;
                    }

                    pos = next;
                    continue;
                }

                // check_inbody_header
                bool isHeader;
                if (accStart >= 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t'))
                {
                    if (useScissors && ScissorsLine.IsScissors(line, hasNewline))
                    {
                        Flush(b, ref accStart, accEnd, accKind, inBody, inBodyOffset);
                        isHeader = false;
                    }
                    else
                    {
                        accEnd = pos + line.Length;
                        isHeader = true;
                    }
                }
                else
                {
                    Flush(b, ref accStart, accEnd, accKind, inBody, inBodyOffset);
                    if (line.StartsWith(">From"u8) && (line.Length == 5 ? hasNewline : ByteLines.IsSpace(line[5])))
                    {
                        isHeader = IsFormatPatchSeparator(line[1..]);
                    }
                    else if (line.StartsWith("[PATCH]"u8) && (line.Length == 7 ? hasNewline : ByteLines.IsSpace(line[7])))
                    {
                        inBody[HeaderSubject] = Encoding.UTF8.GetString(line);
                        inBodyOffset[HeaderSubject] = pos;
                        isHeader = true;
                    }
                    else
                    {
                        int headerKind = InBodyHeaderKind(line, inBody);
                        if (headerKind >= 0)
                        {
                            accStart = pos;
                            accEnd = pos + line.Length;
                            accKind = headerKind;
                            isHeader = true;
                        }
                        else
                        {
                            isHeader = false;
                        }
                    }
                }

                headerStage = isHeader;
                if (headerStage)
                {
                    pos = next;
                    continue;
                }
            }

            if (ScissorsLine.IsScissors(line, hasNewline))
            {
                scissors = new SourceSpan(bodyOffset + pos, line.Length);
                diagnostics.Info(CommitDiagnosticCodes.ScissorsFound, useScissors
                    ? "Found a scissors line; the text above it was dropped (scissors option on)."
                    : "Found a scissors line; it was kept as message text (scissors option off, as in git).", bodyOffset + pos);
                if (useScissors)
                {
                    scissorsApplied = true;
                    msgStart = -1;
                    msgEnd = -1;
                    headerStage = true;
                    accStart = -1;
                    inBody = default;
                    pos = next;
                    continue;
                }
            }

            if (IsPatchBreak(line, hasNewline))
            {
                breakPos = pos;
                break;
            }

            if (msgStart < 0)
            {
                msgStart = pos;
            }

            msgEnd = next;
            pos = next;
        }

        if (accStart >= 0)
        {
            Flush(b, ref accStart, accEnd, accKind, inBody, inBodyOffset);
        }

        if (msgStart < 0)
        {
            msgStart = breakPos >= 0 ? breakPos : b.Length;
            msgEnd = msgStart;
        }

        // git uses in-body headers only when the mail has a patch part (mi->patch_lines).
        bool hasPatchPart = breakPos >= 0;
        MailIdentity? author = IdentityParser.Sane(from);
        DateTimeOffset? effectiveDate = date;
        string effectiveSubject = subject;
        if (hasPatchPart)
        {
            if (inBody[HeaderFrom] is string f)
            {
                // The in-body From replaces the mail's whatever it holds, as in git mailinfo and b4: without an address
                // there is no author (git am then refuses the patch).
                author = IdentityParser.Sane(IdentityParser.Parse(f) ?? IdentityParser.ParseBracketed(f));
                if (author is null)
                {
                    diagnostics.Warning(CommitDiagnosticCodes.InBodyFromInvalid, $"Expected an address in the in-body From: line; found '{f}'. It replaces the mail's From, so the patch has no author (git am refuses it).", bodyOffset + inBodyOffset[HeaderFrom]);
                }
            }

            if (inBody[HeaderDate] is string d)
            {
                // As with From, the in-body line replaces the mail's whatever it holds (git mailinfo, b4); git am then
                // stops at a date its parser does not take, which is MailDate's.
                if (MailDate.TryParse(d, out DateTimeOffset parsedDate))
                {
                    effectiveDate = parsedDate;
                }
                else
                {
                    effectiveDate = null;
                    diagnostics.Warning(CommitDiagnosticCodes.InBodyDateInvalid, $"Expected a date in the in-body Date: line; found '{d}'. It replaces the mail's Date, so the patch has no date (git am refuses it).", bodyOffset + inBodyOffset[HeaderDate]);
                }
            }

            if (inBody[HeaderSubject] is string s)
            {
                effectiveSubject = s;
            }
        }

        SubjectLine subjectLine = SubjectLine.Parse(effectiveSubject, diagnostics, bodyOffset);

        // Pass 2: the patch part: separator, diff start.
        int notesStart = -1;
        int diffStart = -1;
        if (breakPos >= 0)
        {
            int le = ByteLines.LineEnd(b, breakPos, out int afterBreak);
            ReadOnlySpan<byte> breakLine = ByteLines.Content(b, breakPos, le);
            if (breakLine.StartsWith("---"u8) && ByteLines.IsBlank(breakLine[3..]))
            {
                notesStart = afterBreak;
                diffStart = FindDiffStart(b, afterBreak);
            }
            else
            {
                diffStart = breakPos;
            }
        }

        // Pass 3: whole-body line facts: signature, series metadata, pull request.
        int signatureLine = -1;
        int signatureNext = -1;
        int metaStart = -1;
        string? baseCommit = null;
        string? changeId = null;
        ImmutableArray<string>.Builder? prerequisites = null;
        PullRequestBuilder pull = default;
        pos = 0;
        while (pos < b.Length)
        {
            // Inside the diff only four kinds of line matter here, and before it only those and the first
            // line of a pull request ("The following changes...") until one starts: jump from one candidate
            // to the next with one vectorised search instead of visiting every line.
            if ((diffStart >= 0 && pos > diffStart) || !pull.Started)
            {
                pos = NextMarkerLine(b, pos, pullStart: !pull.Started && (diffStart < 0 || pos < diffStart));
                if (pos >= b.Length)
                {
                    break;
                }
            }

            int le = ByteLines.LineEnd(b, pos, out int next);
            ReadOnlySpan<byte> line = ByteLines.Content(b, pos, le);
            if (line.SequenceEqual("-- "u8))
            {
                signatureLine = pos;
                signatureNext = next;
            }
            else if (line.StartsWith("base-commit: "u8))
            {
                baseCommit ??= StringPool.Get(ByteLines.Trim(line["base-commit: "u8.Length..])); // shared by a series
                metaStart = MetaStart(metaStart, pos, diffStart);
            }
            else if (line.StartsWith("change-id: "u8))
            {
                changeId ??= ByteLines.DecodeTrimmed(line["change-id: "u8.Length..]);
                metaStart = MetaStart(metaStart, pos, diffStart);
            }
            else if (line.StartsWith("prerequisite-patch-id: "u8))
            {
                (prerequisites ??= ImmutableArray.CreateBuilder<string>()).Add(ByteLines.DecodeTrimmed(line["prerequisite-patch-id: "u8.Length..]));
                metaStart = MetaStart(metaStart, pos, diffStart);
            }
            else if (diffStart < 0 || pos < diffStart)
            {
                pull.Observe(pos, line);
            }

            pos = next;
        }

        string? signature = null;
        if (signatureLine >= 0 && (diffStart < 0 || signatureLine > diffStart))
        {
            signature = StringPool.Get(ByteLines.Trim(b[signatureNext..])); // "2.43.0": the same in nearly every mail
        }
        else
        {
            signatureLine = -1;
        }

        int patchEnd = b.Length;
        if (diffStart >= 0)
        {
            if (signatureLine > diffStart)
            {
                patchEnd = signatureLine;
            }

            if (metaStart > diffStart && metaStart < patchEnd)
            {
                // b4 writes a blank line and '---' between the diff and its base-commit/change-id lines: not the diff's.
                patchEnd = metaStart;
                int dashes = StartOfDashLineBefore(b, diffStart, metaStart);
                if (dashes > diffStart + 1 && ByteLines.IsBlank(b[LineStartBefore(b, diffStart, dashes)..dashes]))
                {
                    patchEnd = dashes;
                }
            }
        }

        // Diffstat and notes: below '---' before the diff, or anywhere in a message without a patch part (cover letters)
        // or whose diff follows the message with no '---' (git request-pull -p: the diffstat ends the message).
        CommitDiffstat? diffstat = null;
        int statStart = -1;
        int regionStart = notesStart >= 0 ? notesStart : msgStart;
        int regionEnd = notesStart >= 0 ? (diffStart >= 0 ? diffStart : b.Length) : msgEnd;
        if (notesStart >= 0 && signatureLine >= notesStart && signatureLine < regionEnd)
        {
            regionEnd = signatureLine;
        }

        if (regionStart >= 0 && regionEnd > regionStart)
        {
            diffstat = DiffstatParser.Find(b, regionStart, regionEnd, bodyOffset, diagnostics, out statStart);
        }

        // The diffstat counts this message's diff when it sits below '---', or when only blank lines part it from the
        // diff (request-pull -p). A cover letter's series diffstat above an unindented interdiff does not.
        bool diffstatCountsPatch = diffstat is not null && diffStart >= 0
            && (notesStart >= 0 || ByteLines.IsBlank(b[Math.Min(diffstat.Span.End - bodyOffset, diffStart)..diffStart]));

        ReadOnlyMemory<byte>? rawNotes = null;
        ImmutableArray<NotesRevision> revisions = ImmutableArray<NotesRevision>.Empty;
        if (notesStart >= 0)
        {
            int notesEnd = statStart >= 0 ? statStart : regionEnd;
            if (statStart >= 0)
            {
                // b4 puts a second '---' between a single patch's cover text (its notes) and the diffstat.
                int dashes = StartOfDashLineBefore(b, notesStart, notesEnd);
                notesEnd = dashes >= 0 ? dashes : notesEnd;
            }

            if (metaStart >= notesStart && metaStart < notesEnd)
            {
                notesEnd = metaStart;
            }

            if (notesEnd > notesStart && !ByteLines.IsBlank(b[notesStart..notesEnd]))
            {
                rawNotes = TrimmedSlice(body, notesStart, notesEnd);
                revisions = NotesParser.Parse(b, notesStart, notesEnd, bodyOffset);
            }
        }

        // b4 writes a cover letter ([PATCH 0/N]) with '---', the shortlog and the series diffstat, and no diff: whole.
        if (notesStart >= 0 && diffstat is not null && diffStart < 0 && subjectLine.Index != 0 && verbatimEnd < 0)
        {
            diagnostics.Info(CommitDiagnosticCodes.DiffMissing, "Expected a diff after the diffstat; found the end of the mail (the mail was cut short).", bodyOffset + b.Length);
        }

        ImmutableArray<CommitTrailer> trailers = TrailerParser.Parse(b, msgStart, msgEnd, bodyOffset, diagnostics);
        PullRequest? pullRequest = pull.Build(bodyOffset, diagnostics);
        bool hasDiff = diffStart >= 0 && patchEnd > diffStart;
        MessageKind kind = DecideKind(subjectLine, hasDiff, diffstat, pullRequest);
        if (kind == MessageKind.Cover && rawNotes is null && revisions.IsEmpty)
        {
            revisions = NotesParser.Parse(b, msgStart, msgEnd, bodyOffset);
        }

        return new CommitMessage
        {
            Author = author,
            Date = effectiveDate,
            Subject = subjectLine,
            Title = subjectLine.Title,
            RawBody = body[msgStart..msgEnd],
            Trailers = trailers,
            RawNotes = rawNotes,
            Revisions = revisions,
            Diffstat = diffstat,
            DiffstatCountsPatch = diffstatCountsPatch,
            Scissors = scissors,
            ScissorsApplied = scissorsApplied,
            Signature = signature,
            Patch = hasDiff ? body[diffStart..patchEnd] : ReadOnlyMemory<byte>.Empty,
            PatchOffset = bodyOffset + (hasDiff ? diffStart : b.Length),
            HasDiff = hasDiff,
            BaseCommit = baseCommit,
            ChangeId = changeId,
            PrerequisitePatchIds = prerequisites?.ToImmutable() ?? ImmutableArray<string>.Empty,
            Pull = pullRequest,
            Kind = kind,
            Span = new SourceSpan(bodyOffset, b.Length),
            Diagnostics = diagnostics.ToImmutableAndClear(),
        };
    }

    /// <summary>Compares a declared diffstat with the files of the parsed diff; see <see cref="CommitDiffstat.CrossCheck"/>.</summary>
    internal static void CrossCheck(CommitDiffstat declared, ReadOnlySpan<DiffstatTarget> parsed, DiagnosticBag diagnostics) =>
        CommitDiffstat.CrossCheck(declared, parsed, diagnostics);

    private static MessageKind DecideKind(SubjectLine subject, bool hasDiff, CommitDiffstat? diffstat, PullRequest? pull)
    {
        if (pull is not null || subject.Tags.Contains("GIT PULL"))
        {
            return MessageKind.Pull;
        }

        if (subject.IsReply && !hasDiff)
        {
            return MessageKind.Reply;
        }

        if (subject.Index == 0)
        {
            return MessageKind.Cover;
        }

        if (hasDiff || subject.Index >= 1 || diffstat is not null)
        {
            return MessageKind.Patch;
        }

        return subject.HasPatchTag ? MessageKind.Cover : MessageKind.Other;
    }

    /// <summary>
    /// From a line start on, the start of the next line that may be a signature (<c>-- </c>) or a series-metadata line
    /// (<c>base-commit: </c>, <c>change-id: </c>, <c>prerequisite-patch-id: </c>): one that starts with <c>-- </c>,
    /// <c>ba</c>, <c>ch</c> or <c>pr</c>; <paramref name="b"/>'s length when none. One vectorised pass that looks for
    /// a line end followed by those bytes at once (a substring search per marker degrades on indented code, where a
    /// line end and a blank a few bytes later are everywhere). With <paramref name="pullStart"/>, lines that start with
    /// <c>Th</c> (a pull request's first line) are candidates too. The caller checks each candidate exactly.
    /// </summary>
    internal static int NextMarkerLine(ReadOnlySpan<byte> b, int pos, bool pullStart = false)
    {
        if (IsMarkerCandidate(b, pos, pullStart))
        {
            return pos;
        }

        int i = pos;
        ref byte start = ref MemoryMarshal.GetReference(b);
        if (Vector256.IsHardwareAccelerated)
        {
            var nl = Vector256.Create((byte)'\n');
            var dash = Vector256.Create((byte)'-');
            var blank = Vector256.Create((byte)' ');
            var lb = Vector256.Create((byte)'b');
            var la = Vector256.Create((byte)'a');
            var lc = Vector256.Create((byte)'c');
            var lh = Vector256.Create((byte)'h');
            var lp = Vector256.Create((byte)'p');
            var lr = Vector256.Create((byte)'r');
            var lt = Vector256.Create(pullStart ? (byte)'T' : (byte)0); // NUL NUL: a harmless non-match
            var lth = Vector256.Create(pullStart ? (byte)'h' : (byte)0);
            while (i + Vector256<byte>.Count + 3 <= b.Length)
            {
                var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 1));
                var v2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 2));
                var v3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 3));
                var hit = Vector256.Equals(v0, nl)
                    & ((Vector256.Equals(v1, dash) & Vector256.Equals(v2, dash) & Vector256.Equals(v3, blank))
                       | (Vector256.Equals(v1, lb) & Vector256.Equals(v2, la))
                       | (Vector256.Equals(v1, lc) & Vector256.Equals(v2, lh))
                       | (Vector256.Equals(v1, lp) & Vector256.Equals(v2, lr))
                       | (Vector256.Equals(v1, lt) & Vector256.Equals(v2, lth)));
                uint mask = hit.ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask) + 1;
                }

                i += Vector256<byte>.Count;
            }
        }

        for (; i < b.Length; i++)
        {
            if (b[i] == (byte)'\n' && IsMarkerCandidate(b, i + 1, pullStart))
            {
                return i + 1;
            }
        }

        return b.Length;
    }

    /// <summary>
    /// The first line at or after <paramref name="pos"/> (a line start) that the body walk of pass 1 must read: one that
    /// starts with <c>---</c>, <c>dif</c> or <c>Ind</c> (a patch break is <c>---</c>, <c>diff -</c> or <c>Index: </c>),
    /// or that holds a scissors mark (<c>&gt;8</c>, <c>8&lt;</c>, <c>&gt;%</c>, <c>%&lt;</c>; a scissors line has one);
    /// <paramref name="b"/>'s length when none. The lines before it are message text, whatever else they hold.
    /// </summary>
    internal static int NextBodyCandidate(ReadOnlySpan<byte> b, int pos)
    {
        if (pos >= b.Length || StartsLikeBreak(b[pos..]))
        {
            return Math.Min(pos, b.Length);
        }

        int i = pos;
        ref byte start = ref MemoryMarshal.GetReference(b);
        if (Vector256.IsHardwareAccelerated)
        {
            var nl = Vector256.Create((byte)'\n');
            var dash = Vector256.Create((byte)'-');
            var ld = Vector256.Create((byte)'d');
            var li = Vector256.Create((byte)'i');
            var lf = Vector256.Create((byte)'f');
            var ui = Vector256.Create((byte)'I');
            var ln = Vector256.Create((byte)'n');
            var gt = Vector256.Create((byte)'>');
            var lt = Vector256.Create((byte)'<');
            var eight = Vector256.Create((byte)'8');
            var percent = Vector256.Create((byte)'%');
            while (i + Vector256<byte>.Count + 3 <= b.Length)
            {
                var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref start, (nuint)(i + 1));
                var v2 = Vector256.LoadUnsafe(ref start, (nuint)(i + 2));
                var v3 = Vector256.LoadUnsafe(ref start, (nuint)(i + 3));
                var breakLine = Vector256.Equals(v0, nl)
                    & ((Vector256.Equals(v1, dash) & Vector256.Equals(v2, dash) & Vector256.Equals(v3, dash))
                       | (Vector256.Equals(v1, ld) & Vector256.Equals(v2, li) & Vector256.Equals(v3, lf))
                       | (Vector256.Equals(v1, ui) & Vector256.Equals(v2, ln) & Vector256.Equals(v3, ld)));
                var v1Mark = Vector256.Equals(v1, eight) | Vector256.Equals(v1, percent);
                var v0Mark = Vector256.Equals(v0, eight) | Vector256.Equals(v0, percent);
                var mark = (Vector256.Equals(v0, gt) & v1Mark) | (v0Mark & Vector256.Equals(v1, lt));
                uint hits = (breakLine | mark).ExtractMostSignificantBits();
                if (hits != 0)
                {
                    int k = i + BitOperations.TrailingZeroCount(hits);
                    return b[k] == (byte)'\n' ? k + 1 : ByteLines.LineStart(b, pos, k);
                }

                i += Vector256<byte>.Count;
            }
        }

        for (; i < b.Length; i++)
        {
            if (b[i] == (byte)'\n' && StartsLikeBreak(b[(i + 1)..]))
            {
                return i + 1;
            }

            if (i + 1 < b.Length && ScissorsLine.IsMark(b[i], b[i + 1]))
            {
                return ByteLines.LineStart(b, pos, i);
            }
        }

        return b.Length;
    }

    private static bool StartsLikeBreak(ReadOnlySpan<byte> line) =>
        line.StartsWith("---"u8) || line.StartsWith("dif"u8) || line.StartsWith("Ind"u8);

    private static bool IsMarkerCandidate(ReadOnlySpan<byte> b, int pos, bool pullStart)
    {
        if (pos + 2 > b.Length)
        {
            return false;
        }

        byte x = b[pos];
        byte y = b[pos + 1];
        return (x == (byte)'-' && y == (byte)'-' && pos + 2 < b.Length && b[pos + 2] == (byte)' ')
            || (x == (byte)'b' && y == (byte)'a') || (x == (byte)'c' && y == (byte)'h') || (x == (byte)'p' && y == (byte)'r')
            || (pullStart && x == (byte)'T' && y == (byte)'h');
    }

    private static int MetaStart(int current, int pos, int diffStart) =>
        current < 0 || (diffStart >= 0 && current < diffStart && pos > diffStart) ? pos : current;

    /// <summary>The first line of a diff at or after <paramref name="pos"/>: <c>diff -</c>, <c>Index: </c>, or <c>--- </c> followed by <c>+++ </c>.</summary>
    internal static int FindDiffStart(ReadOnlySpan<byte> b, int pos)
    {
        bool previousMinus = false;
        int previousStart = -1;
        var lines = new NewlineCursor(b, b.Length);
        while (pos < b.Length)
        {
            int le = lines.LineEnd(pos, out int next);
            ReadOnlySpan<byte> line = b[pos..le];
            if (line.StartsWith("diff -"u8) || line.StartsWith("Index: "u8))
            {
                return pos;
            }

            if (previousMinus && line.StartsWith("+++ "u8))
            {
                return previousStart;
            }

            previousMinus = line.StartsWith("--- "u8);
            previousStart = pos;
            pos = next;
        }

        return -1;
    }

    /// <summary>git mailinfo <c>patchbreak</c>: <c>diff -</c>, <c>Index: </c>, <c>--- </c>+name, or <c>---</c> followed by white space only.</summary>
    internal static bool IsPatchBreak(ReadOnlySpan<byte> line, bool hasNewline)
    {
        if (line.StartsWith("diff -"u8) || line.StartsWith("Index: "u8))
        {
            return true;
        }

        int gitLength = line.Length + (hasNewline ? 1 : 0);
        if (gitLength < 4 || !line.StartsWith("---"u8))
        {
            return false;
        }

        if (line.Length > 3 && line[3] == (byte)' ' && (line.Length == 4 ? !hasNewline : !ByteLines.IsSpace(line[4])))
        {
            return true;
        }

        for (int i = 3; i < line.Length; i++)
        {
            if (!ByteLines.IsSpace(line[i]))
            {
                return false;
            }
        }

        // git sees the '\n' (or stops at the end of a line without one after white space only)
        return hasNewline;
    }

    /// <summary>git mailinfo <c>is_inbody_header</c>: From/Subject/Date (any case) followed by ':' and not yet seen.</summary>
    private static int InBodyHeaderKind(ReadOnlySpan<byte> line, ReadOnlySpan<string?> seen)
    {
        if (seen[HeaderFrom] is null && line.Length > 4 && Ascii.EqualsIgnoreCase(line[..4], "From"u8) && line[4] == (byte)':')
        {
            return HeaderFrom;
        }

        if (seen[HeaderSubject] is null && line.Length > 7 && Ascii.EqualsIgnoreCase(line[..7], "Subject"u8) && line[7] == (byte)':')
        {
            return HeaderSubject;
        }

        if (seen[HeaderDate] is null && line.Length > 4 && Ascii.EqualsIgnoreCase(line[..4], "Date"u8) && line[4] == (byte)':')
        {
            return HeaderDate;
        }

        return -1;
    }

    /// <summary>The in-body From:, Subject: and Date: values (indexed by HeaderFrom, HeaderSubject, HeaderDate).</summary>
    [System.Runtime.CompilerServices.InlineArray(3)]
    private struct InBodyValues
    {
        private string? _first;
    }

    private static void Flush(ReadOnlySpan<byte> b, ref int accStart, int accEnd, int accKind, Span<string?> values, Span<int> offsets)
    {
        if (accStart < 0)
        {
            return;
        }

        ReadOnlySpan<byte> raw = b[accStart..accEnd];
        int colon = raw.IndexOf((byte)':');
        var sb = new StringBuilder(raw.Length);
        string text = Encoding.UTF8.GetString(raw[(colon + 1)..]);
        foreach (char c in text)
        {
            if (c != '\n' && c != '\r')
            {
                sb.Append(c);
            }
        }

        values[accKind] = MailEncodedWords.Decode(sb.ToString().Trim());
        offsets[accKind] = accStart;
        accStart = -1;
    }

    /// <summary>git mailinfo <c>is_format_patch_separator</c>: <c>From &lt;40 hex&gt; Mon Sep 17 00:00:00 2001</c>.</summary>
    private static bool IsFormatPatchSeparator(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> tail = " Mon Sep 17 00:00:00 2001"u8;
        return line.Length == 5 + 40 + tail.Length && line.StartsWith("From "u8) && ByteLines.HexRun(line[5..]) == 40 && line[45..].SequenceEqual(tail);
    }

    /// <summary>Collects the <c>git request-pull</c> lines while the body is walked.</summary>
    private struct PullRequestBuilder
    {
        private int _start;
        private int _end;
        private string? _base;
        private string? _url;
        private string? _branch;
        private string? _endCommit;
        private bool _expectUrl;
        private bool _started;

        /// <summary>Whether a <c>The following changes since commit</c> line was seen (every later line then matters).</summary>
        public readonly bool Started => _started;

        public void Observe(int pos, ReadOnlySpan<byte> line)
        {
            if (line.StartsWith("The following changes since commit "u8))
            {
                ReadOnlySpan<byte> rest = line["The following changes since commit "u8.Length..];
                int n = ByteLines.HexRun(rest);
                if (n >= 7)
                {
                    _base = Encoding.ASCII.GetString(rest[..n]);
                    _start = pos;
                    _started = true;
                    _end = pos + line.Length;
                }

                return;
            }

            if (!_started)
            {
                return;
            }

            if (line.StartsWith("are available in the Git repository at"u8) || line.StartsWith("are available in the git repository at"u8))
            {
                _expectUrl = true;
                return;
            }

            if (_expectUrl && !ByteLines.IsBlank(line))
            {
                _expectUrl = false;
                ReadOnlySpan<byte> t = ByteLines.Trim(line);
                int sp = t.IndexOfAny((byte)' ', (byte)'\t');
                _url = Encoding.UTF8.GetString(sp < 0 ? t : t[..sp]);
                _branch = sp < 0 ? null : ByteLines.DecodeTrimmed(t[sp..]);
                _end = pos + line.Length;
                return;
            }

            if (line.StartsWith("for you to fetch changes up to "u8))
            {
                ReadOnlySpan<byte> rest = line["for you to fetch changes up to "u8.Length..];
                int n = ByteLines.HexRun(rest);
                if (n >= 7)
                {
                    _endCommit = Encoding.ASCII.GetString(rest[..n]);
                    _end = pos + line.Length;
                }
            }

        }

        public readonly PullRequest? Build(int baseOffset, DiagnosticBag diagnostics)
        {
            if (!_started)
            {
                return null;
            }

            if (_url is null || _endCommit is null)
            {
                diagnostics.Warning(CommitDiagnosticCodes.PullIncomplete, $"Expected a git request-pull message with a repository URL and an end commit; found {(_url is null ? "no URL" : "a URL")} and {(_endCommit is null ? "no end commit" : "an end commit")}.", baseOffset + _start);
            }

            return new PullRequest
            {
                BaseCommit = _base,
                RepositoryUrl = _url,
                Branch = _branch,
                EndCommit = _endCommit,
                Span = SourceSpan.FromBounds(baseOffset + _start, baseOffset + _end),
            };
        }
    }

    /// <summary>
    /// The start of the line just before <paramref name="end"/> (a line start) when that line is <c>---</c> (white
    /// space after it allowed) and starts at or after <paramref name="start"/>; -1 otherwise.
    /// </summary>
    private static int StartOfDashLineBefore(ReadOnlySpan<byte> b, int start, int end)
    {
        if (end - start < 4 || b[end - 1] != (byte)'\n')
        {
            return -1;
        }

        int lineStart = LineStartBefore(b, start, end);
        ReadOnlySpan<byte> line = b[lineStart..(end - 1)];
        return line.StartsWith("---"u8) && ByteLines.IsBlank(line[3..]) ? lineStart : -1;
    }

    /// <summary>The start of the line that ends just before <paramref name="end"/> (a line start), not before <paramref name="start"/>.</summary>
    private static int LineStartBefore(ReadOnlySpan<byte> b, int start, int end) => ByteLines.LineStart(b, start, end - 1);

    private static ReadOnlyMemory<byte> TrimmedSlice(ReadOnlyMemory<byte> body, int start, int end)
    {
        var (a, e) = ByteLines.TrimBounds(body.Span[start..end]);
        return body.Slice(start + a, e - a);
    }
}
