using System.Diagnostics;

namespace KernelPatch.Tests;

/// <summary>
/// Runs the real <c>git</c> in a temporary folder with a fixed identity and dates and no user or
/// system configuration, so tests that build repositories are repeatable. Disposing deletes the folder.
/// </summary>
internal sealed class TestGit : IDisposable
{
    public const string Name = "Dev Eloper";
    public const string Email = "dev@example.org";

    public TestGit()
    {
        Root = Path.Combine(Path.GetTempPath(), "kernelpatch-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The temporary folder; repositories are made below it.</summary>
    public string Root { get; }

    /// <summary>A new instance when git can be started; null when it cannot, said in the test's output (the folder removed).</summary>
    public static TestGit? TryCreate(Xunit.Abstractions.ITestOutputHelper output)
    {
        var git = new TestGit();
        if (git.IsAvailable)
        {
            return git;
        }

        git.Dispose();
        output.WriteLine("skipped: git is not installed");
        return null;
    }

    /// <summary>A new empty repository in a folder of <see cref="Root"/>; returns its path.</summary>
    public string InitRepo(string name = "repo")
    {
        string repo = Path.Combine(Root, name);
        Directory.CreateDirectory(repo);
        Run(repo, "init", "-q");
        return repo;
    }

    /// <summary>Whether git can be started on this machine.</summary>
    public bool IsAvailable => TryRun(Root, ["--version"]) is { ExitCode: 0 };

    /// <summary>Runs git in <paramref name="workDir"/> and returns its standard output; a non-zero exit fails the test.</summary>
    public string Run(string workDir, params string[] args)
    {
        var result = TryRun(workDir, args) ?? throw new InvalidOperationException("git could not be started");
        result.ExitCode.Should().Be(0, "git {0} failed: {1}", string.Join(' ', args), result.Error);
        return result.Output;
    }

    /// <summary>Runs <c>git mailinfo</c> on <paramref name="mail"/>: the commit message and the patch it writes, and its output (the Author, Email, Subject and Date lines).</summary>
    public (string Message, string Patch, string Info) MailInfo(string mail)
    {
        string msg = Path.Combine(Root, "msg");
        string patch = Path.Combine(Root, "patch");
        var result = TryRun(Root, ["mailinfo", msg, patch], mail) ?? throw new InvalidOperationException("git could not be started");
        result.ExitCode.Should().Be(0, "git mailinfo failed: {0}", result.Error);
        return (File.ReadAllText(msg), File.ReadAllText(patch), result.Output);
    }

    /// <summary>The id <c>git patch-id --stable</c> gives <paramref name="patch"/>; empty when it finds no diff.</summary>
    public string PatchId(string patch) => (TryRun(Root, ["patch-id", "--stable"], patch) ?? throw new InvalidOperationException("git could not be started")).Output.Split(' ')[0];

    /// <summary>Runs git and returns exit code, output and error; null when git is not installed.</summary>
    /// <param name="workDir">The working folder.</param>
    /// <param name="args">The arguments after the fixed <c>-c</c> settings.</param>
    /// <param name="stdin">Text for standard input, if any.</param>
    /// <param name="environment">Variables set after the fixed ones (so they win), e.g. <c>GIT_AUTHOR_DATE</c>.</param>
    public (int ExitCode, string Output, string Error)? TryRun(string workDir, string[] args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-c", "user.name=" + Name, "-c", "user.email=" + Email, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false" })
        {
            start.ArgumentList.Add(a);
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = Path.Combine(Root, "no-global-config");
        start.Environment["HOME"] = Root;
        start.Environment["GIT_AUTHOR_DATE"] = "2024-03-09T10:00:00Z";
        start.Environment["GIT_COMMITTER_DATE"] = "2024-03-09T10:00:00Z";
        start.Environment["GIT_AUTHOR_NAME"] = Name;
        start.Environment["GIT_AUTHOR_EMAIL"] = Email;
        start.Environment["GIT_COMMITTER_NAME"] = Name;
        start.Environment["GIT_COMMITTER_EMAIL"] = Email;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }

            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }
}
