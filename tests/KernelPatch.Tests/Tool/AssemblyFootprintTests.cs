using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Tool;

/// <summary>
/// Plain UTF-8 mail is read without loading MimeKit, System.Linq or the code-pages encodings: each is mapped code a
/// streaming process would carry for nothing (together 1.1–1.6 MiB of its peak working set; docs/performance.md).
/// The JIT loads an assembly when it compiles a method that names one of its members, so a cold branch in a hot method
/// is enough; the guard is a separate method for each. Checked in a real process, the <c>kernelpatch</c> command
/// reading standard input with every method compiled optimized at once (<c>DOTNET_TieredCompilation=0</c>, so the
/// inlining the final tier does is there from the first message): its mapped files are read from <c>/proc</c> while it
/// waits for more input. Linux only; elsewhere the test says it was skipped.
/// </summary>
public class AssemblyFootprintTests
{
    private const string PlainMessage =
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n" +
        "From: =?utf-8?q?J=C3=B6rg_Sch=C3=BCtz?= <joerg@example.org>\n" +
        "Date: Mon, 9 Mar 2020 10:24:07 -0400\n" +
        "Subject: [PATCH] =?utf-8?q?x=3A_fix_the_=C3=BC_case?=\n" +
        "Message-ID: <ID@example.org>\n" +
        "Content-Type: text/plain; charset=\"utf-8\"\n" +
        "Content-Transfer-Encoding: 8bit\n\n" +
        "Fix it.\n\nSigned-off-by: Jörg Schütz <joerg@example.org>\n---\n x | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n" +
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\n";

    // The same without a Content-Type (MailContentType.Default) and in ASCII.
    private const string BareMessage =
        "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n" +
        "From: Dev Eloper <dev@example.org>\nDate: Mon, 9 Mar 2020 10:24:08 -0400\nSubject: [PATCH] y: tidy\nMessage-ID: <ID@example.org>\n\n" +
        "Tidy.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n---\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n\n";

    // A quoted-printable Latin-1 body: MimeKit and the code pages are needed, and must then be seen as loaded.
    private const string LatinMessage =
        "From 3333333333333333333333333333333333333333 Mon Sep 17 00:00:00 2001\n" +
        "From: =?iso-8859-2?q?Pawe=B3_Dev?= <pawel@example.org>\nDate: Mon, 9 Mar 2020 10:24:09 -0400\nSubject: [PATCH] z: latin\nMessage-ID: <ID@example.org>\n" +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
        "Caf=E9.\n\nSigned-off-by: Pawe=B3 Dev <pawel@example.org>\n---\ndiff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\n-a\n+b\n\n";

    private readonly ITestOutputHelper _output;

    public AssemblyFootprintTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void Plain_UTF8_mail_is_read_without_MimeKit_Linq_or_the_code_pages()
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine("reads /proc: skipped on " + Environment.OSVersion);
            return;
        }

        var mapped = MappedAssembliesWhileReading(i => i % 2 == 0 ? PlainMessage : BareMessage);

        mapped.Should().Contain("KernelPatch.dll", "the parse ran");
        mapped.Should().NotContain("MimeKit.dll");
        mapped.Should().NotContain("System.Linq.dll");
        mapped.Should().NotContain("System.Text.Encoding.CodePages.dll");
    }

    [Fact]
    public void Mail_that_needs_them_loads_them_so_the_check_can_see_a_load()
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine("reads /proc: skipped on " + Environment.OSVersion);
            return;
        }

        var mapped = MappedAssembliesWhileReading(i => i == 0 ? LatinMessage : PlainMessage);

        mapped.Should().Contain("MimeKit.dll").And.Contain("System.Text.Encoding.CodePages.dll");
    }

    /// <summary>
    /// Starts <c>kernelpatch messages -</c>, writes 400 messages to it (enough for its first flush of output) while
    /// reading, and returns the file names of the assemblies mapped into it once the first line of output is read.
    /// </summary>
    private static HashSet<string> MappedAssembliesWhileReading(Func<int, string> message)
    {
        var input = new StringBuilder();
        for (int i = 0; i < 400; i++)
        {
            input.Append(message(i).Replace("<ID@", "<" + i + "@", StringComparison.Ordinal));
        }

        byte[] bytes = Encoding.UTF8.GetBytes(input.ToString());
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KernelPatch.Tool.dll"));
        start.ArgumentList.Add("messages");
        start.ArgumentList.Add("-");
        start.Environment["DOTNET_TieredCompilation"] = "0";

        using var process = Process.Start(start)!;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();

            // Written from another task: the command answers while it reads, and a full output pipe would otherwise
            // stop it reading what this writes.
            var writing = Task.Run(() =>
            {
                process.StandardInput.BaseStream.Write(bytes);
                process.StandardInput.BaseStream.Flush();
            });
            var firstLine = process.StandardOutput.ReadLineAsync();
            firstLine.Wait(TimeSpan.FromMinutes(1)).Should().BeTrue("the command writes its first lines while it waits for more input");
            var mapped = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in File.ReadLines("/proc/" + process.Id + "/maps"))
            {
                if (line.EndsWith(".dll", StringComparison.Ordinal))
                {
                    mapped.Add(Path.GetFileName(line));
                }
            }

            var rest = process.StandardOutput.ReadToEndAsync(); // drained while the rest is written, for the same reason
            writing.Wait(TimeSpan.FromMinutes(1)).Should().BeTrue("the command reads its input");
            process.StandardInput.Close();
            process.WaitForExit(60_000).Should().BeTrue();
            process.ExitCode.Should().Be(0, errors.Result);
            firstLine.Result.Should().StartWith("{\"index\":0,");
            (rest.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length + 1).Should().Be(400);
            return mapped;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // a failed check must not leave the command waiting for input
            }
        }
    }
}
