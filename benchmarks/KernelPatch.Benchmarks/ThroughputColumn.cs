using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KernelPatch.Benchmarks;

/// <summary>
/// A column dividing the benchmark's input size (from its <c>Input</c> parameter) by its mean time
/// (MB/s, 1 MB = 10^6 bytes) or its allocated bytes by the input size in MB.
/// </summary>
internal sealed class ThroughputColumn(ThroughputColumn.Kind kind) : IColumn
{
    /// <summary>Which ratio the column shows.</summary>
    public enum Kind
    {
        /// <summary>Input bytes / 10^6 / mean seconds.</summary>
        MegabytesPerSecond,

        /// <summary>Allocated bytes per operation / (input bytes / 10^6).</summary>
        AllocatedPerMegabyte,
    }

    private readonly Kind _kind = kind;

    public string Id => nameof(ThroughputColumn) + "." + _kind;

    public string ColumnName => _kind == Kind.MegabytesPerSecond ? "MB/s" : "Alloc B/MB";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _kind == Kind.MegabytesPerSecond ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _kind == Kind.MegabytesPerSecond
        ? "Input size in MB (10^6 bytes) divided by the mean time in seconds"
        : "Bytes allocated per operation divided by the input size in MB (10^6 bytes)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report is null || benchmarkCase.Parameters["Input"] is not string input)
        {
            return "?";
        }

        double megabytes = BenchmarkInputs.SizeOf(input) / 1e6;
        if (_kind == Kind.MegabytesPerSecond)
        {
            double? meanNanoseconds = report.ResultStatistics?.Mean;
            return meanNanoseconds is null or <= 0 ? "?" : (megabytes / (meanNanoseconds.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
        }

        long? allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return allocated is null ? "?" : (allocated.Value / megabytes).ToString("N0", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
