using System.Text.Json;

namespace KernelPatch.Tests.Tool;

/// <summary>
/// The kernelpatch command runs with the JIT's instrumented tier, its call-counting delay and the background GC off (its project file says why;
/// docs/performance.md has the measurements). The settings live in the runtimeconfig.json the build writes, which the
/// tool package carries: a change to the project that drops them fails here.
/// </summary>
public class RuntimeSettingsTests
{
    [Fact]
    public void The_command_runs_without_tiered_PGO_the_call_counting_delay_and_the_background_GC()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "KernelPatch.Tool.runtimeconfig.json");
        File.Exists(path).Should().BeTrue("the test project references the tool, so the build copies its runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        properties.GetProperty("System.Runtime.TieredPGO").GetBoolean().Should().BeFalse();
        properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32().Should().Be(0);
        properties.GetProperty("System.GC.Concurrent").GetBoolean().Should().BeFalse();
        properties.TryGetProperty("System.GC.Server", out var server).Should().BeFalse("workstation GC: the command uses one thread ({0})", server);
    }
}
