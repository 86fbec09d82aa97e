using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KernelPatch.Text;

/// <summary>
/// Finds successive line ends in a buffer 64 bytes at a time: one vector compare marks every '\n' of a block in a
/// bit mask, and each line then costs a bit scan instead of a call to <c>IndexOf</c> (whose setup dominates on
/// the short lines of diffs and headers). Positions must be asked for in increasing order.
/// </summary>
internal ref struct NewlineCursor
{
    private const int Block = 64;
    private readonly ReadOnlySpan<byte> _s;
    private readonly int _end;
    private int _blockStart;
    private ulong _mask;

    /// <summary>A cursor over <c>s[..end]</c>.</summary>
    public NewlineCursor(ReadOnlySpan<byte> s, int end)
    {
        _s = s;
        _end = end;
        _blockStart = int.MinValue / 2; // no block loaded
        _mask = 0;
    }

    /// <summary>The start of the line after the one starting at <paramref name="pos"/> (just past its '\n'), or the end.</summary>
    public int NextLine(int pos)
    {
        while (true)
        {
            int offset = pos - _blockStart;
            if ((uint)offset >= Block)
            {
                if (!Load(pos))
                {
                    int i = _s[pos.._end].IndexOf((byte)'\n');
                    return i < 0 ? _end : pos + i + 1;
                }

                offset = 0;
            }

            ulong pending = _mask & (ulong.MaxValue << offset);
            if (pending != 0)
            {
                return _blockStart + BitOperations.TrailingZeroCount(pending) + 1;
            }

            pos = _blockStart + Block;
            if (pos >= _end)
            {
                return _end;
            }
        }
    }

    /// <summary>
    /// Where the line starting at <paramref name="pos"/> ends (its '\n', or the end when it has none);
    /// <paramref name="next"/> is the start of the next line.
    /// </summary>
    public int LineEnd(int pos, out int next)
    {
        next = NextLine(pos);
        return next > pos && _s[next - 1] == (byte)'\n' ? next - 1 : next;
    }

    // Marks the line ends of s[pos..pos+64) that are before the end. The block may reach past the end (a hunk's last
    // lines, read from the whole mailbox) but not past the buffer: false when the buffer has fewer than 64 bytes left
    // (the caller searches the tail).
    private bool Load(int pos)
    {
        if (pos + Block > _s.Length || !Vector256.IsHardwareAccelerated)
        {
            return false;
        }

        ref byte start = ref MemoryMarshal.GetReference(_s);
        var nl = Vector256.Create((byte)'\n');
        ulong low = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)pos), nl).ExtractMostSignificantBits();
        ulong high = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)(pos + 32)), nl).ExtractMostSignificantBits();
        ulong mask = low | (high << 32);
        int left = _end - pos;
        _mask = left >= Block ? mask : left > 0 ? mask & ((1UL << left) - 1) : 0;
        _blockStart = pos;
        return true;
    }
}
