using System.Globalization;

namespace KernelPatch.Benchmarks;

/// <summary>
/// The benchmark inputs, by name: generated mailboxes (<c>gen-1MB</c>, <c>gen-64MB</c>) and real
/// mboxes named by <c>KERNELPATCH_BENCH_MBOX</c> (one path, or several separated by the platform's
/// path separator), each known by its file name.
/// </summary>
/// <remarks>
/// Generated inputs are written once to a cache file in the temp folder, so the BenchmarkDotNet
/// host (which computes the MB/s column) and the benchmark child processes see the same bytes
/// without generating them again.
/// </remarks>
internal static class BenchmarkInputs
{
    /// <summary>Environment variable naming real mbox files to benchmark.</summary>
    public const string MboxVariable = "KERNELPATCH_BENCH_MBOX";

    /// <summary>The generator's seed for every generated input.</summary>
    public const int Seed = 42;

    private const string GeneratedPrefix = "gen-";

    /// <summary>Input names for <c>[ParamsSource]</c>: the generated sizes, then each real mbox.</summary>
    public static IEnumerable<string> Names()
    {
        yield return "gen-1MB";
        yield return "gen-64MB";
        foreach (string path in MboxPaths())
        {
            yield return Path.GetFileName(path);
        }
    }

    /// <summary>The real mbox files named by <see cref="MboxVariable"/>, as full paths.</summary>
    public static IEnumerable<string> MboxPaths()
    {
        string? paths = Environment.GetEnvironmentVariable(MboxVariable);
        if (string.IsNullOrWhiteSpace(paths))
        {
            yield break;
        }

        foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return Path.GetFullPath(path);
        }
    }

    /// <summary>The bytes of the named input.</summary>
    public static byte[] Load(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The size in bytes of the named input (the MB/s column divides it by the mean time).</summary>
    public static long SizeOf(string name) => new FileInfo(PathOf(name)).Length;

    /// <summary>The file holding the named input; generated inputs are written on first use.</summary>
    public static string PathOf(string name)
    {
        if (!name.StartsWith(GeneratedPrefix, StringComparison.Ordinal))
        {
            // A real mbox is named by its file name (short in the summary table); the variable has the path.
            foreach (string mbox in MboxPaths())
            {
                if (Path.GetFileName(mbox) == name)
                {
                    return mbox;
                }
            }

            return name;
        }

        long size = ParseSize(name[GeneratedPrefix.Length..]);
        string path = GeneratedPath(size);
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            MailboxGenerator.Generate(stream, size, Seed);
        }

        // Another process may have won the race; both wrote the same bytes.
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The cache file of the generated input of <paramref name="size"/> bytes (seed <see cref="Seed"/>, current generator format).</summary>
    public static string GeneratedPath(long size) =>
        Path.Combine(Path.GetTempPath(), "kernelpatch-bench", "generated-" + size.ToString(CultureInfo.InvariantCulture) + "-seed" + Seed.ToString(CultureInfo.InvariantCulture)
            + "-v" + MailboxGenerator.FormatVersion.ToString(CultureInfo.InvariantCulture) + ".mbox");

    /// <summary>Parses <c>1048576</c>, <c>64KB</c>, <c>64MB</c>, <c>1GB</c> (binary multiples).</summary>
    public static long ParseSize(string text)
    {
        long multiplier = 1;
        string digits = text;
        if (text.EndsWith("GB", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1L << 30;
            digits = text[..^2];
        }
        else if (text.EndsWith("MB", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1L << 20;
            digits = text[..^2];
        }
        else if (text.EndsWith("KB", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = 1L << 10;
            digits = text[..^2];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0)
        {
            throw new ArgumentException("expected a size such as 1048576, 64MB or 1GB, found '" + text + "'", nameof(text));
        }

        return checked(value * multiplier);
    }
}
