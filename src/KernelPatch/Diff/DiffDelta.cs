namespace KernelPatch.Diff;

/// <summary>
/// git's binary delta format (<c>patch-delta.c</c>): two varint sizes (source, target), then instructions:
/// a byte with the high bit set copies from the source (offset and size bytes selected by its low bits; size 0 means 0x10000),
/// a byte 1–127 inserts that many following literal bytes, 0 is reserved.
/// </summary>
internal static class DiffDelta
{
    /// <summary>Applies <paramref name="delta"/> to <paramref name="source"/>; null with an error message when it does not fit.</summary>
    public static byte[]? Apply(ReadOnlySpan<byte> delta, ReadOnlySpan<byte> source, out string? error)
    {
        int pos = 0;
        if (!TryReadSize(delta, ref pos, out long sourceSize) || !TryReadSize(delta, ref pos, out long targetSize))
        {
            error = "Expected the delta's source and target sizes, found truncated data.";
            return null;
        }

        if (sourceSize != source.Length)
        {
            error = $"Expected a pre-image of {sourceSize} bytes for the delta, found {source.Length}.";
            return null;
        }

        if (targetSize > Array.MaxLength)
        {
            error = $"The delta's target size {targetSize} is too large.";
            return null;
        }

        // The header may claim any size: measure what the instructions produce first, and allocate only that.
        if (!TryMeasure(delta, pos, source.Length, out long produced, out error))
        {
            return null;
        }

        if (produced != targetSize)
        {
            error = $"Expected {targetSize} bytes from the delta, found {produced}.";
            return null;
        }

        var target = new byte[targetSize];
        int t = 0;
        while (pos < delta.Length)
        {
            byte cmd = delta[pos++];
            if ((cmd & 0x80) != 0)
            {
                long offset = 0;
                long size = 0;
                for (int bit = 0; bit < 4; bit++)
                {
                    if ((cmd & (1 << bit)) != 0)
                    {
                        if (pos >= delta.Length)
                        {
                            error = "Expected a copy offset byte in the delta, found the end.";
                            return null;
                        }

                        offset |= (long)delta[pos++] << (8 * bit);
                    }
                }

                for (int bit = 0; bit < 3; bit++)
                {
                    if ((cmd & (0x10 << bit)) != 0)
                    {
                        if (pos >= delta.Length)
                        {
                            error = "Expected a copy size byte in the delta, found the end.";
                            return null;
                        }

                        size |= (long)delta[pos++] << (8 * bit);
                    }
                }

                if (size == 0)
                {
                    size = 0x10000;
                }

                if (offset + size > source.Length || t + size > target.Length)
                {
                    error = $"Delta copy of {size} bytes from offset {offset} does not fit the pre-image or the target.";
                    return null;
                }

                source.Slice((int)offset, (int)size).CopyTo(target.AsSpan(t));
                t += (int)size;
            }
            else if (cmd != 0)
            {
                if (pos + cmd > delta.Length || t + cmd > target.Length)
                {
                    error = $"Delta insert of {cmd} bytes does not fit the delta or the target.";
                    return null;
                }

                delta.Slice(pos, cmd).CopyTo(target.AsSpan(t));
                pos += cmd;
                t += cmd;
            }
            else
            {
                error = "Found the reserved delta instruction 0.";
                return null;
            }
        }

        if (t != target.Length)
        {
            error = $"Expected {target.Length} bytes from the delta, found {t}.";
            return null;
        }

        error = null;
        return target;
    }

    /// <summary>
    /// How many bytes the instructions from <paramref name="pos"/> produce, checking that each copy fits a pre-image of
    /// <paramref name="sourceLength"/> bytes and each insert fits the delta; false with an error message when one does not.
    /// </summary>
    private static bool TryMeasure(ReadOnlySpan<byte> delta, int pos, int sourceLength, out long produced, out string? error)
    {
        produced = 0;
        while (pos < delta.Length)
        {
            byte cmd = delta[pos++];
            if ((cmd & 0x80) != 0)
            {
                long offset = 0;
                long size = 0;
                for (int bit = 0; bit < 7; bit++)
                {
                    if ((cmd & (1 << bit)) == 0)
                    {
                        continue;
                    }

                    if (pos >= delta.Length)
                    {
                        error = "Expected a copy offset or size byte in the delta, found the end.";
                        return false;
                    }

                    long value = delta[pos++];
                    if (bit < 4)
                    {
                        offset |= value << (8 * bit);
                    }
                    else
                    {
                        size |= value << (8 * (bit - 4));
                    }
                }

                size = size == 0 ? 0x10000 : size;
                if (offset + size > sourceLength)
                {
                    error = $"Delta copy of {size} bytes from offset {offset} does not fit the pre-image.";
                    return false;
                }

                produced += size;
            }
            else if (cmd != 0)
            {
                if (pos + cmd > delta.Length)
                {
                    error = $"Delta insert of {cmd} bytes does not fit the delta.";
                    return false;
                }

                pos += cmd;
                produced += cmd;
            }
            else
            {
                error = "Found the reserved delta instruction 0.";
                return false;
            }

            if (produced > Array.MaxLength)
            {
                error = $"The delta produces more than {Array.MaxLength} bytes.";
                return false;
            }
        }

        error = null;
        return true;
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
