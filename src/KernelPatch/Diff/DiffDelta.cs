namespace KernelPatch.Diff;

/// <summary>
/// git's binary delta format (<c>patch-delta.c</c>): two varint sizes (source, target), then instructions:
/// a byte with the high bit set copies from the source (offset and size bytes selected by its low bits; size 0 means 0x10000),
/// a byte 1–127 inserts that many following literal bytes, 0 is reserved.
/// </summary>
internal static class DiffDelta
{
    /// <summary>Applies <paramref name="delta"/> to <paramref name="source"/>; null with an error message when it does not fit.</summary>
    /// <remarks>
    /// The header may claim any target size: the instructions are read and checked first (each copy against the
    /// pre-image), and the target is allocated only when what they produce is exactly the size claimed.
    /// </remarks>
    public static byte[]? Apply(ReadOnlySpan<byte> delta, ReadOnlySpan<byte> source, out string? error)
    {
        var instructions = Read(delta, out long sourceSize, out long targetSize, out error);
        if (instructions is null)
        {
            return null;
        }

        if (sourceSize != source.Length)
        {
            error = $"Expected a pre-image of {sourceSize} bytes for the delta, found {source.Length}.";
            return null;
        }

        long produced = 0;
        foreach (var instruction in instructions)
        {
            if (instruction.IsCopy && instruction.SourceOffset + instruction.Length > source.Length)
            {
                error = $"Delta copy of {instruction.Length} bytes from offset {instruction.SourceOffset} does not fit the pre-image.";
                return null;
            }

            produced += instruction.Length;
        }

        if (produced != targetSize || targetSize > Array.MaxLength)
        {
            error = targetSize > Array.MaxLength ? $"The delta's target size {targetSize} is too large." : $"Expected {targetSize} bytes from the delta, found {produced}.";
            return null;
        }

        var target = new byte[targetSize];
        int t = 0;
        foreach (var instruction in instructions)
        {
            var from = instruction.IsCopy ? source.Slice((int)instruction.SourceOffset, instruction.Length) : delta.Slice(instruction.DataOffset, instruction.Length);
            from.CopyTo(target.AsSpan(t));
            t += instruction.Length;
        }

        return target;
    }

    /// <summary>Reads the sizes and the instruction stream of a delta; null with an error message when it is malformed.</summary>
    public static List<DiffDeltaInstruction>? Read(ReadOnlySpan<byte> delta, out long sourceSize, out long targetSize, out string? error)
    {
        int pos = 0;
        targetSize = 0;
        if (!TryReadSize(delta, ref pos, out sourceSize) || !TryReadSize(delta, ref pos, out targetSize))
        {
            error = "Expected the delta's source and target sizes, found truncated data.";
            return null;
        }

        var result = new List<DiffDeltaInstruction>();
        while (pos < delta.Length)
        {
            byte cmd = delta[pos++];
            if ((cmd & 0x80) != 0)
            {
                long offset = 0;
                int size = 0;
                for (int bit = 0; bit < 7; bit++)
                {
                    if ((cmd & (1 << bit)) == 0)
                    {
                        continue;
                    }

                    if (pos >= delta.Length)
                    {
                        error = "Expected a copy offset or size byte in the delta, found the end.";
                        return null;
                    }

                    if (bit < 4)
                    {
                        offset |= (long)delta[pos++] << (8 * bit);
                    }
                    else
                    {
                        size |= delta[pos++] << (8 * (bit - 4));
                    }
                }

                result.Add(new DiffDeltaInstruction(true, offset, size == 0 ? 0x10000 : size, -1));
            }
            else if (cmd != 0)
            {
                if (pos + cmd > delta.Length)
                {
                    error = $"Delta insert of {cmd} bytes runs past the end of the delta.";
                    return null;
                }

                result.Add(new DiffDeltaInstruction(false, 0, cmd, pos));
                pos += cmd;
            }
            else
            {
                error = "Found the reserved delta instruction 0.";
                return null;
            }
        }

        error = null;
        return result;
    }

    private static bool TryReadSize(ReadOnlySpan<byte> s, ref int pos, out long size)
    {
        size = 0;
        int shift = 0;
        while (pos < s.Length && shift < 63)
        {
            byte b = s[pos++];
            size |= (long)(b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
