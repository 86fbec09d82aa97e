namespace KernelPatch.Diff;

/// <summary>
/// One instruction of a git binary delta: copy <see cref="Length"/> bytes from the pre-image at
/// <see cref="SourceOffset"/>, or insert <see cref="Length"/> literal bytes found in the delta at <see cref="DataOffset"/>.
/// </summary>
/// <param name="IsCopy">True for a copy from the pre-image, false for an insert of literal bytes.</param>
/// <param name="SourceOffset">For a copy: byte position in the pre-image; 0 for an insert.</param>
/// <param name="Length">Bytes copied or inserted.</param>
/// <param name="DataOffset">For an insert: byte position of the literal bytes in the decoded delta; -1 for a copy.</param>
public readonly record struct DiffDeltaInstruction(bool IsCopy, long SourceOffset, int Length, int DataOffset);
