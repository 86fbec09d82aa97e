using System.Text;
using System.Text.Json;
using KernelPatch.Tool;
using Xunit.Abstractions;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// The whole pipeline, through the JSON the <c>kernelpatch messages</c> command prints, against
/// what git's own tools say about every message of the real mbox in the shared corpus.
/// </summary>
public class CorpusAgreementTests
{
    private readonly ITestOutputHelper _output;

    public CorpusAgreementTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Messages_json_agrees_with_git_on_every_message_of_the_b4_history()
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox") || !TestPaths.TryCorpus(_output, out string oracle, "dev", "b4-history.oracle.jsonl"))
        {
            return;
        }

        var (exit, stdout, _) = RunTool("messages", mbox);
        exit.Should().Be(0);
        string[] ours = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] theirs = File.ReadAllLines(oracle);
        ours.Should().HaveCount(theirs.Length).And.HaveCount(1392);

        var agree = new Dictionary<string, int>
        {
            ["author"] = 0, ["date"] = 0, ["title"] = 0, ["body"] = 0, ["files"] = 0, ["patchId"] = 0,
        };
        var firstMismatch = new List<string>();
        for (int i = 0; i < theirs.Length; i++)
        {
            using var expected = JsonDocument.Parse(theirs[i]);
            using var actual = JsonDocument.Parse(ours[i]);
            var e = expected.RootElement;
            var a = actual.RootElement;
            Check("author", Person(e.GetProperty("author")) == Person(a.GetProperty("author")));
            Check("date", e.GetProperty("date").GetString() == a.GetProperty("date").GetString());
            Check("title", e.GetProperty("title").GetString() == a.GetProperty("title").GetString());
            Check("body", e.GetProperty("body").GetString()!.TrimEnd() == a.GetProperty("body").GetString()!.TrimEnd());
            Check("files", Files(e) == Files(a));
            Check("patchId", e.GetProperty("patchId").ToString() == a.GetProperty("patchId").ToString());

            void Check(string field, bool ok)
            {
                if (ok)
                {
                    agree[field]++;
                }
                else if (firstMismatch.Count < 10)
                {
                    firstMismatch.Add($"message {i}: {field} differs");
                }
            }
        }

        foreach (var (field, count) in agree)
        {
            _output.WriteLine($"{field}: {count}/{theirs.Length} agree with git");
        }

        firstMismatch.Should().BeEmpty();
        agree.Values.Should().AllSatisfy(v => v.Should().Be(1392));
    }

    [Fact]
    public void The_b4_history_is_one_complete_series_of_1392_patches_by_many_authors()
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox"))
        {
            return;
        }

        // git format-patch --stdout output: no Message-ID, author dates over years, many authors.
        var series = PatchSeries.Load(mbox);
        series.Total.Should().Be(1392);
        series.Patches.Should().HaveCount(1392);
        series.IsComplete.Should().BeTrue();
        series.CoverLetter.Should().BeNull();
        series.Patches[0].Message.Title.Should().Be("Initial commit after porting from korg-helpers");
        series.Patches.Select(p => p.Message.Author!.Email).Distinct().Count().Should().BeGreaterThan(1);
        var stat = series.CombinedDiffstat;
        stat.Insertions.Should().Be(series.Patches.Sum(p => p.Message.Files.Sum(f => f.AddedCount)));
    }

    [Fact]
    public void Seed_digests_give_27_messages_with_covers_and_patches()
    {
        if (!TestPaths.TryCorpus(_output, out string seeds, "seeds"))
        {
            return;
        }

        int messages = 0, covers = 0, patches = 0;
        foreach (string file in Directory.GetFiles(seeds, "*.txt").Order(StringComparer.Ordinal))
        {
            var (exit, stdout, _) = RunTool("messages", file);
            exit.Should().Be(0);
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                var m = doc.RootElement;
                messages++;
                var prefix = m.GetProperty("prefix");
                string kind = m.GetProperty("kind").GetString()!;
                if (prefix.GetProperty("index").ValueKind == JsonValueKind.Number && prefix.GetProperty("index").GetInt32() == 0)
                {
                    kind.Should().Be("cover", "a 0/N message is a cover letter: {0}", m.GetProperty("subject").GetString());
                    covers++;
                }
                else
                {
                    kind.Should().Be("patch", m.GetProperty("subject").GetString());
                    patches++;
                }

                m.GetProperty("messageId").GetString().Should().NotBeNullOrEmpty().And.NotContain("<");
                m.GetProperty("author").GetProperty("email").GetString().Should().Contain("@");
                m.GetProperty("diffstat").ValueKind.Should().Be(JsonValueKind.Object);
            }
        }

        _output.WriteLine($"{messages} messages: {covers} covers, {patches} patches");
        messages.Should().Be(27);
        covers.Should().Be(20);
        patches.Should().Be(7);
    }

    internal static (int Exit, string Stdout, string Stderr) RunTool(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int exit = CommandLine.Run(args, Stream.Null, stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private static string Person(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "null" : e.GetProperty("name").GetString() + " <" + e.GetProperty("email").GetString() + ">";

    private static string Files(JsonElement message)
    {
        var sb = new StringBuilder();
        foreach (var f in message.GetProperty("files").EnumerateArray())
        {
            sb.Append(f.GetProperty("oldPath")).Append('|').Append(f.GetProperty("newPath")).Append('|')
              .Append(f.GetProperty("status")).Append('|').Append(f.GetProperty("binary")).Append('|')
              .Append(f.GetProperty("added")).Append('|').Append(f.GetProperty("removed")).Append(';');
        }

        return sb.ToString();
    }
}
