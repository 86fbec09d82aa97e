using System.Diagnostics;
using System.Text;
using KernelPatch.Diff;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Diff;

/// <summary>
/// Asks python-unidiff itself, when a Python with the <c>unidiff</c> module is installed (Debian: <c>python3-unidiff</c>;
/// a fresh machine has none and the test says so): for every diff of the b4 history, each file's paths and +/- counts
/// and each hunk's header, section heading, added, removed and context lines and first and last line numbers must be
/// what KernelPatch gives. unidiff cannot read <c>GIT binary patch</c> blocks, so messages holding one are left out.
/// </summary>
public sealed class UnidiffAgreementTests
{
    // Prints, for each diff file given, one line per file and per hunk in the shape Describe writes below.
    private const string Script = """
import sys, unidiff
def strip(x):
    return x if x == '/dev/null' else (x[2:] if x.startswith(('a/', 'b/')) else x)
for path in sys.argv[1:]:
    ps = unidiff.PatchSet(open(path, encoding='utf-8', errors='surrogateescape').read())
    print('== ' + path)
    for f in ps:
        print(f"F {strip(f.source_file)} {strip(f.target_file)} +{f.added} -{f.removed}")
        for h in f:
            olds = [l.source_line_no for l in h if l.source_line_no]
            news = [l.target_line_no for l in h if l.target_line_no]
            a = sum(1 for l in h if l.is_added); r = sum(1 for l in h if l.is_removed); c = sum(1 for l in h if l.is_context)
            print(f"H {h.source_start},{h.source_length} {h.target_start},{h.target_length} [{h.section_header}] +{a} -{r} ={c} "
                  f"old {olds[0] if olds else -1}..{olds[-1] if olds else -1} new {news[0] if news else -1}..{news[-1] if news else -1}")
""";

    private readonly ITestOutputHelper _output;

    public UnidiffAgreementTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_hunk_of_the_b4_history_is_read_as_python_unidiff_reads_it()
    {
        if (!TestPaths.TryCorpus(_output, out string mbox, "dev", "b4-history.mbox"))
        {
            return;
        }

        string? python = FindPythonWithUnidiff();
        if (python is null)
        {
            _output.WriteLine("no Python with the unidiff module (python3-unidiff): skipped");
            return;
        }

        string dir = Path.Combine(Path.GetTempPath(), "kernelpatch-unidiff-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var expected = new StringBuilder();
            var files = new List<string>();
            foreach (var m in PatchMailbox.Load(mbox).Messages)
            {
                if (m.Diff is not { } diff || m.Commit is not { } commit || diff.Files.Any(f => f.BinaryPatch is not null))
                {
                    continue;
                }

                string path = Path.Combine(dir, m.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".patch");
                File.WriteAllBytes(path, commit.Patch.ToArray());
                files.Add(path);
                expected.Append("== ").Append(path).Append('\n');
                Describe(diff, expected);
            }

            files.Should().HaveCount(1387, "the b4 history has 1,392 messages with a diff, 5 of them with binary patches");
            string script = Path.Combine(dir, "describe.py");
            File.WriteAllText(script, Script);
            string actual = Run(python, [script, .. files]);
            var theirs = actual.Split('\n');
            var ours = expected.ToString().Split('\n');
            int firstDifference = Enumerable.Range(0, Math.Min(theirs.Length, ours.Length)).FirstOrDefault(i => theirs[i] != ours[i], -1);
            firstDifference.Should().Be(-1, "unidiff says \"{0}\" where KernelPatch says \"{1}\"",
                firstDifference < 0 ? "" : theirs[firstDifference], firstDifference < 0 ? "" : ours[firstDifference]);
            theirs.Length.Should().Be(ours.Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Describe(PatchDiff diff, StringBuilder sb)
    {
        foreach (var f in diff.Files)
        {
            sb.Append($"F {f.OldPath ?? "/dev/null"} {f.NewPath ?? "/dev/null"} +{f.AddedCount} -{f.RemovedCount}\n");
            foreach (var h in f.Hunks)
            {
                int added = 0, removed = 0, context = 0, firstOld = -1, lastOld = -1, firstNew = -1, lastNew = -1;
                foreach (var line in h.EnumerateLines())
                {
                    added += line.Kind == DiffLineKind.Added ? 1 : 0;
                    removed += line.Kind == DiffLineKind.Removed ? 1 : 0;
                    context += line.Kind == DiffLineKind.Context ? 1 : 0;
                    if (line.OldNumber > 0)
                    {
                        firstOld = firstOld < 0 ? line.OldNumber : firstOld;
                        lastOld = line.OldNumber;
                    }

                    if (line.NewNumber > 0)
                    {
                        firstNew = firstNew < 0 ? line.NewNumber : firstNew;
                        lastNew = line.NewNumber;
                    }
                }

                sb.Append($"H {h.OldStart},{h.OldCount} {h.NewStart},{h.NewCount} [{h.Section}] +{added} -{removed} ={context} old {firstOld}..{lastOld} new {firstNew}..{lastNew}\n");
            }
        }
    }

    private static string? FindPythonWithUnidiff()
    {
        foreach (string candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                if (RunProcess(candidate, ["-c", "import unidiff"]).ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed under that name
            }
        }

        return null;
    }

    private static string Run(string python, string[] args)
    {
        var (exit, output, error) = RunProcess(python, args);
        exit.Should().Be(0, "unidiff failed: {0}", error);
        return output;
    }

    private static (int ExitCode, string Output, string Error) RunProcess(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
