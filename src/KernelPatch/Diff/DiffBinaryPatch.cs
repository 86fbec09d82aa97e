using KernelPatch.Text;

namespace KernelPatch.Diff;

/// <summary>
/// A <c>GIT binary patch</c>: the forward block (old to new) and the optional reverse block (new to old).
/// </summary>
public sealed record DiffBinaryPatch
{
    /// <summary>The block turning the old side into the new side.</summary>
    public required DiffBinaryBlock Forward { get; init; }

    /// <summary>The block turning the new side back into the old side; null when the patch has none.</summary>
    public DiffBinaryBlock? Reverse { get; init; }

    /// <summary>From the <c>GIT binary patch</c> line to the end of the last block.</summary>
    public SourceSpan Span { get; init; }

    /// <summary>Produces the new file from <paramref name="preimage"/> (the old file) with the forward block.</summary>
    /// <param name="preimage">The old file's bytes (ignored for a literal block).</param>
    /// <returns>The new file's bytes.</returns>
    /// <exception cref="PatchFormatException">The block does not decode, or the delta does not fit the pre-image (KP0506).</exception>
    public byte[] ApplyDelta(ReadOnlySpan<byte> preimage) => Apply(Forward, preimage);

    /// <summary>Produces the old file from <paramref name="postimage"/> (the new file) with the reverse block.</summary>
    /// <param name="postimage">The new file's bytes (ignored for a literal block).</param>
    /// <returns>The old file's bytes.</returns>
    /// <exception cref="PatchFormatException">There is no reverse block, or it does not decode or fit (KP0506).</exception>
    public byte[] ApplyReverse(ReadOnlySpan<byte> postimage)
    {
        if (Reverse is null)
        {
            throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, "Expected a reverse block in the binary patch, found none.", Span.Offset));
        }

        return Apply(Reverse, postimage);
    }

    private static byte[] Apply(DiffBinaryBlock block, ReadOnlySpan<byte> image)
    {
        byte[] data = block.Decode();
        if (block.Kind == DiffBinaryBlockKind.Literal)
        {
            return data;
        }

        byte[]? result = DiffDelta.Apply(data, image, out string? error);
        if (result is null)
        {
            throw new PatchFormatException(new PatchDiagnostic(DiffDiagnosticCodes.BadBinaryPatch, PatchDiagnosticSeverity.Error, error ?? "Invalid delta.", block.Span.Offset));
        }

        return result;
    }
}
