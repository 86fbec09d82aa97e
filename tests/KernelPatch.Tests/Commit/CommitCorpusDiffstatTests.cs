using System.Runtime.InteropServices;
using System.Text.Json;
using KernelPatch.Commit;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Commit;

public sealed class CommitCorpusDiffstatTests(ITestOutputHelper output)
{
    [Fact]
    public void B4History_DeclaredDiffstat_MatchesGitApplyNumstat()
    {
        if (!TestPaths.TryCorpus(output, out string mbox, "dev", "b4-history.mbox") || !TestPaths.TryCorpus(output, out string oracle, "dev", "b4-history.oracle.jsonl"))
        {
            return;
        }

        List<TestMail> mails = TestMail.SplitFormatPatchMbox(File.ReadAllBytes(mbox));
        string[] expected = File.ReadAllLines(oracle);
        int agree = 0;
        int files = 0;
        var failures = new List<string>();
        for (int i = 0; i < mails.Count; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(expected[i]);
            var parsed = new List<DiffstatTarget>();
            foreach (JsonElement f in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                parsed.Add(new(
                    f.GetProperty("oldPath").GetString(),
                    f.GetProperty("newPath").GetString(),
                    f.GetProperty("added").ValueKind == JsonValueKind.Number ? f.GetProperty("added").GetInt32() : 0,
                    f.GetProperty("removed").ValueKind == JsonValueKind.Number ? f.GetProperty("removed").GetInt32() : 0,
                    f.GetProperty("binary").GetBoolean()));
            }

            CommitMessage m = mails[i].Parse();
            if (m.Diffstat is null)
            {
                if (failures.Count < 10)
                {
                    failures.Add($"#{i}: no diffstat");
                }

                continue;
            }

            files += m.Diffstat.Files.Length;
            var bag = new KernelPatch.Text.DiagnosticBag();
            CommitMessage.CrossCheck(m.Diffstat, CollectionsMarshal.AsSpan(parsed), bag);
            var diagnostics = bag.ToImmutableAndClear();
            if (diagnostics.IsEmpty)
            {
                agree++;
            }
            else if (failures.Count < 10)
            {
                failures.Add($"#{i}: {diagnostics[0].Message}");
            }
        }

        output.WriteLine($"{agree}/{mails.Count} declared diffstats agree with git apply --numstat ({files} file lines)");
        foreach (string f in failures)
        {
            output.WriteLine(f);
        }

        failures.Should().BeEmpty();
        agree.Should().Be(1392);
    }
}
