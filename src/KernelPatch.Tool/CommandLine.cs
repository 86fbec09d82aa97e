using System.Text;

namespace KernelPatch.Tool;

/// <summary>Entry point of the <c>kernelpatch</c> command, testable without a process.</summary>
internal static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitErrors = 1;
    public const int ExitUsage = 2;

    public const string Usage = """
        usage: kernelpatch <command> [options] [PATH|-]

        commands:
          show [PATH|-] [--explain]   a readable tree of every series (no PATH: a sample series)
          messages PATH|-             JSON Lines, one object per message in input order
          series PATH|-               one JSON document with every series found
          am PATH|- [-o FILE] [-l]    the newest series as an mbox for git am, follow-up trailers added;
                                      -l adds Link: https://lore.kernel.org/r/<message id> (as b4 am -l),
                                      --link-prefix URL another archive;
                                      --identity "Name <email>": who applies it (its Signed-off-by
                                      moves below the added trailers, as b4 am moves git's user's);
                                      --signoff "Name <email>": that, and its Signed-off-by added (b4 am -s)

        options:
          --strict                    stop at the first error (exit code 1)
          --format F                  auto | mbox | mboxrd | message | digest | gitlog | hg | diff
          --scissors                  honour scissors lines (-- >8 --) as git mailinfo --scissors does
          --version                   print the versions of the command and the library

        PATH may be gzip-compressed (lore's t.mbox.gz), a maildir folder (lei's output), git log -p / git show
        output or hg export output; - reads standard input.
        exit codes: 0 ok, 1 error diagnostics in strict mode, 2 usage or unreadable input
        """;

    public static int Run(string[] args, Stream stdin, Stream stdoutStream, TextWriter stderr)
    {
        using var stdout = new StreamWriter(stdoutStream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        try
        {
            return Run(args, stdin, stdout, stdoutStream, stderr);
        }
        finally
        {
            stdout.Flush();
        }
    }

    private static int Run(string[] args, Stream stdin, TextWriter stdout, Stream stdoutStream, TextWriter stderr)
    {
        if (!Arguments.TryParse(args, out var parsed, out string? error))
        {
            stderr.WriteLine($"kernelpatch: {error}");
            stderr.WriteLine(Usage);
            return ExitUsage;
        }

        if (parsed.Help)
        {
            stdout.WriteLine(Usage);
            return ExitOk;
        }

        if (parsed.Version)
        {
            stdout.WriteLine($"kernelpatch {VersionOf(typeof(CommandLine).Assembly)} (library KernelPatch {VersionOf(typeof(PatchMailbox).Assembly)})");
            return ExitOk;
        }

        var options = new PatchParseOptions { IsStrict = parsed.Strict, Format = parsed.Format, Scissors = parsed.Scissors };
        if (parsed.Path is { } folder && Directory.Exists(folder))
        {
            return RunOnMaildir(parsed, folder, options, stdout, stdoutStream, stderr);
        }

        if (parsed.Command == "messages")
        {
            // JSON Lines need no other message: stream, so memory is one message whatever the input's size.
            Stream source;
            try
            {
                source = OpenInput(parsed, stdin);
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                return CannotRead(stderr, parsed.Path, e);
            }

            using (source == stdin ? null : source)
            {
                return MessagesCommand.Run(source, options, stdoutStream, parsed.Path, stderr);
            }
        }

        ReadOnlyMemory<byte> input;
        try
        {
            input = ReadInput(parsed, stdin);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return CannotRead(stderr, parsed.Path, e);
        }

        return RunOnMailbox(parsed, () => PatchMailbox.Parse(input, options), stdout, stdoutStream, stderr);
    }

    // A maildir (lei's output, a mail client's folder): each file one message, in git mailsplit's order.
    private static int RunOnMaildir(Arguments parsed, string folder, PatchParseOptions options, TextWriter stdout, Stream stdoutStream, TextWriter stderr)
    {
        if (parsed.Command == "messages")
        {
            return MessagesCommand.Run(PatchMailbox.Read(folder, options), stdoutStream, folder, stderr);
        }

        PatchMailbox mailbox;
        try
        {
            mailbox = PatchMailbox.Load(folder, options);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return CannotRead(stderr, folder, e);
        }
        catch (PatchFormatException e)
        {
            stderr.WriteLine($"kernelpatch: {e.Message}");
            return ExitErrors;
        }

        return RunOnMailbox(parsed, () => mailbox, stdout, stdoutStream, stderr);
    }

    private static int RunOnMailbox(Arguments parsed, Func<PatchMailbox> mailbox, TextWriter stdout, Stream stdoutStream, TextWriter stderr)
    {
        try
        {
            return parsed.Command switch
            {
                "series" => SeriesJson.Run(mailbox(), stdout, stdoutStream),
                "show" => ShowCommand.Run(mailbox(), parsed.Explain, stdout),
                "am" => AmCommand.Run(mailbox(), parsed, stdout, stdoutStream, stderr),
                _ => ExitUsage,
            };
        }
        catch (PatchFormatException e)
        {
            stderr.WriteLine($"kernelpatch: {e.Message}");
            return ExitErrors;
        }
    }

    private static bool IsUnreadable(Exception e) => e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    /// <summary>An assembly's informational version without the source revision git adds after a '+'.</summary>
    private static string VersionOf(System.Reflection.Assembly assembly)
    {
        string version = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute a, ..]
            ? a.InformationalVersion
            : assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>Says the input could not be read and gives the exit code for it.</summary>
    internal static int CannotRead(TextWriter stderr, string? path, Exception e)
    {
        stderr.WriteLine($"kernelpatch: cannot read '{path}': {e.Message}");
        return ExitUsage;
    }

    private static Stream OpenInput(Arguments args, Stream stdin) => args.Path is null or "-"
        ? stdin
        : new FileStream(args.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    private static ReadOnlyMemory<byte> ReadInput(Arguments args, Stream stdin)
    {
        if (args.Path is null)
        {
            return SampleSeries.Load();
        }

        if (args.Path == "-")
        {
            // One array of the input's length, as PatchMailbox.Load reads a stream: a pipe says no length, and a buffer
            // grown by doubling would be kept up to twice the input's size by the records.
            return KernelPatch.Mailbox.StreamInput.ReadAll(stdin);
        }

        return File.ReadAllBytes(args.Path);
    }
}
