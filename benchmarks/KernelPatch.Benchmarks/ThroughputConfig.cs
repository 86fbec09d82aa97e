using BenchmarkDotNet.Configs;

namespace KernelPatch.Benchmarks;

/// <summary>Adds the MB/s and allocated-bytes-per-MB columns to every benchmark class.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn(ThroughputColumn.Kind.MegabytesPerSecond));
        AddColumn(new ThroughputColumn(ThroughputColumn.Kind.AllocatedPerMegabyte));
    }
}
