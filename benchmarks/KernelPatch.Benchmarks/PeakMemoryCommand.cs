using System.Diagnostics;
using System.Globalization;

namespace KernelPatch.Benchmarks;

/// <summary>
/// <c>peakmem PATH|SIZE [--pipe]</c>: streams a mailbox file through <c>PatchMailbox.Read(FileStream)</c>,
/// visiting each message and dropping it, and reports the process's peak working set against the
/// target (64 MB plus the largest message). With SIZE (e.g. <c>1GB</c>) the input is first generated
/// to a file in the temp folder (cached, as the benchmark inputs are). With <c>--pipe</c> the file is read
/// through a stream that cannot seek, as a pipe, a socket or a request body is.
/// </summary>
internal static class PeakMemoryCommand
{
    private const int SampleEvery = 100;
    private const long Budget = 64L << 20;

    public static int Run(string pathOrSize, TextWriter output, bool pipe = false)
    {
        string path = pathOrSize;
        if (!File.Exists(path))
        {
            long size;
            try
            {
                size = BenchmarkInputs.ParseSize(pathOrSize);
            }
            catch (ArgumentException)
            {
                Console.Error.WriteLine("usage: peakmem PATH|SIZE   (PATH: an existing mbox file; SIZE: bytes, or 64MB / 1GB, below 2 GiB)");
                return 2;
            }

            if (size >= int.MaxValue)
            {
                Console.Error.WriteLine("peakmem: stream offsets are 32-bit; give a size below 2 GiB");
                return 2;
            }

            path = BenchmarkInputs.GeneratedPath(size);
            if (!File.Exists(path))
            {
                // Generate in a child process, so the generator's memory is not in this process's peak.
                var generating = Stopwatch.StartNew();
                int exit = GenerateInChild(path, size);
                if (exit != 0 || !File.Exists(path))
                {
                    Console.Error.WriteLine("peakmem: generating " + path + " failed (exit " + exit + ")");
                    return 2;
                }

                output.WriteLine("generated " + path + " in a child process in " + generating.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
            }
        }

        long fileBytes = new FileInfo(path).Length;
        output.WriteLine("input " + path + " (" + fileBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes)");

        // Let the generator's garbage go and reset the kernel's peak-RSS mark (Linux: writing 5 to
        // clear_refs resets VmHWM, which PeakWorkingSet64 reads), so the peak is the streaming run's.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        bool reset = TryResetPeak();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long startWorkingSet = process.WorkingSet64;
        output.WriteLine("before the run: working set " + Mb(startWorkingSet) + ", peak mark " + (reset ? "reset" : "NOT reset (peak includes setup)") + "; " + ResidentParts());
        var loadedBefore = LoadedAssemblies();

        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        long messages = 0;
        long largest = 0;
        long largestIndex = -1;
        long maxSample = startWorkingSet;
        long maxHeap = 0;
        long maxCommitted = 0;
        long checksum = 0;
        var clock = Stopwatch.StartNew();
        string? failure = null;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            output.WriteLine("read through " + (pipe ? "a stream that cannot seek (--pipe)" : "the FileStream"));
            try
            {
                foreach (PatchMessage message in PatchMailbox.Read(pipe ? new ForwardOnlyStream(stream) : stream))
                {
                    checksum += EndToEnd.VisitMessage(message);
                    if (message.Source.Length > largest)
                    {
                        largest = message.Source.Length;
                        largestIndex = messages;
                    }

                    messages++;
                    if (messages % SampleEvery == 0)
                    {
                        process.Refresh();
                        maxSample = Math.Max(maxSample, process.WorkingSet64);
                        maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false));
                        maxCommitted = Math.Max(maxCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
                    }
                }
            }
            catch (Exception e) when (e is OverflowException or OutOfMemoryException or PatchFormatException)
            {
                // Report how far the reader got and the memory it held by then, rather than only a stack trace.
                failure = e.GetType().Name + " after " + messages.ToString(CultureInfo.InvariantCulture) + " messages, at stream position "
                    + stream.Position.ToString("N0", CultureInfo.InvariantCulture) + ": " + e.Message;
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        maxSample = Math.Max(maxSample, process.WorkingSet64);
        long peak = process.PeakWorkingSet64;
        long limit = Budget + largest;
        output.WriteLine("messages " + messages.ToString("N0", CultureInfo.InvariantCulture) + ", largest " + largest.ToString("N0", CultureInfo.InvariantCulture)
            + " bytes (message index " + largestIndex.ToString(CultureInfo.InvariantCulture) + "), checksum " + checksum.ToString(CultureInfo.InvariantCulture));
        output.WriteLine("after the run: " + ResidentParts());
        var loadedDuring = LoadedAssemblies();
        loadedDuring.ExceptWith(loadedBefore);
        output.WriteLine("assemblies loaded during the run: " + (loadedDuring.Count == 0 ? "none" : string.Join(", ", loadedDuring.Order(StringComparer.Ordinal))));
        output.WriteLine("time " + seconds.ToString("F2", CultureInfo.InvariantCulture) + " s, " + (fileBytes / 1e6 / seconds).ToString("F1", CultureInfo.InvariantCulture) + " MB/s");
        output.WriteLine("working set: peak " + Mb(peak) + " (PeakWorkingSet64), largest sample " + Mb(maxSample) + " (every " + SampleEvery + " messages), GC heap largest sample " + Mb(maxHeap) + " (committed after a GC: " + Mb(maxCommitted) + ")"
            + "; during the run: allocated " + Mb(GC.GetTotalAllocatedBytes() - allocatedBefore) + ", gen0/1/2 collections " + (GC.CollectionCount(0) - gen0) + "/" + (GC.CollectionCount(1) - gen1) + "/" + (GC.CollectionCount(2) - gen2));
        if (failure is not null)
        {
            output.WriteLine("FAILED: " + failure);
            output.WriteLine("target: peak < 64 MB + largest message read = " + Mb(limit) + ": NOT met (the run did not finish)");
            return 1;
        }

        output.WriteLine("target: peak < 64 MB + largest message = " + Mb(limit) + ": " + (peak < limit ? "met" : "NOT met"));
        return 0;
    }

    private static int GenerateInChild(string path, long size)
    {
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PeakMemoryCommand).Assembly.Location);
        }

        start.ArgumentList.Add("gen");
        start.ArgumentList.Add(temp);
        start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var child = Process.Start(start)!;
        child.WaitForExit();
        if (child.ExitCode == 0)
        {
            File.Move(temp, path, overwrite: true);
        }

        return child.ExitCode;
    }

    /// <summary>
    /// The kernel's split of the resident set (Linux <c>/proc/self/status</c>): the peak mark, anonymous memory
    /// (GC heap, runtime and JIT data) and mapped files (the runtime's and the assemblies' images, and the JIT's
    /// double-mapped code).
    /// </summary>
    // Each is mapped code in the working set; the JIT loads one as soon as it compiles a method naming its members.
    private static HashSet<string> LoadedAssemblies()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            names.Add(assembly.GetName().Name ?? "?");
        }

        return names;
    }

    private static string ResidentParts()
    {
        var parts = new List<string>();
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string name = colon < 0 ? "" : line[..colon];
                if (name is "VmHWM" or "RssAnon" or "RssFile" or "RssShmem")
                {
                    string kilobytes = line[(colon + 1)..].Trim().Split(' ')[0];
                    parts.Add(name + " " + Mb(long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no procfs: the split is an extra, the peak above is what counts.
        }

        return parts.Count == 0 ? "resident split not available" : string.Join(", ", parts);
    }

    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>The bytes of a stream, forward only: it can neither seek nor say its length, as a pipe or a socket.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
