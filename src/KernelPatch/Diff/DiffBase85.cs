namespace KernelPatch.Diff;

/// <summary>git's base85 (<c>base85.c</c>): 5 characters for 4 bytes, big-endian.</summary>
internal static class DiffBase85
{
    private static readonly sbyte[] s_values = BuildValues();

    /// <summary>Bytes announced by the length character of a data line; 0 when it is not a length character.</summary>
    public static int LineByteCount(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A' + 1,
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 27,
        _ => 0,
    };

    /// <summary>Whether <paramref name="chars"/> has exactly the characters needed for <paramref name="count"/> bytes and all are base85.</summary>
    public static bool IsValidLine(ReadOnlySpan<byte> chars, int count)
    {
        if (count <= 0 || chars.Length != ((count + 3) / 4) * 5)
        {
            return false;
        }

        foreach (byte c in chars)
        {
            if (s_values[c] < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes base85 characters into exactly <paramref name="output"/>.Length bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> chars, Span<byte> output)
    {
        if (!IsValidLine(chars, output.Length))
        {
            return false;
        }

        int o = 0;
        for (int i = 0; i < chars.Length; i += 5)
        {
            ulong acc = 0;
            for (int j = 0; j < 5; j++)
            {
                acc = (acc * 85) + (ulong)s_values[chars[i + j]];
            }

            if (acc > uint.MaxValue)
            {
                return false;
            }

            for (int shift = 24; shift >= 0 && o < output.Length; shift -= 8)
            {
                output[o++] = (byte)(acc >> shift);
            }
        }

        return true;
    }

    private static sbyte[] BuildValues()
    {
        ReadOnlySpan<byte> alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"u8;
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < alphabet.Length; i++)
        {
            values[alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
