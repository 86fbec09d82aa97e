namespace KernelPatch.Tool;

/// <summary>Entry point of the <c>kernelpatch</c> command, testable without a process.</summary>
internal static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitErrors = 1;
    public const int ExitUsage = 2;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("usage: kernelpatch show [PATH|-] | messages PATH|- | series PATH|-");
        return ExitUsage;
    }
}
