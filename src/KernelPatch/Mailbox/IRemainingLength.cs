namespace KernelPatch.Mailbox;

/// <summary>
/// A stream that cannot seek but can say how many bytes it has left: the plain-input wrapper of a seekable stream
/// (<see cref="CompressedInput"/>), which gives back the bytes it read to tell gzip from plain input.
/// </summary>
internal interface IRemainingLength
{
    /// <summary>Bytes left to read; -1 when unknown.</summary>
    long Remaining { get; }
}
