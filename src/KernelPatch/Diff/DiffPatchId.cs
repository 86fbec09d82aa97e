using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace KernelPatch.Diff;

/// <summary>
/// <c>git patch-id --stable</c> (git <c>builtin/patch-id.c</c>, <c>get_one_patchid</c> with stable=1, verbatim=0),
/// replayed line by line over the diff bytes so that every quirk of git's state machine is kept: whitespace is
/// removed from hashed lines, <c>index</c> lines are skipped, a binary file hashes its two object ids, each file
/// gets its own SHA-1 and the digests are added byte-wise with carry.
/// </summary>
internal static class DiffPatchId
{
    private static readonly SearchValues<byte> s_space = SearchValues.Create(" \t\n\r"u8);

    public static string? Compute(ReadOnlySpan<byte> s, int start, int end)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var hash = new HashBuffer(sha, stackalloc byte[4096]);
        Span<byte> result = stackalloc byte[20];
        result.Clear();
        Span<byte> digest = stackalloc byte[20];
        long patchLength = 0;
        int before = -1;
        int after = -1;
        bool binary = false;
        ReadOnlySpan<byte> preId = default;
        ReadOnlySpan<byte> postId = default;
        int pos = start;
        while (pos < end)
        {
            int lineStart = pos;
            int next = DiffScan.NextLine(s, pos, end);
            ReadOnlySpan<byte> line = s[pos..next];
            pos = next;
            ReadOnlySpan<byte> p = line;
            if (line.StartsWith("commit "u8))
            {
                p = line[7..];
            }
            else if (line.StartsWith("From "u8))
            {
                p = line[5..];
            }
            else if (line.StartsWith("\\ "u8) && line.Length > 12)
            {
                continue;
            }

            if (IsObjectId(p))
            {
                break;
            }

            if (patchLength == 0 && !line.StartsWith("diff "u8))
            {
                continue;
            }

            if (before == -1)
            {
                if (line.StartsWith("GIT binary patch"u8) || line.StartsWith("Binary files"u8))
                {
                    binary = true;
                    before = 0;
                    hash.Append(preId);
                    hash.Append(postId);
                    Flush(ref hash, result, digest);
                    continue;
                }
                else if (line.StartsWith("index "u8))
                {
                    int dots = line.IndexOf(".."u8);
                    if (dots >= 0)
                    {
                        int space = line[dots..].IndexOf((byte)' ');
                        int idEnd = space >= 0 ? dots + space : line.Length - 1;
                        preId = Limit(dots >= 6 ? line[6..dots] : default);
                        postId = Limit(idEnd >= dots + 2 ? line[(dots + 2)..idEnd] : default);
                    }

                    continue;
                }
                else if (line.StartsWith("--- "u8))
                {
                    before = after = 1;
                }
                else if (!IsAlpha(line[0]))
                {
                    break;
                }
            }

            if (binary)
            {
                if (line.StartsWith("diff "u8))
                {
                    binary = false;
                    before = -1;
                }

                continue;
            }

            if (before == 0 && after == 0)
            {
                if (line.StartsWith("@@ -"u8))
                {
                    ScanHunkHeader(line, ref before, ref after);
                    continue;
                }

                if (!line.StartsWith("diff "u8))
                {
                    break;
                }

                Flush(ref hash, result, digest);
                before = after = -1;
            }

            byte first = line[0];
            if (first == (byte)'-' || first == (byte)' ')
            {
                before--;
            }

            if (first == (byte)'+' || first == (byte)' ')
            {
                after--;
            }

            patchLength += hash.AppendWithoutSpace(s, lineStart, next);
        }

        Flush(ref hash, result, digest);
        return patchLength == 0 ? null : Convert.ToHexStringLower(result);
    }

    private static ReadOnlySpan<byte> Limit(ReadOnlySpan<byte> id) => id.Length > 64 ? id[..64] : id;

    private static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsObjectId(ReadOnlySpan<byte> p)
    {
        if (p.Length < 40)
        {
            return false;
        }

        for (int i = 0; i < 40; i++)
        {
            if (!char.IsAsciiHexDigit((char)p[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void Flush(ref HashBuffer hash, Span<byte> result, Span<byte> digest)
    {
        hash.GetHashAndReset(digest);
        int carry = 0;
        for (int i = 0; i < 20; i++)
        {
            carry += result[i] + digest[i];
            result[i] = (byte)carry;
            carry >>= 8;
        }
    }

    /// <summary>
    /// Gathers what is hashed in a stack buffer and hands it to SHA-1 a few KiB at a time: the hash of the
    /// concatenation is the same, and one call per buffer costs far less than one per word (whitespace is
    /// dropped between words, so a code line used to be a dozen calls into the hash).
    /// </summary>
    internal ref struct HashBuffer(IncrementalHash hash, Span<byte> buffer)
    {
        private readonly IncrementalHash _hash = hash;
        private readonly Span<byte> _buffer = buffer;
        private int _used;

        public void Append(scoped ReadOnlySpan<byte> data)
        {
            if (data.Length > _buffer.Length - _used)
            {
                Drain();
                if (data.Length > _buffer.Length)
                {
                    _hash.AppendData(data);
                    return;
                }
            }

            data.CopyTo(_buffer[_used..]);
            _used += data.Length;
        }

        /// <summary>
        /// Appends the line <c>source[start..end]</c> up to its first NUL byte, without its blanks (space, tab, CR, LF);
        /// returns how many bytes were kept. git reads each line of a patch as a C string, so a NUL (<c>diff -a</c> of a
        /// binary file) ends what it hashes of the line. Bytes of <paramref name="source"/> past the line may be read
        /// (never past its end), not kept.
        /// </summary>
        public long AppendWithoutSpace(ReadOnlySpan<byte> source, int start, int end)
        {
            if (end - start + Vector256<byte>.Count > _buffer.Length - _used)
            {
                Drain();
            }

            if (end - start + Vector256<byte>.Count > _buffer.Length)
            {
                ReadOnlySpan<byte> line = source[start..end];
                int nul = line.IndexOf((byte)0);
                return AppendWordsWithoutSpace(nul < 0 ? line : line[..nul]);
            }

            // 32 bytes at a time: a mask of the blanks (and of what lies past the line), then each run of kept bytes
            // copied with one 32-byte load and store (the buffer has room past the line for the store's overhang).
            // A line is mostly short words between single blanks, which a byte-at-a-time copy paid for byte by byte.
            int used = _used;
            ref byte src = ref MemoryMarshal.GetReference(source);
            ref byte dst = ref MemoryMarshal.GetReference(_buffer);
            int i = start;
            if (Vector256.IsHardwareAccelerated)
            {
                var space = Vector256.Create((byte)' ');
                var tab = Vector256.Create((byte)'\t');
                var lf = Vector256.Create((byte)'\n');
                var cr = Vector256.Create((byte)'\r');
                for (; i < end && i + Vector256<byte>.Count <= source.Length; i += Vector256<byte>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref src, (nuint)i);
                    uint blank = (Vector256.Equals(v, space) | Vector256.Equals(v, tab) | Vector256.Equals(v, lf) | Vector256.Equals(v, cr))
                        .ExtractMostSignificantBits();
                    uint nul = Vector256.Equals(v, Vector256<byte>.Zero).ExtractMostSignificantBits();
                    int left = end - i;
                    uint inLine = left >= 32 ? uint.MaxValue : (1u << left) - 1;
                    nul &= inLine;
                    if (nul != 0)
                    {
                        // The line ends at its first NUL: nothing after it is kept.
                        inLine &= (1u << BitOperations.TrailingZeroCount(nul)) - 1;
                        end = i; // leave after this block
                    }

                    uint keep = ~blank & inLine;
                    blank = ~keep; // from here on "not kept", past the line included
                    while (keep != 0)
                    {
                        int first = BitOperations.TrailingZeroCount(keep);
                        uint after = blank >> first; // bit 0 is kept: it has a blank or the block's end after it
                        int length = after == 0 ? 32 - first : BitOperations.TrailingZeroCount(after);
                        int at = i + first;
                        if (at + Vector256<byte>.Count <= source.Length)
                        {
                            Vector256.LoadUnsafe(ref src, (nuint)at).StoreUnsafe(ref dst, (nuint)used);
                        }
                        else
                        {
                            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref dst, used), ref Unsafe.Add(ref src, at), (uint)length);
                        }

                        used += length;
                        keep = first + length >= 32 ? 0 : keep & (uint.MaxValue << (first + length));
                    }
                }
            }

            // The last bytes of the source (fewer than a block), or no vector hardware.
            for (; i < end; i++)
            {
                byte c = Unsafe.Add(ref src, i);
                if (c == 0)
                {
                    break;
                }

                Unsafe.Add(ref dst, used) = c;
                used += c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' ? 0 : 1;
            }

            long kept = used - _used;
            _used = used;
            return kept;
        }

        private long AppendWordsWithoutSpace(ReadOnlySpan<byte> line)
        {
            long kept = 0;
            while (!line.IsEmpty)
            {
                int i = line.IndexOfAny(s_space);
                ReadOnlySpan<byte> word = i < 0 ? line : line[..i];
                Append(word);
                kept += word.Length;
                line = i < 0 ? ReadOnlySpan<byte>.Empty : line[(i + 1)..];
            }

            return kept;
        }

        public void GetHashAndReset(scoped Span<byte> digest)
        {
            Drain();
            _hash.GetHashAndReset(digest);
        }

        private void Drain()
        {
            if (_used > 0)
            {
                _hash.AppendData(_buffer[.._used]);
                _used = 0;
            }
        }
    }

    // git scan_hunk_header: counts default to 1 when omitted; partial results are kept as git keeps them.
    private static void ScanHunkHeader(ReadOnlySpan<byte> line, ref int before, ref int after)
    {
        ReadOnlySpan<byte> q = line[4..];
        int n = Digits(q);
        if (n < q.Length && q[n] == (byte)',')
        {
            q = q[(n + 1)..];
            before = Atoi(q);
            n = Digits(q);
        }
        else
        {
            before = 1;
        }

        if (n == 0 || n + 1 >= q.Length || q[n] != (byte)' ' || q[n + 1] != (byte)'+')
        {
            return;
        }

        ReadOnlySpan<byte> r = q[(n + 2)..];
        n = Digits(r);
        if (n < r.Length && r[n] == (byte)',')
        {
            r = r[(n + 1)..];
            after = Atoi(r);
        }
        else
        {
            after = 1;
        }
    }

    private static int Digits(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && (uint)(s[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }

    private static int Atoi(ReadOnlySpan<byte> s)
    {
        DiffScan.ParseDecimal(s, out int value);
        return value;
    }
}
