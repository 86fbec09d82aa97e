using System.Reflection;
using System.Runtime.CompilerServices;
using KernelPatch.Mail;
using KernelPatch.Mailbox;

namespace KernelPatch.Tests.Benchmarks;

/// <summary>
/// The streaming peak (docs/performance.md, "Code size counts too") moved by 0.7–1.5 MiB each time a rarely taken
/// call was inlined into <c>MailDocument.Parse</c>: the JIT's memory while it compiles that method adds to the peak.
/// No unit test can see the peak itself (the move is smaller than a run's spread on small inputs, and
/// <c>peakmem 1GB</c> takes seconds), so this one keeps the calls found that way out of line: each must stay
/// <see cref="MethodImplOptions.NoInlining"/>. Removing one is a choice to re-measure with <c>peakmem 1GB</c>.
/// </summary>
public class StreamingPeakGuardTests
{
    public static TheoryData<Type, string> KeptOutOfLine => new()
    {
        { typeof(MailDocument), "Unflowed" }, // format=flowed: 67.6-67.8 MiB inlined, 66.1-66.3 not
        { typeof(MailAddressParser), "ParseFirst" }, // the From header with its unquoted-comma retry: 67.0-67.7 against 66.3-66.4
        { typeof(MailboxLines), "IsMessageFromLine" }, // a message's first line: 66.7-67.1 against 66.4-66.6
        { typeof(MailboxLines), "IsFromLine" },
        { typeof(MailBodyDecoder), "Decode" }, // MimeKit: inlined, it loaded MimeKit into every process
        { typeof(PatchMessage), "FromLogCommit" }, // git log and hg export input: out of the mail path from the start (peak unchanged, docs/performance.md)
        { typeof(MailboxScanner), "CommitLine" },
    };

    [Theory]
    [MemberData(nameof(KeptOutOfLine))]
    public void Rare_calls_of_the_mail_parse_are_never_inlined(Type type, string name)
    {
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance).Where(m => m.Name == name).ToList();
        methods.Should().NotBeEmpty("{0}.{1} is named in docs/performance.md", type.Name, name);
        foreach (var method in methods)
        {
            method.MethodImplementationFlags.HasFlag(MethodImplAttributes.NoInlining).Should().BeTrue("{0}.{1} must not be inlined into the mail parse", type.Name, name);
        }
    }
}
