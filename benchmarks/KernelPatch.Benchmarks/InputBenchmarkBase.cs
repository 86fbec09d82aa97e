using BenchmarkDotNet.Attributes;

namespace KernelPatch.Benchmarks;

/// <summary>
/// Base of every benchmark class: one parameter, <see cref="Input"/>, naming the input (see
/// <see cref="BenchmarkInputs"/>), loaded once in <see cref="Setup"/>. The MB/s and
/// allocated-per-MB columns read the input's size from this parameter.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public abstract class InputBenchmarkBase
{
    /// <summary>The input's bytes, loaded in <see cref="Setup"/>.</summary>
    protected byte[] Bytes { get; private set; } = [];

    /// <summary>The input's name: <c>gen-1MB</c>, <c>gen-64MB</c> or the file name of a real mbox.</summary>
    [ParamsSource(nameof(InputNames))]
    public string Input { get; set; } = "gen-1MB";

    /// <summary>The values of <see cref="Input"/>.</summary>
    public static IEnumerable<string> InputNames() => BenchmarkInputs.Names();

    /// <summary>Loads the input (generating it on first use), then lets the class pre-extract its stage's input (<see cref="Prepare"/>).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Bytes = BenchmarkInputs.Load(Input);
        Prepare();
    }

    /// <summary>Pre-extracts what a stage benchmark consumes from <see cref="Bytes"/> (nothing by default). Runs once, outside the measurement.</summary>
    protected virtual void Prepare()
    {
    }
}
