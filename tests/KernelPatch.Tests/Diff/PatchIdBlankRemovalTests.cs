using System.Security.Cryptography;
using KernelPatch.Diff;

namespace KernelPatch.Tests.Diff;

/// <summary>
/// What <c>git patch-id</c> hashes of a line: its bytes up to the first NUL, without spaces, tabs, CRs and LFs. The
/// buffer that gathers them reads 32 bytes at a time and may read past the line (never past the source), so these
/// tests put lines at every distance from the source's end and blanks, NULs and runs across every block boundary.
/// </summary>
public sealed class PatchIdBlankRemovalTests
{
    private static readonly byte[] s_alphabet = "ab{};=+-_x1 \t\n\r\0\u00e9"u8.ToArray();

    private static byte[] Expected(ReadOnlySpan<byte> line)
    {
        var kept = new List<byte>();
        foreach (byte c in line)
        {
            if (c == 0)
            {
                break;
            }

            if (c is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                kept.Add(c);
            }
        }

        return kept.ToArray();
    }

    private static (byte[] Digest, long Kept) ThroughBuffer(byte[] source, IReadOnlyList<(int Start, int End)> lines)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = new DiffPatchId.HashBuffer(sha, stackalloc byte[4096]);
        long kept = 0;
        foreach (var (start, end) in lines)
        {
            kept += buffer.AppendWithoutSpace(source, start, end);
        }

        var digest = new byte[20];
        buffer.GetHashAndReset(digest);
        return (digest, kept);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomLines_KeepExactlyTheBytesGitHashes(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 400; round++)
        {
            // Mostly short lines, some of several blocks, a few longer than the 4 KiB buffer.
            int size = random.Next(10) == 0 ? random.Next(4000, 9000) : random.Next(0, 300);
            var source = new byte[size];
            for (int i = 0; i < size; i++)
            {
                source[i] = random.Next(4) == 0 ? s_alphabet[random.Next(s_alphabet.Length)] : (byte)random.Next(0x21, 0x7f);
            }

            // Cut the source into consecutive lines, ending at or near its end.
            var lines = new List<(int, int)>();
            var expected = new List<byte>();
            int at = random.Next(0, Math.Min(size, 40) + 1);
            while (at < size)
            {
                int end = Math.Min(size, at + random.Next(0, 120));
                if (random.Next(8) == 0)
                {
                    end = size; // the last line, flush with the source's end
                }

                lines.Add((at, end));
                expected.AddRange(Expected(source.AsSpan(at, end - at)));
                at = end == at ? at + 1 : end;
            }

            var (digest, kept) = ThroughBuffer(source, lines);
            kept.Should().Be(expected.Count, "round {0}, {1} bytes, {2} lines", round, size, lines.Count);
            digest.Should().Equal(SHA1.HashData(expected.ToArray()), "round {0}, {1} bytes, {2} lines", round, size, lines.Count);
        }
    }

    [Fact]
    public void Blocks_WithoutBlanks_WithOnlyBlanks_AndNulAfterAFullBlock()
    {
        byte[] source = "0123456789abcdef0123456789abcdefXYZ \t\r\n                                 tail\0hidden after the NUL\n"u8.ToArray();
        var (digest, kept) = ThroughBuffer(source, [(0, source.Length)]);
        byte[] expected = "0123456789abcdef0123456789abcdefXYZtail"u8.ToArray();
        kept.Should().Be(expected.Length);
        digest.Should().Equal(SHA1.HashData(expected));
    }
}
