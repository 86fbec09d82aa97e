using System.Globalization;
using BenchmarkDotNet.Running;

namespace KernelPatch.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "compare")
        {
            bool each = args.Length == 3 && args[2] == "--each";
            if ((args.Length != 2 && !each) || !File.Exists(args[1]))
            {
                Console.Error.WriteLine("usage: compare PATH [--each]   (PATH: an existing mbox file, or one gzipped, which is decompressed first; --each: parse every mail on its own, as a bot receives them)");
                return 2;
            }

            return CompareCommand.Run(args[1], Console.Out, each);
        }

        if (args.Length > 0 && args[0] == "peakmem")
        {
            bool pipe = args.Length == 3 && args[2] == "--pipe";
            if (args.Length != 2 && !pipe)
            {
                Console.Error.WriteLine("usage: peakmem PATH|SIZE [--pipe]   (PATH: an existing mbox file; SIZE: e.g. 1GB, generated to a temp file first; --pipe: read through a stream that cannot seek, as from a pipe or socket)");
                return 2;
            }

            return PeakMemoryCommand.Run(args[1], Console.Out, pipe);
        }

        if (args.Length > 0 && args[0] == "gen")
        {
            long size;
            try
            {
                size = args.Length == 3 || (args.Length == 4 && args[3] == "discussion") ? BenchmarkInputs.ParseSize(args[2]) : -1;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            if (size <= 0)
            {
                Console.Error.WriteLine("usage: gen PATH SIZE [discussion]   (SIZE: bytes, or 64KB / 64MB / 1GB; discussion: review threads of 6-19 replies after each series, as in a list archive)");
                return 2;
            }

            using (var stream = new FileStream(args[1], FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                GeneratedMailboxStats stats = MailboxGenerator.Generate(stream, size, BenchmarkInputs.Seed, discussion: args.Length == 4);
                Console.WriteLine(args[1] + ": " + stream.Length.ToString(CultureInfo.InvariantCulture) + " bytes, " + stats.Messages + " messages ("
                    + stats.CoverLetters + " cover letters, " + stats.Patches + " patches, " + stats.Replies + " replies), "
                    + stats.DiffFiles + " files, " + stats.Hunks + " hunks, " + stats.DiffLines + " diff lines, " + stats.BinaryPatches + " binary patches");
            }

            return 0;
        }

        return RunBenchmarks(args);
    }

    // Kept out of Main so that the commands above (peakmem measures this process's memory) never load
    // BenchmarkDotNet: the JIT resolves every type a method names when it compiles that method.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int RunBenchmarks(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
