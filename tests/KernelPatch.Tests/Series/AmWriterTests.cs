using System.Text;
using KernelPatch.Series;

namespace KernelPatch.Tests.Series;

public class AmWriterTests
{
    private static readonly (string, string)[] s_trailers =
    [
        ("Reviewed-by", "Rev Iewer <rev@example.org>"),
        ("Acked-by", "ack er <ACK@example.org>"),   // already in the message (case differs): left out
        ("Tested-by", "Test Er <test@example.org>"),
        ("Reviewed-by", "Rev Iewer <rev@example.org>"), // twice in the list: once
    ];

    public static TheoryData<string, bool> Fixtures => new()
    {
        { "am-patch", false },
        { "am-patch", true },
        { "am-no-trailers", false },
        { "am-no-trailers", true },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Trailers_go_at_the_end_of_the_trailer_block_and_nothing_else_changes(string name, bool crlf)
    {
        byte[] input = Load(name + ".eml", crlf);
        byte[] expected = Load(name + ".expected.eml", crlf);

        byte[] output = AmWriter.AddTrailers(input, s_trailers, out int added);

        Encoding.UTF8.GetString(output).Should().Be(Encoding.UTF8.GetString(expected));
        added.Should().Be(name == "am-patch" ? 2 : 3);
    }

    [Fact]
    public void Base64_bodies_are_left_untouched()
    {
        byte[] input = "From: a@x.org\nSubject: [PATCH] x\nContent-Transfer-Encoding: base64\n\nU2lnbmVkLW9mZi1ieTogYQo=\n"u8.ToArray();
        AmWriter.AddTrailers(input, s_trailers, out int added).Should().Equal(input);
        added.Should().Be(0);
    }

    [Fact]
    public void Mbox_keeps_existing_from_lines_and_adds_git_ones()
    {
        byte[] mbox = AmWriter.WriteMbox([
            "From abc Mon Sep 17 00:00:00 2001\nSubject: one\n\nbody\n"u8.ToArray(),
            "Subject: two\n\nno final newline"u8.ToArray(),
        ]);

        Encoding.UTF8.GetString(mbox).Should().Be(
            "From abc Mon Sep 17 00:00:00 2001\nSubject: one\n\nbody\n" +
            "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nSubject: two\n\nno final newline\n");
    }

    [Fact]
    public void Every_prefix_of_a_fixture_gets_trailers_without_throwing()
    {
        foreach (bool crlf in new[] { false, true })
        {
            byte[] input = Load("am-patch.eml", crlf);
            for (int length = 0; length <= input.Length; length++)
            {
                byte[] output = AmWriter.AddTrailers(input.AsSpan(0, length), s_trailers, out int added);
                output.Length.Should().BeGreaterThanOrEqualTo(length);
                if (added == 0)
                {
                    output.Should().Equal(input.AsSpan(0, length).ToArray());
                }
            }
        }
    }

    [Fact]
    public void Hostile_bytes_and_long_lines_do_not_throw()
    {
        var random = new Random(4242);
        for (int round = 0; round < 200; round++)
        {
            byte[] junk = new byte[random.Next(0, 2000)];
            random.NextBytes(junk);
            AmWriter.AddTrailers(junk, s_trailers, out _);
        }

        byte[] longLine = new byte[1 << 20];
        longLine.AsSpan().Fill((byte)'-');
        AmWriter.AddTrailers(longLine, s_trailers, out int added).Length.Should().Be(longLine.Length + "\nReviewed-by: Rev Iewer <rev@example.org>\n".Length + "Acked-by: ack er <ACK@example.org>\nTested-by: Test Er <test@example.org>\n".Length);
        added.Should().Be(3);
    }

    private static byte[] Load(string name, bool crlf)
    {
        string text = File.ReadAllText(TestPaths.Fixture("series", name)).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (crlf)
        {
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }
}

public class AmWriterPatchBreakTests
{
    [Theory]
    [InlineData("Subject: x\n\nmsg\n---\n stat\n", 16)]          // the format-patch separator
    [InlineData("Subject: x\n\nmsg\n---  \r\nrest\n", 16)]       // "---" with trailing blanks
    [InlineData("Subject: x\n\nmsg\n--- a/f\n+++ b/f\n", 16)]    // a patch with no git header
    [InlineData("Subject: x\n\nmsg\n----\nmore\n", 26)]          // "----" is text, not a break
    [InlineData("Subject: x\n\nmsg\ndiff -u a b\n", 16)]         // diff -u output
    [InlineData("Subject: x\n\nmsg\nIndex: f\n", 16)]            // CVS/SVN style
    [InlineData("Subject: x\n\nmsg\n", 16)]                      // no patch at all: the end
    [InlineData("Subject: x\n\nmsg\n---", 19)]                   // "---" ending the input is text to git mailinfo
    [InlineData("Subject: x\n\nmsg\n--- ", 16)]                  // "--- " ending it is a break (git: a file name follows)
    public void Commit_message_ends_where_git_mailinfo_ends_it(string mail, int expected)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(mail);
        int bodyStart = AmWriter.FindBodyStart(bytes, out _);
        bodyStart.Should().Be(12);
        AmWriter.FindCommitMessageEnd(bytes, bodyStart).Should().Be(expected);
    }
}
