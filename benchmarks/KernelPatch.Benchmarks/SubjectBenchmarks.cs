using BenchmarkDotNet.Attributes;
using KernelPatch.Subject;

namespace KernelPatch.Benchmarks;

/// <summary>The subject stage: <c>SubjectLine.Parse</c> of every message's decoded Subject (extracted in <c>[GlobalSetup]</c>).</summary>
public class SubjectBenchmarks : InputBenchmarkBase
{
    private string[] _subjects = [];

    /// <summary>Parses the input once and keeps the subjects.</summary>
    protected override void Prepare()
    {
        _subjects = StageInputs.Subjects(Bytes);
    }

    /// <summary>Parses every subject; visits tags, version, index, total, flags and title.</summary>
    [Benchmark]
    public long Subject_Parse()
    {
        long sum = 0;
        foreach (string subject in _subjects)
        {
            var s = SubjectLine.Parse(subject);
            foreach (string tag in s.Tags)
            {
                sum += tag.Length;
            }

            sum += (s.Version ?? 0) + (s.Index ?? 0) + (s.Total ?? 0) + (s.IsReply ? 1 : 0) + (s.IsRfc ? 2 : 0) + s.Title.Length;
        }

        return sum;
    }
}
