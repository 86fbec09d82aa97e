namespace KernelPatch;

/// <summary>
/// A problem found while parsing: a stable code (<c>KP</c> + 4 digits, grouped by pipeline stage),
/// a severity, a human-readable message, and the byte offset in the input where it was found.
/// </summary>
/// <remarks>
/// Codes are listed in <c>docs/diagnostics.md</c>. The first two digits name the stage:
/// 01 mailbox, 02 mail headers, 03 subject, 04 commit message, 05 diff, 06 series.
/// </remarks>
/// <param name="Code">Stable identifier such as <c>KP0501</c>.</param>
/// <param name="Severity">How serious the problem is.</param>
/// <param name="Message">What was expected, what was found.</param>
/// <param name="Offset">
/// Byte offset in the whole input where the problem was found. On a message from <see cref="PatchMailbox.Read(Stream, PatchParseOptions?)"/> it
/// counts from the message's first byte (add <see cref="PatchMessage.SourceOffset"/>). Inside a body that was decoded
/// (quoted-printable, base64) or unquoted (mboxrd) it is where the body starts plus the position in the decoded text,
/// so it lands in the right message near the place, not on the exact byte.
/// </param>
public readonly record struct PatchDiagnostic(string Code, PatchDiagnosticSeverity Severity, string Message, int Offset)
{
    /// <summary>Computes the 1-based line and column (in bytes) of <see cref="Offset"/> within <paramref name="input"/>.</summary>
    /// <param name="input">The whole input the diagnostic refers to.</param>
    /// <returns>The 1-based line number and 1-based byte column.</returns>
    public (int LineNumber, int ColumnNumber) GetLineColumn(ReadOnlySpan<byte> input)
    {
        int offset = Math.Clamp(Offset, 0, input.Length);
        ReadOnlySpan<byte> before = input[..offset];
        int line = before.Count((byte)'\n') + 1;
        int lastNewline = before.LastIndexOf((byte)'\n');
        return (line, offset - lastNewline);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Severity.ToString().ToLowerInvariant()} at offset {Offset}: {Message}";
}
