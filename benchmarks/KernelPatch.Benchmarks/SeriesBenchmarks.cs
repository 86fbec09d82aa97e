using BenchmarkDotNet.Attributes;
using KernelPatch.Series;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>
/// The series stage: <c>SeriesAssembler.Assemble</c> over every message's series view (threads,
/// revisions, follow-up trailers), and the mapping from parsed messages to that view. Messages are
/// parsed in <c>[GlobalSetup]</c>.
/// </summary>
public class SeriesBenchmarks : InputBenchmarkBase
{
    private static readonly PatchParseOptions s_options = PatchParseOptions.Default;
    private System.Collections.Immutable.ImmutableArray<PatchMessage> _messages;
    private SeriesMessageInfo[] _infos = [];

    /// <summary>Parses the input once; builds the series view of every message.</summary>
    protected override void Prepare()
    {
        _messages = PatchMailbox.Parse(Bytes).Messages;
        _infos = StageInputs.SeriesInfos(_messages);
    }

    /// <summary>Assembles threads and series; visits every series, its patches and follow-up trailers.</summary>
    [Benchmark]
    public long Series_Assemble()
    {
        var assembly = SeriesAssembler.Assemble(_infos, new DiagnosticBag(s_options));
        long sum = assembly.Submissions.Length + assembly.Decisions.Length + assembly.Threads.Roots.Length;
        foreach (var r in assembly.Series)
        {
            sum += r.Version + r.Total + r.Missing.Length + r.Replies.Length + r.FollowUpTrailers.Length;
            foreach (int? p in r.Patches)
            {
                sum += p ?? 0;
            }
        }

        return sum;
    }

    /// <summary>The per-message mapping <c>PatchMailbox.Parse</c> does before assembling (subject re-parse, reply body text, trailers).</summary>
    [Benchmark]
    public long Series_MessageInfos()
    {
        long sum = 0;
        foreach (var m in _messages)
        {
            var info = StageInputs.ToInfo(m);
            sum += info.Title.Length + info.BodyText.Length + info.Trailers.Length + info.Tags.Length;
        }

        return sum;
    }
}
