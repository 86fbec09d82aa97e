using KernelPatch.Mailbox;

namespace KernelPatch.Tests.Mailbox;

/// <summary>The gzip CRC-32 that checks a member's trailer, against the check value and zlib's own trailers.</summary>
public sealed class Crc32Tests
{
    [Fact]
    public void Gives_the_check_value_and_nothing_for_no_bytes()
    {
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
        Crc32.Compute([]).Should().Be(0u);
        Crc32.Compute("a"u8).Should().Be(0xE8B7BE43u);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Agrees_with_the_trailer_zlib_writes_for_every_length_and_alignment(int seed)
    {
        // Lengths 1..199 at offsets 0..7 of a larger buffer: every split between the 8-byte steps and the byte tail (zlib
        // writes no member at all for no bytes; that case is the fact above).
        var random = new Random(seed);
        byte[] buffer = new byte[256];
        random.NextBytes(buffer);
        for (int length = 1; length < 200; length++)
        {
            int offset = random.Next(8);
            byte[] data = buffer.AsSpan(offset, length).ToArray();
            Crc32.Compute(buffer.AsSpan(offset, length)).Should().Be(TrailerCrc(data), "length {0} at offset {1}", length, offset);
        }
    }

    // The CRC-32 field of the gzip trailer zlib writes for the data.
    private static uint TrailerCrc(byte[] data)
    {
        byte[] gz = CompressedInputTests.Gzip(data);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8, 4));
    }
}
