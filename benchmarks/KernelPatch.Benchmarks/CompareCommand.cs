using System.Diagnostics;
using System.Globalization;

namespace KernelPatch.Benchmarks;

/// <summary>
/// <c>compare PATH</c>: a quick comparison outside BenchmarkDotNet. After a warm-up (each contender runs
/// over the whole input for at least two seconds and twice, so the JIT's tiered, profile-guided code is
/// in place before anything is timed: two runs alone left a 64 MB parse measuring half its steady speed), runs five
/// rounds, each giving every contender in turn a full collection and then a quarter of a second of runs back to back
/// (interleaved, so drift on a shared machine hits all alike), and prints each contender's median MB/s and allocated
/// bytes per input byte per run, then the headline ratios. With <c>--each</c>, every message is parsed on its own
/// (<see cref="EachMail"/>) by each contender, and each line also gives the median time a mail.
/// </summary>
internal static class CompareCommand
{
    private const int Rounds = 5;
    private const int MinWarmupRuns = 2;
    private const int MaxWarmupRuns = 200;
    private static readonly TimeSpan s_warmupTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_roundTime = TimeSpan.FromMilliseconds(250);

    public static int Run(string path, TextWriter output, bool eachMail = false)
    {
        byte[] input = File.ReadAllBytes(path);
        if (KernelPatch.Mailbox.CompressedInput.IsGzip(input))
        {
            // A gzip file (lore's t.mbox.gz): every contender gets the same mbox bytes. KernelPatch would decompress it
            // itself and MimeKit cannot; decompressing is not what is compared.
            int compressed = input.Length;
            input = KernelPatch.Mailbox.CompressedInput.Decompress(input, new KernelPatch.Text.DiagnosticBag()).ToArray();
            output.WriteLine("decompressed " + path + ": " + compressed.ToString("N0", CultureInfo.InvariantCulture) + " gzip bytes, "
                + input.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes of input for every contender");
        }

        IReadOnlyList<(string Name, Func<byte[], long> Run)> contenders = Contenders.All;
        long measured = input.Length; // the bytes each run reads: the whole input, or the mails without their From lines
        int mailCount = 0;
        string mode = string.Empty;
        if (eachMail && input.Length > 0)
        {
            ReadOnlyMemory<byte>[] mails = EachMail.Split(input);
            contenders = Contenders.EachMail(mails);
            measured = EachMail.Length(mails);
            mailCount = mails.Length;
            mode = ", each of its " + mailCount.ToString("N0", CultureInfo.InvariantCulture) + " mails parsed on its own ("
                + measured.ToString("N0", CultureInfo.InvariantCulture) + " bytes without the From lines)";
        }

        output.WriteLine("input " + path + " (" + input.Length.ToString("N0", CultureInfo.InvariantCulture) + " bytes)" + mode + ", " + Rounds + " rounds after a warm-up of " + s_warmupTime.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s per contender");
        if (input.Length == 0 || (eachMail && measured == 0))
        {
            output.WriteLine("empty input: nothing to measure");
            return 2;
        }

        long sink = 0;
        var kept = new List<(string Name, Func<byte[], long> Run)>(contenders.Count);
        foreach ((string name, Func<byte[], long> run) in contenders)
        {
            // A peer that cannot read the input (MimeKit needs an mbox; git log output is none) is said and left out,
            // rather than ending the comparison with a stack trace.
            try
            {
                sink += run(input);
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException)
            {
                output.WriteLine(name.PadRight(12) + " cannot read this input: " + e.Message);
                continue;
            }

            kept.Add((name, run));
        }

        contenders = kept;
        foreach ((string _, Func<byte[], long> run) in contenders)
        {
            long warmStart = Stopwatch.GetTimestamp();
            for (int w = 0; w < MaxWarmupRuns && (w < MinWarmupRuns || Stopwatch.GetElapsedTime(warmStart) < s_warmupTime); w++)
            {
                sink += run(input);
            }
        }

        var seconds = new double[contenders.Count][];
        var allocated = new long[contenders.Count][];
        for (int c = 0; c < contenders.Count; c++)
        {
            seconds[c] = new double[Rounds];
            allocated[c] = new long[Rounds];
        }

        for (int r = 0; r < Rounds; r++)
        {
            for (int c = 0; c < contenders.Count; c++)
            {
                // As BenchmarkDotNet times an iteration: a full collection first (outside the timing), then the
                // contender back to back for at least RoundTime, and the mean per run. One run alone was bimodal
                // (13 or 30 ms on the b4 history, with no collection inside it, in the same rounds in every
                // process). It went away with DOTNET_TieredPGO=0 (16 ms each): the once-per-parse series assembly
                // was still being recompiled by the JIT inside those runs (docs/performance.md). The mean of runs
                // back to back does not show it.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long before = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                int runs = 0;
                do
                {
                    sink += contenders[c].Run(input);
                    runs++;
                }
                while (Stopwatch.GetElapsedTime(start) < s_roundTime);

                seconds[c][r] = Stopwatch.GetElapsedTime(start).TotalSeconds / runs;
                allocated[c][r] = (GC.GetAllocatedBytesForCurrentThread() - before) / runs;
            }
        }

        var megabytesPerSecond = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int c = 0; c < contenders.Count; c++)
        {
            double mbps = measured / 1e6 / Median(seconds[c]);
            double perByte = (double)Median(allocated[c]) / measured;
            megabytesPerSecond[contenders[c].Name] = mbps;
            string perMail = mailCount == 0 ? string.Empty
                : "  " + (Median(seconds[c]) * 1e6 / mailCount).ToString("F2", CultureInfo.InvariantCulture).PadLeft(8) + " us/mail";
            output.WriteLine(contenders[c].Name.PadRight(12) + " " + mbps.ToString("F1", CultureInfo.InvariantCulture).PadLeft(10) + " MB/s  "
                + perByte.ToString("F3", CultureInfo.InvariantCulture).PadLeft(8) + " allocated bytes/input byte" + perMail);
        }

        GC.KeepAlive(sink);
        output.WriteLine("ratio " + Contenders.KernelPatch + "/" + Contenders.MimeKit + "=" + Ratio(megabytesPerSecond, Contenders.KernelPatch, Contenders.MimeKit)
            + " " + Contenders.Floor + "/" + Contenders.KernelPatch + "=" + Ratio(megabytesPerSecond, Contenders.Floor, Contenders.KernelPatch));
        return 0;
    }

    private static string Ratio(Dictionary<string, double> mbps, string numerator, string denominator) =>
        mbps.TryGetValue(numerator, out double n) && mbps.TryGetValue(denominator, out double d) && d > 0
            ? (n / d).ToString("F2", CultureInfo.InvariantCulture)
            : "n/a";

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static long Median(long[] values)
    {
        long[] sorted = (long[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
