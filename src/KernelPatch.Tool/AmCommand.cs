namespace KernelPatch.Tool;

/// <summary>
/// <c>kernelpatch am</c>: the newest series as an mbox ready for <c>git am</c>
/// (<see cref="PatchSeries.WriteAmMbox(Stream)"/>).
/// </summary>
internal static class AmCommand
{
    public static int Run(PatchMailbox mailbox, Arguments arguments, TextWriter stdout, Stream stdoutStream, TextWriter stderr)
    {
        string? output = arguments.Output;
        var series = PatchSeries.From(mailbox);
        if (!series.IsComplete)
        {
            stderr.WriteLine($"kernelpatch: warning: v{series.Version} of \"{series.Title}\" is missing patch(es) {string.Join(", ", series.Missing)}");
        }

        var amOptions = arguments.LinkPrefix is null && arguments.Identity is null ? null : new AmMboxOptions
        {
            AddLink = arguments.LinkPrefix is not null,
            LinkPrefix = arguments.LinkPrefix ?? AmMboxOptions.LoreLinkPrefix,
            Identity = arguments.Identity,
            AddSignOff = arguments.SignOff,
        };
        int added;
        if (output is null)
        {
            stdout.Flush();
            added = series.WriteAmMbox(stdoutStream, amOptions);
            stdoutStream.Flush();
        }
        else
        {
            using var file = File.Create(output);
            added = series.WriteAmMbox(file, amOptions);
        }

        int taken = 0;
        foreach (var patch in series.Patches)
        {
            taken += patch.FromVersion is null ? 0 : 1;
        }

        string reroll = taken == 0 ? "" : $" ({taken} taken from an earlier revision: a partial re-roll, as b4 am completes it)";
        stderr.WriteLine($"kernelpatch: v{series.Version} \"{series.Title}\": {series.Patches.Length} patch(es){reroll}, {added} {(amOptions is null ? "follow-up trailer(s) added" : "trailer(s) added (follow-ups, links and sign-offs)")}");
        return CommandLine.ExitOk;
    }
}
