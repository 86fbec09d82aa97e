using System.Reflection;
using System.Text.RegularExpressions;

namespace KernelPatch.Tests;

/// <summary>
/// Every diagnostic code the library can report has its row in docs/diagnostics.md, and every row there is a code the
/// library has: a code added without its documentation, or documentation left behind by a removed code, fails here.
/// </summary>
public class DiagnosticCodesDocumentedTests
{
    [Fact]
    public void Every_code_is_documented_and_every_documented_code_exists()
    {
        var inCode = typeof(PatchMailbox).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("DiagnosticCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        inCode.Should().Contain("KP0510").And.HaveCountGreaterThan(50);

        string docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "diagnostics.md"));
        var documented = Regex.Matches(docs, @"^\| (KP\d{4}) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        documented.Should().OnlyHaveUniqueItems();
        documented.Should().BeEquivalentTo(inCode);
    }
}
