namespace KernelPatch.Text;

/// <summary>
/// A range of bytes in the parsed input: <see cref="Offset"/> is the byte position of the first
/// byte, <see cref="Length"/> the number of bytes; the end (<see cref="End"/>) is exclusive.
/// </summary>
/// <remarks>
/// Every record keeps the span it was parsed from, so an unmodified record can be written back
/// byte for byte. Offsets are relative to the start of the whole input given to the parser.
/// </remarks>
/// <param name="Offset">Byte position of the first byte in the input.</param>
/// <param name="Length">Number of bytes.</param>
public readonly record struct SourceSpan(int Offset, int Length)
{
    /// <summary>The empty span at offset 0.</summary>
    public static SourceSpan Empty => default;

    /// <summary>Byte position just past the last byte (exclusive end).</summary>
    public int End => Offset + Length;

    /// <summary>Whether the span covers no byte.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>Creates the span from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    /// <param name="start">First byte position.</param>
    /// <param name="end">Exclusive end position; must not be before <paramref name="start"/>.</param>
    public static SourceSpan FromBounds(int start, int end) => new(start, end - start);

    /// <summary>Whether <paramref name="offset"/> lies inside this span.</summary>
    /// <param name="offset">A byte position in the input.</param>
    public bool Contains(int offset) => offset >= Offset && offset < End;

    /// <summary>Returns the bytes of this span within <paramref name="input"/>.</summary>
    /// <param name="input">The whole input the span refers to.</param>
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> input) => input.Slice(Offset, Length);

    /// <summary>Returns the bytes of this span within <paramref name="input"/>.</summary>
    /// <param name="input">The whole input the span refers to.</param>
    public ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> input) => input.Slice(Offset, Length);

    /// <inheritdoc/>
    public override string ToString() => $"[{Offset}..{End})";
}
