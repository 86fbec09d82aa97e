namespace KernelPatch.Tool;

internal static class Program
{
    private static int Main(string[] args) => CommandLine.Run(args, Console.In, Console.Out, Console.Error);
}
