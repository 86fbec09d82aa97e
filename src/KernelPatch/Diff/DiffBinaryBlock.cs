using System.IO.Compression;
using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// One block of a <c>GIT binary patch</c>: a <c>literal N</c> or <c>delta N</c> line, base85 data lines
/// (first byte = bytes on the line, <c>A</c>–<c>Z</c> 1–26, <c>a</c>–<c>z</c> 27–52) and the empty line closing it.
/// </summary>
public sealed record DiffBinaryBlock
{
    /// <summary>The whole input the spans refer to.</summary>
    public ReadOnlyMemory<byte> Source { get; init; }

    /// <summary>Literal data or a delta.</summary>
    public DiffBinaryBlockKind Kind { get; init; }

    /// <summary>The size in bytes declared on the block line: the inflated literal or delta data.</summary>
    public long Size { get; init; }

    /// <summary>The block: its <c>literal</c>/<c>delta</c> line, the data lines and the closing empty line.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>The base85 data lines only.</summary>
    public SourceSpan DataSpan { get; init; }

    /// <summary>Decodes the base85 lines to the deflated (zlib) bytes.</summary>
    /// <returns>The compressed bytes.</returns>
    /// <exception cref="PatchFormatException">A data line is not valid base85 (KP0506).</exception>
    public byte[] DecodeCompressed()
    {
        ReadOnlySpan<byte> s = Source.Span;
        int pos = DataSpan.Offset;
        int end = DataSpan.End;
        int total = 0;
        while (pos < end)
        {
            int next = DiffScan.NextLine(s, pos, end);
            total += DiffBase85.LineByteCount(s[pos]);
            pos = next;
        }

        var result = new byte[Math.Max(total, 0)];
        pos = DataSpan.Offset;
        int written = 0;
        while (pos < end)
        {
            int next = DiffScan.NextLine(s, pos, end);
            ReadOnlySpan<byte> line = Utf8Lines.TrimEol(s[pos..next]);
            int count = DiffBase85.LineByteCount(line[0]);
            if (count <= 0 || !DiffBase85.TryDecode(line[1..], result.AsSpan(written, count)))
            {
                throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, "Expected a base85 line of a GIT binary patch, found a line that does not decode.", pos));
            }

            written += count;
            pos = next;
        }

        return result;
    }

    /// <summary>Decodes and inflates the block: the file bytes for a literal, the delta instruction stream for a delta.</summary>
    /// <remarks>
    /// Inflating stops one buffer past <see cref="Size"/>, so memory follows the declared size, which the mail chooses:
    /// zlib can expand a megabyte of patch a thousandfold. Check <see cref="Size"/> against your own limit before decoding
    /// untrusted mail.
    /// </remarks>
    /// <returns>The inflated bytes, exactly <see cref="Size"/> long.</returns>
    /// <exception cref="PatchFormatException">The data does not decode or inflate to <see cref="Size"/> bytes (KP0506).</exception>
    public byte[] Decode()
    {
        byte[] compressed = DecodeCompressed();
        try
        {
            using var input = new MemoryStream(compressed, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            var output = new MemoryStream();
            var buffer = new byte[16384];
            int read;
            while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > Size)
                {
                    break;
                }
            }

            if (output.Length != Size)
            {
                throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, $"Expected {Size} bytes after inflating the binary block, found {output.Length}.", Span.Offset));
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, "Expected zlib data in the binary block, found data that does not inflate: " + ex.Message, Span.Offset));
        }
    }

    /// <summary>
    /// Decodes a delta block into its instruction stream (git <c>patch-delta.c</c>): the declared pre-image and
    /// post-image sizes and the copy/insert instructions; insert offsets point into <paramref name="delta"/>.
    /// </summary>
    /// <param name="delta">Receives the decoded delta bytes (<see cref="Decode"/>), which insert instructions refer to.</param>
    /// <param name="sourceSize">The pre-image size the delta expects.</param>
    /// <param name="targetSize">The post-image size the delta produces.</param>
    /// <returns>The instructions in order.</returns>
    /// <exception cref="PatchFormatException">This is a literal block, or the delta does not decode (KP0506).</exception>
    public System.Collections.Immutable.ImmutableArray<DiffDeltaInstruction> GetDeltaInstructions(out byte[] delta, out long sourceSize, out long targetSize)
    {
        if (Kind != DiffBinaryBlockKind.Delta)
        {
            throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, "Expected a delta block, found a literal block.", Span.Offset));
        }

        delta = Decode();
        var instructions = DiffDelta.Read(delta, out sourceSize, out targetSize, out string? error);
        if (instructions is null)
        {
            throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, error ?? "Invalid delta.", Span.Offset));
        }

        return [.. instructions];
    }

    /// <summary>Value equality: the same source bytes at the same offsets and the same parsed values; caches are ignored.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether both describe the same part of equal input the same way.</returns>
    public bool Equals(DiffBinaryBlock? other) =>
        other is not null && Kind == other.Kind && Size == other.Size && DataSpan == other.DataSpan && DiffScan.SameBytes(Source, Span, other.Source, other.Span);

    /// <summary>A hash consistent with <see cref="Equals(DiffBinaryBlock?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Span, Kind, Size);

    /// <summary>The exact source bytes of the block.</summary>
    /// <returns>The block as text.</returns>
    public override string ToString() => DiffScan.Text(Span.Slice(Source.Span));
}
