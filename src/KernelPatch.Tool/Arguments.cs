using System.Diagnostics.CodeAnalysis;

namespace KernelPatch.Tool;

/// <summary>The parsed command line.</summary>
internal sealed record Arguments
{
    public string Command { get; init; } = "";
    public string? Path { get; init; }
    public string? Output { get; init; }
    public bool Strict { get; init; }
    public bool Scissors { get; init; }
    public bool Explain { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }
    public PatchInputFormat Format { get; init; } = PatchInputFormat.Auto;

    /// <summary>For <c>am</c>: the <c>Link:</c> prefix to add to each patch (<c>-l</c>, <c>--link-prefix</c>), or null.</summary>
    public string? LinkPrefix { get; init; }

    /// <summary>For <c>am</c>: who applies the series (<c>--identity</c>, <c>--signoff</c>), or null.</summary>
    public KernelPatch.Mail.MailIdentity? Identity { get; init; }

    /// <summary>For <c>am</c>: add the <see cref="Identity"/>'s Signed-off-by (<c>--signoff</c>).</summary>
    public bool SignOff { get; init; }

    public static bool TryParse(string[] args, [NotNullWhen(true)] out Arguments? result, out string? error)
    {
        result = null;
        error = null;
        if (args.Length == 0)
        {
            error = "no command given";
            return false;
        }

        if (args[0] is "-h" or "--help" or "help")
        {
            result = new Arguments { Help = true };
            return true;
        }

        if (args[0] is "--version" or "version")
        {
            result = new Arguments { Version = true };
            return true;
        }

        var a = new Arguments { Command = args[0] };
        if (a.Command is not ("show" or "messages" or "series" or "am"))
        {
            error = $"unknown command '{a.Command}'";
            return false;
        }

        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--strict":
                    a = a with { Strict = true };
                    break;
                case "--scissors":
                    a = a with { Scissors = true };
                    break;
                case "--explain" when a.Command == "show":
                    a = a with { Explain = true };
                    break;
                case "-h" or "--help":
                    result = new Arguments { Help = true };
                    return true;
                case "-l" or "--add-link" when a.Command == "am":
                    a = a with { LinkPrefix = a.LinkPrefix ?? AmMboxOptions.LoreLinkPrefix };
                    break;
                case "--link-prefix" when a.Command == "am":
                    if (++i >= args.Length || args[i].Length == 0)
                    {
                        error = "--link-prefix needs a URL prefix, for example https://lore.kernel.org/r/";
                        return false;
                    }

                    a = a with { LinkPrefix = args[i] };
                    break;
                case "--identity" or "--signoff" when a.Command == "am":
                    if (++i >= args.Length || KernelPatch.Mail.MailAddressParser.ParseIdentity(args[i]) is not { Email.Length: > 0 } who)
                    {
                        error = arg + " needs a name and address, for example \"Dev Eloper <dev@example.org>\"";
                        return false;
                    }

                    a = a with { Identity = who, SignOff = a.SignOff || arg == "--signoff" };
                    break;
                case "-o" or "--output" when a.Command == "am":
                    if (++i >= args.Length)
                    {
                        error = "-o needs a file name";
                        return false;
                    }

                    a = a with { Output = args[i] };
                    break;
                case "--format":
                    if (++i >= args.Length || !TryParseFormat(args[i], out var format))
                    {
                        error = "--format takes auto, mbox, mboxrd, message, digest, gitlog, hg or diff";
                        return false;
                    }

                    a = a with { Format = format };
                    break;
                default:
                    if (arg.Length > 1 && arg[0] == '-')
                    {
                        error = $"unknown option '{arg}'";
                        return false;
                    }

                    if (a.Path is not null)
                    {
                        error = "only one input may be given";
                        return false;
                    }

                    a = a with { Path = arg };
                    break;
            }
        }

        if (a.Path is null && a.Command != "show")
        {
            error = $"'{a.Command}' needs a PATH or - for standard input";
            return false;
        }

        result = a;
        return true;
    }

    private static bool TryParseFormat(string text, out PatchInputFormat format)
    {
        format = text switch
        {
            "auto" => PatchInputFormat.Auto,
            "mbox" => PatchInputFormat.Mbox,
            "mboxrd" => PatchInputFormat.Mboxrd,
            "message" => PatchInputFormat.Message,
            "digest" => PatchInputFormat.Digest,
            "gitlog" => PatchInputFormat.GitLog,
            "hg" => PatchInputFormat.HgExport,
            "diff" => PatchInputFormat.Diff,
            _ => (PatchInputFormat)(-1),
        };
        return (int)format >= 0;
    }
}
