using System.Text;
using KernelPatch.Commit;

namespace KernelPatch.Tests.Commit;

/// <summary>The vectorised searches for signature and series-metadata lines, and for the body lines pass 1 must read, agree with line-by-line walks.</summary>
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
    private static readonly string[] BodyLines =
    [
        "I think this is fine", "Index: a/b.c", "Ind", "In", "diff --git a/x b/x", "dif", "di", "d", "do not", "---", "--", "-- ",
        "--- a/x", "-", "-- >8 --", "8<----", "%<", "x >% y", "a>8b", ">", "8", "%", "<8>", "> quoted reply", ">8", "12 >= 8",
        "Reviewed-by: A <a@b.c>", "", "\r", "    if (x > 8) {", "the 8< mark",
    ];

    [Fact]
    public void The_body_candidate_search_stops_at_the_walks_line_at_every_position()
    {
        var random = new Random(13);
        for (int round = 0; round < 600; round++)
        {
            var sb = new StringBuilder();
            int count = random.Next(1, 50);
            for (int k = 0; k < count; k++)
            {
                // Mostly prose, so candidates are rare and the vector path runs long.
                sb.Append(random.Next(5) == 0 ? BodyLines[random.Next(BodyLines.Length)] : "the quick brown fox " + new string('x', random.Next(0, 40)));
                sb.Append(random.Next(10) == 0 ? "\r\n" : "\n");
            }

            if (random.Next(3) == 0)
            {
                sb.Length--; // no line end at the end
            }

            byte[] body = Encoding.UTF8.GetBytes(sb.ToString());
            for (int pos = 0; pos < body.Length; pos = Array.IndexOf(body, (byte)'\n', pos) is int nl and >= 0 ? nl + 1 : body.Length)
            {
                CommitMessage.NextBodyCandidate(body, pos).Should().Be(BodyWalk(body, pos), "from {0} in round {1}:\n{2}", pos, round, sb);
            }
        }
    }

    private static int BodyWalk(byte[] b, int pos)
    {
        while (pos < b.Length)
        {
            int nl = Array.IndexOf(b, (byte)'\n', pos);
            var line = b.AsSpan(pos, (nl < 0 ? b.Length : nl) - pos);
            bool mark = false;
            for (int i = 0; i + 1 < line.Length; i++)
            {
                mark |= (line[i] == (byte)'>' && (line[i + 1] == (byte)'8' || line[i + 1] == (byte)'%')) || ((line[i] == (byte)'8' || line[i] == (byte)'%') && line[i + 1] == (byte)'<');
            }

            if (mark || line.StartsWith("---"u8) || line.StartsWith("dif"u8) || line.StartsWith("Ind"u8))
            {
                return pos;
            }

            pos = nl < 0 ? b.Length : nl + 1;
        }

        return b.Length;
    }
}
