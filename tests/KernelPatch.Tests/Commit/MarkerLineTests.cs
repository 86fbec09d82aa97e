using System.Text;
using KernelPatch.Commit;

namespace KernelPatch.Tests.Commit;

/// <summary>The vectorised search for signature and series-metadata lines agrees with a line-by-line walk.</summary>
public class MarkerLineTests
{
    private static readonly string[] Lines =
    [
        "+        return self.x", " -- not at the start", "-- ", "--x", "-- 2.39", "base-commit: 1234", "ba", "b",
        "change-id: 2024", "ch", "prerequisite-patch-id: ab", "pr", "p", "+    def foo(self):", "", "-	old line",
        "-\\- ", "\\ No newline at end of file", "@@ -1,2 +1,2 @@", "The following changes since commit 1234567:", "Th", "T", "the",
    ];

    [Fact]
    public void Every_position_and_mix_of_lines_gives_the_walks_answer()
    {
        var random = new Random(7);
        for (int round = 0; round < 400; round++)
        {
            var sb = new StringBuilder();
            int count = random.Next(1, 40);
            for (int k = 0; k < count; k++)
            {
                // Mostly indented code, so a line end and a blank a few bytes later are everywhere.
                sb.Append(random.Next(6) == 0 ? Lines[random.Next(Lines.Length)] : "+" + new string(' ', random.Next(0, 12)) + "x = y(z)");
                sb.Append('\n');
            }

            if (random.Next(3) == 0)
            {
                sb.Length--; // no line end at the end
            }

            byte[] body = Encoding.UTF8.GetBytes(sb.ToString());
            bool pull = round % 2 == 1;
            int pos = 0;
            while (true)
            {
                int expected = Walk(body, pos, pull);
                CommitMessage.NextMarkerLine(body, pos, pull).Should().Be(expected, "from {0} in round {1}", pos, round);
                if (expected >= body.Length)
                {
                    break;
                }

                int nl = Array.IndexOf(body, (byte)'\n', expected);
                if (nl < 0)
                {
                    break;
                }

                pos = nl + 1;
            }
        }
    }

    private static int Walk(byte[] b, int pos, bool pull)
    {
        while (pos < b.Length)
        {
            var line = b.AsSpan(pos);
            if (line.StartsWith("-- "u8) || line.StartsWith("ba"u8) || line.StartsWith("ch"u8) || line.StartsWith("pr"u8) || (pull && line.StartsWith("Th"u8)))
            {
                return pos;
            }

            int nl = line.IndexOf((byte)'\n');
            if (nl < 0)
            {
                return b.Length;
            }

            pos += nl + 1;
        }

        return b.Length;
    }
}
