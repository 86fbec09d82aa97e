using System.Text;

namespace KernelPatch.Tool;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        using var stdin = Console.OpenStandardInput();
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        try
        {
            return CommandLine.Run(args, stdin, stdout, Console.Error);
        }
        finally
        {
            stdout.Flush();
        }
    }
}
