namespace KernelPatch.Mailbox;

/// <summary>
/// A stream that can give again bytes it has already given: the plain-input wrapper of a seekable stream
/// (<see cref="CompressedInput"/>). The stream reader uses it to let go of the middle of a large message while it looks
/// for the message's end, and to read the message, once its length is known, straight into an array of that length.
/// </summary>
internal interface IRereadable
{
    /// <summary>Whether <see cref="ReadAgain"/> works (the stream underneath can seek).</summary>
    bool CanReread { get; }

    /// <summary>
    /// Fills <paramref name="into"/> with the bytes given before from <paramref name="offset"/> on (counted from the
    /// first byte this stream gave), and leaves the stream where it was.
    /// </summary>
    /// <exception cref="IOException">The stream no longer holds those bytes (it was cut short after they were read).</exception>
    void ReadAgain(long offset, Span<byte> into);

    /// <summary>As <see cref="ReadAgain"/>, reading asynchronously.</summary>
    /// <exception cref="IOException">The stream no longer holds those bytes.</exception>
    ValueTask ReadAgainAsync(long offset, Memory<byte> into, CancellationToken cancellationToken);
}
