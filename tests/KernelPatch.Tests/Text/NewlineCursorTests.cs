using KernelPatch.Text;

namespace KernelPatch.Tests.Text;

public class NewlineCursorTests
{
    [Fact]
    public void Gives_the_same_line_starts_as_IndexOf_for_any_line_lengths_and_end()
    {
        var random = new Random(11);
        for (int round = 0; round < 300; round++)
        {
            var bytes = new byte[random.Next(0, 400)];
            int density = random.Next(1, 120);
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = random.Next(density) == 0 ? (byte)'\n' : (byte)('a' + random.Next(26));
            }

            int end = bytes.Length == 0 ? 0 : random.Next(bytes.Length + 1);
            var cursor = new NewlineCursor(bytes, end);
            int pos = random.Next(Math.Max(1, end / 4));
            while (pos < end)
            {
                int i = bytes.AsSpan(pos, end - pos).IndexOf((byte)'\n');
                int expected = i < 0 ? end : pos + i + 1;
                cursor.NextLine(pos).Should().Be(expected, "from {0} in round {1}", pos, round);
                pos = expected + (random.Next(5) == 0 ? random.Next(0, 3) : 0); // sometimes skip ahead, as callers may
            }
        }
    }
}
