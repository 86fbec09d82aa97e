namespace KernelPatch.Tool;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        return CommandLine.Run(args, stdin, stdout, Console.Error);
    }
}
