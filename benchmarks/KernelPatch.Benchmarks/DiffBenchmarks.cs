using BenchmarkDotNet.Attributes;
using KernelPatch.Diff;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>The diff stage: <c>PatchDiff.Parse</c> of every patch part, and the patch-id (parts found in <c>[GlobalSetup]</c>).</summary>
public class DiffBenchmarks : InputBenchmarkBase
{
    private static readonly PatchParseOptions s_options = PatchParseOptions.Default;
    private StageInputs.DiffInput[] _parts = [];
    private PatchDiff[] _parsed = [];

    /// <summary>Parses the input once and keeps each message's patch part (and its parsed diff for the patch-id).</summary>
    protected override void Prepare()
    {
        _parts = StageInputs.Diffs(Bytes);
        _parsed = new PatchDiff[_parts.Length];
        var bag = new DiagnosticBag(s_options);
        for (int i = 0; i < _parts.Length; i++)
        {
            _parsed[i] = PatchDiff.Parse(_parts[i].Source, _parts[i].Span, bag);
            bag.ToImmutableAndClear();
        }
    }

    /// <summary>Parses every patch part; visits every file, hunk and line (<c>EnumerateLines</c>).</summary>
    [Benchmark]
    public long Diff_Parse()
    {
        var bag = new DiagnosticBag(s_options);
        long sum = 0;
        foreach (var part in _parts)
        {
            var diff = PatchDiff.Parse(part.Source, part.Span, bag);
            if (bag.Count > 0)
            {
                bag.ToImmutableAndClear();
            }

            sum += StageInputs.VisitDiff(diff);
        }

        return sum;
    }

    /// <summary>
    /// <c>git patch-id --stable</c> of every parsed diff (the computation behind <see cref="PatchDiff.PatchId"/>,
    /// called directly because the property caches its value).
    /// </summary>
    [Benchmark]
    public long Diff_PatchId()
    {
        long sum = 0;
        foreach (var diff in _parsed)
        {
            if (!diff.Files.IsDefaultOrEmpty)
            {
                sum += DiffPatchId.Compute(diff.Source.Span, diff.Files[0].Span.Offset, diff.Span.End)?.Length ?? 0;
            }
        }

        return sum;
    }
}
