using Xunit.Abstractions;

namespace KernelPatch.Tests;

/// <summary>Finds test inputs: the project's own fixtures and the shared real-world corpus.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string?> s_corpus = new(FindCorpus);

    /// <summary>
    /// The folder <c>shared/corpus</c> found beside the checkout (CI puts <c>shared/</c> next to the
    /// clone), searched upwards from the test assembly; or <c>KERNELPATCH_CORPUS</c> when set.
    /// Null when absent: corpus tests then skip and say so.
    /// </summary>
    public static string? Corpus => s_corpus.Value;

    /// <summary>The folder holding the fixture files copied next to the test assembly.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>Full path of a fixture, e.g. <c>Fixture("mail", "dmarc.eml")</c>.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>
    /// The full path of a corpus file or folder (no parts: the corpus folder itself) when it exists; otherwise writes
    /// that the test was skipped, and why, to <paramref name="output"/> and returns false.
    /// </summary>
    public static bool TryCorpus(ITestOutputHelper output, out string path, params string[] parts)
    {
        path = CorpusFile(parts) ?? string.Empty;
        if (path.Length > 0 && (File.Exists(path) || Directory.Exists(path)))
        {
            return true;
        }

        output.WriteLine("corpus absent (../shared/corpus" + (parts.Length == 0 ? string.Empty : "/" + string.Join('/', parts)) + " not found), skipped");
        return false;
    }

    /// <summary>Full path of a corpus file, or null when the corpus is absent.</summary>
    public static string? CorpusFile(params string[] parts) => Corpus is null ? null : Path.Combine([Corpus, .. parts]);

    private static string? FindCorpus()
    {
        string? env = Environment.GetEnvironmentVariable("KERNELPATCH_CORPUS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
