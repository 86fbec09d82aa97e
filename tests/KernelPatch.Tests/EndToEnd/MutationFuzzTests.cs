using System.Globalization;
using System.Text;
using KernelPatch.Tool;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// Seeded mutation fuzzing of real mail through every entry point: the sample series that ships in the tool
/// and the corpus's seed digests, mutated with the tokens the parsers react to (separators, diff headers,
/// hunk headers, encoded words, MIME boundaries, binary patches, trailers, line ends), duplicated, cut and
/// flipped. A longer run of the same loop (hours, random seeds) found the cases pinned in
/// <see cref="ManyRevisionsTests"/>, <c>MailboxSkipAheadTests</c>, <c>SeriesHostileInputTests</c> and
/// <c>PatchDiffRobustnessTests</c>; this one keeps a fixed seed so a failure reproduces.
/// </summary>
public class MutationFuzzTests
{
    private static readonly string[] s_tokens =
    [
        "\n", "\r\n", "\r", "From ", "From x@y Mon Sep 17 00:00:00 2001\n", "\nFrom 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n",
        ">From ", "diff --git a/x b/x\n", "diff --git \"a/q\\\"x\" b/y\n", "diff --cc x\n", "@@ -1,3 +1,4 @@\n", "@@ -0,0 +1 @@ f\n",
        "@@@ -1,2 -1,2 +1,3 @@@\n", "@@ -1,999999999 +1 @@\n", "--- a/x\n", "+++ b/x\n", "--- /dev/null\n", "+++ /dev/null\n",
        "Binary files differ\n", "Binary files a/x and b/y differ\n", "GIT binary patch\nliteral 5\nHcmV?d00001\n\n", "delta 3\n",
        "rename from x\nrename to y\n", "similarity index 90%\n", "new file mode 100644\n", "index 0000000..1111111 100644\n",
        "\\ No newline at end of file\n", "=?utf-8?b?", "=?iso-8859-2?q?", "?=", "=?", "=3D", "=\n",
        "Content-Type: multipart/mixed; boundary=\"b\"\n", "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
        "--b\n", "--b--\n", "Subject: [PATCH v2 1/2] ", "Subject: Re: [PATCH 0/3] ", "Subject: [PATCH 999999998/999999999] x\n",
        "In-Reply-To: <x@y>\n", "References: <a@b> <c@d>\n", "Message-Id: <m@n>\n", "Date: Thu, 1 Jan 1970 00:00:00 +0000\n",
        "From: \"A\" <a@b>\n", "Signed-off-by: A <a@b>\n", "Reviewed-by: ", "-- \n", "-- >8 --\n", "---\n", " 1 file changed, 2 insertions(+)\n",
        " x | 3 ++-\n", "base-commit: abc\n", "change-id: 2020\n", "> ", " ", "\t", ":", "<", ">", "\"", "\\", "\0", "\u00ff", "(", ")",
    ];

    private readonly ITestOutputHelper _output;

    public MutationFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Mutated_real_mail_never_throws_and_keeps_its_bytes_in_every_entry_point()
    {
        const int seed = 20261123;
        const int rounds = 300;
        _output.WriteLine("seed " + seed.ToString(CultureInfo.InvariantCulture));
        var seeds = Seeds();
        var tokens = s_tokens.Select(t => Encoding.Latin1.GetBytes(t)).ToArray();
        var random = new Random(seed);
        long messages = 0, diagnostics = 0;
        for (int round = 0; round < rounds; round++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Count)], tokens, random);
            int chunk = random.Next(1, 600);
            try
            {
                var box = PatchMailbox.Parse(input);
                KernelPatch.Benchmarks.EndToEnd.Visit(box);
                foreach (var m in box.Messages)
                {
                    m.RawBytes.Span.SequenceEqual(input.AsSpan(m.Span.Offset, m.Span.Length)).Should().BeTrue();
                    diagnostics += m.Diagnostics.Length;
                }

                messages += box.Messages.Length;
                foreach (var s in box.Series)
                {
                    s.OlderRevisions.Should().NotContain(x => ReferenceEquals(x, s));
                }

                try
                {
                    PatchMailbox.Parse(input, PatchParseOptions.Strict);
                }
                catch (PatchFormatException e)
                {
                    e.Diagnostic.Offset.Should().BeInRange(0, input.Length);
                }

                int streamed = 0;
                var positions = new List<long>();
                foreach (var m in PatchMailbox.Read(new Mailbox.MailboxTestHelpers.TrickleStream(input, chunk)))
                {
                    KernelPatch.Benchmarks.EndToEnd.VisitMessage(m);
                    positions.Add(m.SourceOffset + m.Span.Offset);
                    streamed++;
                }

                streamed.Should().BeGreaterThan(0);
                positions.Should().Equal(box.Messages.Select(m => (long)m.Span.Offset), "streamed messages start where the whole parse's do");
                PatchMailbox.ReadAsync(new Mailbox.MailboxTestHelpers.TrickleStream(input, chunk)).ToBlockingEnumerable()
                    .Select(m => m.SourceOffset + m.Span.Offset).Should().Equal(positions, "the asynchronous reader gives the same messages");
                foreach (string command in (string[])["messages", "series", "show", "am"])
                {
                    using var stdout = new MemoryStream();
                    using var stderr = new StringWriter();
                    int exit = CommandLine.Run([command, "-"], new MemoryStream(input), stdout, stderr);
                    exit.Should().BeOneOf(CommandLine.ExitOk, 1, 2);
                    stderr.ToString().Should().NotContain("\n   at ", "a command must not print a stack trace");
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"round {round} (seed {seed}, read size {chunk}): {e.GetType().Name} on {input.Length} bytes", e);
            }
        }

        _output.WriteLine($"{rounds} rounds, {messages} messages, {diagnostics} diagnostics");
        messages.Should().BeGreaterThan(rounds, "most mutated mailboxes still hold their messages");
        diagnostics.Should().BeGreaterThan(0, "mutations are reported, not silently dropped");
    }

    private static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]> { SampleSeries.Load() };
        if (TestPaths.CorpusFile("seeds") is { } folder && Directory.Exists(folder))
        {
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                seeds.Add(File.ReadAllBytes(file));
            }
        }

        return seeds;
    }

    private static byte[] Mutate(byte[] original, byte[][] tokens, Random random)
    {
        var input = new List<byte>(original);
        int mutations = 1 + random.Next(random.Next(2) == 0 ? 4 : 30);
        for (int k = 0; k < mutations && input.Count > 0; k++)
        {
            int pos = random.Next(input.Count + 1);
            int rest = input.Count - pos;
            switch (random.Next(7))
            {
                case 0 when rest > 0:
                    input[pos] = (byte)random.Next(256);
                    break;
                case 1:
                case 2:
                    input.InsertRange(pos, tokens[random.Next(tokens.Length)]);
                    break;
                case 3 when rest > 0:
                    input.RemoveRange(pos, Math.Min(rest, random.Next(200)));
                    break;
                case 4 when rest > 0:
                    var chunk = input.GetRange(pos, Math.Min(rest, random.Next(400)));
                    for (int r = 1 + random.Next(random.Next(10) == 0 ? 50 : 4); r > 0; r--)
                    {
                        input.InsertRange(pos, chunk);
                    }

                    break;
                case 5 when rest > 0 && random.Next(4) == 0:
                    input.RemoveRange(pos, rest);
                    break;
                case 6 when rest > 0 && input[pos] == (byte)'\n':
                    input.Insert(pos, (byte)'\r');
                    break;
            }
        }

        return [.. input];
    }
}
