using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using KernelPatch.Series;
using Xunit.Abstractions;
using static KernelPatch.Tests.Series.SeriesTestMessages;

namespace KernelPatch.Tests.Series;

/// <summary>
/// End to end: a real repository, a real <c>git format-patch --cover-letter</c> series, reply mails
/// carrying trailers, our assembler and writer, and the real <c>git am</c> on the base commit.
/// </summary>
public sealed class AmWriterGitTests : IDisposable
{
    private const string Dev = TestGit.Name;
    private const string DevEmail = TestGit.Email;
    private readonly ITestOutputHelper _output;
    private readonly TestGit _git = new();
    private readonly string _dir;

    public AmWriterGitTests(ITestOutputHelper output)
    {
        _output = output;
        _dir = _git.Root;
    }

    public void Dispose() => _git.Dispose();

    [Fact]
    public void Git_am_applies_the_series_with_the_follow_up_trailers_in_b4_order()
    {
        if (Git("--version") is null)
        {
            _output.WriteLine("git not on PATH, skipped");
            return;
        }

        string repo = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(repo);
        Run(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "README"), "base\n");
        Run(repo, "add", "README");
        Run(repo, "commit", "-q", "-m", "base");
        Run(repo, "tag", "base");
        for (int i = 1; i <= 3; i++)
        {
            File.WriteAllText(Path.Combine(repo, "f" + i), "content " + i + "\n");
            Run(repo, "add", "f" + i);
            Run(repo, "commit", "-q", "-s", "-m", "foo: add f" + i, "-m", "Body of change " + i + ".");
        }

        byte[] mbox = Encoding.UTF8.GetBytes(Run(repo, "format-patch", "--cover-letter", "--thread=shallow", "-3", "--stdout"));
        var raw = SplitMbox(mbox);
        raw.Should().HaveCount(4);

        var messages = new List<SeriesMessageInfo>();
        for (int i = 0; i < raw.Count; i++)
        {
            messages.Add(Describe(i, raw[i]));
        }

        messages[0].PatchIndex.Should().Be(0);
        string cover = messages[0].MessageId!;
        string patch2 = messages[2].MessageId!;
        messages.Add(Reply(4, "r1@example.org", patch2, "> Signed-off-by: Dev Eloper <dev@example.org>\n\nReviewed-by: Rev Iewer <rev@example.org>\n"));
        messages.Add(Reply(5, "r2@example.org", cover, "For the whole series:\n\nAcked-by: Ack Er <ack@example.org>\n-- \nAck Er, maintainer\nTested-by: Not Me <not@example.org>\n", from: "ack@example.org", name: "Ack Er"));
        messages.Add(Reply(6, "r3@example.org", cover, "Tested-by: Test Er <test@example.org>\nReviewed-by: Rev Iewer <rev@example.org>\n", from: "test@example.org", name: "Test Er"));

        var assembly = SeriesAssembler.Assemble(messages, new KernelPatch.Text.DiagnosticBag());
        var series = assembly.Newest(assembly.Submissions.Should().ContainSingle().Subject);
        series.CoverIndex.Should().Be(0);
        series.Patches.Should().Equal(1, 2, 3);

        // Test Er's reply also carries Rev Iewer's Reviewed-by: b4 takes a person's own trailers only.
        assembly.DecisionsFor(6).Should().ContainSingle(d => d.Kind == SeriesDecisionKind.TrailerIgnored);

        var edited = new List<ReadOnlyMemory<byte>>();
        foreach (int p in series.PresentPatches())
        {
            var add = assembly.TrailersToAdd(p, messages[p].Trailers);
            edited.Add(AmWriter.AddTrailers(raw[p], add.Select(t => (t.Key, t.Value)).ToList(), out _));
        }

        string amFile = Path.Combine(_dir, "series.mbox");
        File.WriteAllBytes(amFile, AmWriter.WriteMbox(edited));
        Run(repo, "checkout", "-q", "--detach", "base");
        Run(repo, "am", "-q", amFile);

        string log = Run(repo, "log", "--reverse", "--format=%B%x00", "base..HEAD");
        var bodies = log.Split('\0', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        bodies.Should().Equal(
            "foo: add f1\n\nBody of change 1.\n\nSigned-off-by: Dev Eloper <dev@example.org>\nAcked-by: Ack Er <ack@example.org>\nTested-by: Test Er <test@example.org>",
            "foo: add f2\n\nBody of change 2.\n\nSigned-off-by: Dev Eloper <dev@example.org>\nReviewed-by: Rev Iewer <rev@example.org>\nAcked-by: Ack Er <ack@example.org>\nTested-by: Test Er <test@example.org>",
            "foo: add f3\n\nBody of change 3.\n\nSigned-off-by: Dev Eloper <dev@example.org>\nAcked-by: Ack Er <ack@example.org>\nTested-by: Test Er <test@example.org>");
        Run(repo, "show", "--format=%an <%ae>", "-s", "HEAD").Trim().Should().Be(Dev + " <" + DevEmail + ">");
    }

    /// <summary>What the integrator would fill in from the mail, subject and commit stages; done crudely here for git's own output.</summary>
    private static SeriesMessageInfo Describe(int index, byte[] raw)
    {
        string text = Encoding.UTF8.GetString(raw);
        string Header(string name)
        {
            foreach (string line in text.Split('\n'))
            {
                if (line.Length == 0)
                {
                    break;
                }

                if (line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase))
                {
                    return line[(name.Length + 2)..].Trim();
                }
            }

            return "";
        }

        string subject = Header("Subject");
        int close = subject.IndexOf(']', StringComparison.Ordinal);
        string[] counts = subject[1..close].Split(' ')[1].Split('/');
        string inReplyTo = Header("In-Reply-To").Trim('<', '>');
        var trailers = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("Signed-off-by: ", StringComparison.Ordinal))
            {
                trailers.Add(("Signed-off-by", line["Signed-off-by: ".Length..]));
            }
        }

        return Patch(index, Header("Message-Id").Trim('<', '>'), subject[(close + 2)..], int.Parse(counts[0]), int.Parse(counts[1]),
            inReplyTo: inReplyTo.Length == 0 ? null : inReplyTo, from: DevEmail, name: Dev, hasDiff: text.Contains("\ndiff --git ", StringComparison.Ordinal),
            trailers: [.. trailers]);
    }

    private static List<byte[]> SplitMbox(byte[] mbox)
    {
        var result = new List<byte[]>();
        int start = 0;
        for (int pos = 0; pos < mbox.Length;)
        {
            int nl = Array.IndexOf(mbox, (byte)'\n', pos);
            int end = nl < 0 ? mbox.Length : nl + 1;
            if (pos > 0 && mbox.AsSpan(pos, end - pos).EndsWith(" Mon Sep 17 00:00:00 2001\n"u8) && mbox.AsSpan(pos).StartsWith("From "u8))
            {
                result.Add(mbox[start..pos]);
                start = pos;
            }

            pos = end;
        }

        result.Add(mbox[start..]);
        return result;
    }

    private string Run(string workDir, params string[] args) => _git.Run(workDir, args);

    private (int ExitCode, string Output, string Error)? Git(params string[] args) => _git.TryRun(_dir, args);
}
