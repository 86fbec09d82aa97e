using System.Reflection;
using System.Text;

namespace KernelPatch.Tests;

/// <summary>
/// The public API is approved against a checked-in listing: a change to it shows up in review as a
/// diff of <c>PublicApi.approved.txt</c>. When the test fails it writes <c>PublicApi.received.txt</c>
/// next to the test assembly; copy it over the approved file once the change is intended.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_listing()
    {
        string actual = Describe(typeof(PatchSeries).Assembly);
        // The approved file is copied next to the test assembly (the source path is not known in a
        // deterministic CI build); the received file is written there too.
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicApi.approved.txt");
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        string receivedPath = Path.Combine(AppContext.BaseDirectory, "PublicApi.received.txt");
        if (actual != approved)
        {
            File.WriteAllText(receivedPath, actual);
        }

        actual.Should().Be(approved, "the public API changed; review {0} and copy it over tests/KernelPatch.Tests/PublicApi.approved.txt", receivedPath);
    }

    [Fact]
    public void Every_public_type_lives_in_a_stage_namespace()
    {
        string[] allowed = ["KernelPatch", "KernelPatch.Text", "KernelPatch.Mailbox", "KernelPatch.Mail", "KernelPatch.Subject", "KernelPatch.Commit", "KernelPatch.Diff", "KernelPatch.Series"];
        foreach (var type in typeof(PatchSeries).Assembly.GetExportedTypes())
        {
            allowed.Should().Contain(type.Namespace, "{0} is public", type.FullName);
        }
    }

    internal static string Describe(Assembly assembly)
    {
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
            sb.Append(kind).Append(' ').Append(type.FullName);
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
            {
                sb.Append(" : ").Append(b.FullName);
            }

            sb.Append('\n');
            if (type.IsEnum)
            {
                foreach (string name in Enum.GetNames(type))
                {
                    sb.Append("  ").Append(name).Append('\n');
                }

                continue;
            }

            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => "  " + m.MemberType.ToString().ToLowerInvariant() + " " + m)
                .Order(StringComparer.Ordinal);
            foreach (string m in members)
            {
                sb.Append(m).Append('\n');
            }
        }

        return sb.ToString();
    }
}
