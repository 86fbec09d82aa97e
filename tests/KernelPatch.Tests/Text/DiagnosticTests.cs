using KernelPatch.Text;

namespace KernelPatch.Tests.Text;

public class DiagnosticTests
{
    [Fact]
    public void GetLineColumn_counts_lines_and_bytes_from_one()
    {
        var input = "ab\ncd\nef"u8;
        new PatchDiagnostic("KP0101", PatchDiagnosticSeverity.Warning, "x", 4).GetLineColumn(input).Should().Be((2, 2));
        new PatchDiagnostic("KP0101", PatchDiagnosticSeverity.Warning, "x", 0).GetLineColumn(input).Should().Be((1, 1));
        new PatchDiagnostic("KP0101", PatchDiagnosticSeverity.Warning, "x", 8).GetLineColumn(input).Should().Be((3, 3));
    }

    [Fact]
    public void Strict_bag_throws_with_the_position_and_lenient_bag_keeps_going()
    {
        var lenient = new DiagnosticBag(PatchParseOptions.Default);
        lenient.Error("KP0501", "corrupt hunk", 42);
        lenient.Warning("KP0502", "odd", 50);
        var kept = lenient.ToImmutableAndClear();
        kept.Select(d => (d.Code, d.Offset)).Should().Equal(("KP0501", 42), ("KP0502", 50));

        var strict = new DiagnosticBag(PatchParseOptions.Strict);
        strict.Warning("KP0502", "odd", 50);
        var act = () => strict.Error("KP0501", "corrupt hunk", 42);
        act.Should().Throw<PatchFormatException>().Which.Offset.Should().Be(42);
    }

    [Fact]
    public void Bag_caps_the_number_of_kept_diagnostics_and_says_how_many_were_dropped()
    {
        var bag = new DiagnosticBag(PatchParseOptions.Default with { MaxDiagnosticsPerMessage = 3 });
        for (int i = 0; i < 10; i++)
        {
            bag.Warning("KP0502", "odd", i);
        }

        var kept = bag.ToImmutableAndClear();
        kept.Should().HaveCount(4);
        kept[^1].Code.Should().Be("KP0001");
        kept[^1].Message.Should().StartWith("7 more diagnostics");
    }
}
