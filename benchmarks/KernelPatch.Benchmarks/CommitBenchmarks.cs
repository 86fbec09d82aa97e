using BenchmarkDotNet.Attributes;
using KernelPatch.Commit;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>The commit stage: <c>CommitMessage.Parse</c> of every mail body (mails parsed in <c>[GlobalSetup]</c>).</summary>
public class CommitBenchmarks : InputBenchmarkBase
{
    private static readonly PatchParseOptions s_options = PatchParseOptions.Default;
    private StageInputs.CommitInput[] _bodies = [];

    /// <summary>Parses the input once and keeps each mail's body, subject, sender and date.</summary>
    protected override void Prepare()
    {
        _bodies = StageInputs.Commits(Bytes);
    }

    /// <summary>Parses every body; visits title, body, notes, every trailer and every diffstat entry.</summary>
    [Benchmark]
    public long Commit_Parse()
    {
        var bag = new DiagnosticBag(s_options);
        long sum = 0;
        foreach (var b in _bodies)
        {
            var commit = CommitMessage.Parse(b.Body, b.BodyOffset, b.Subject, b.Sender, b.Date, bag);
            sum += StageInputs.VisitCommit(commit);
        }

        return sum;
    }
}
