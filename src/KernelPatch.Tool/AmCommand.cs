using KernelPatch.Series;

namespace KernelPatch.Tool;

/// <summary>
/// <c>kernelpatch am</c>: the newest series as an mbox ready for <c>git am</c>: patches in order,
/// cover letter left out, follow-up trailers added in the order b4 uses, all else byte for byte.
/// </summary>
internal static class AmCommand
{
    public static int Run(byte[] input, PatchParseOptions options, string? output, TextWriter stdout, Stream stdoutStream, TextWriter stderr)
    {
        var series = PatchSeries.Parse(input, options);
        if (!series.IsComplete)
        {
            stderr.WriteLine($"kernelpatch: warning: v{series.Version} of \"{series.Title}\" is missing patch(es) {string.Join(", ", series.Missing)}");
        }

        var messages = new List<ReadOnlyMemory<byte>>(series.Patches.Length);
        int added = 0;
        foreach (var patch in series.Patches)
        {
            var content = patch.Message.Source.Slice(patch.Message.Content.Offset, patch.Message.Content.Length);
            if (patch.FollowUpTrailers.IsEmpty)
            {
                messages.Add(content);
                continue;
            }

            messages.Add(AmWriter.AddTrailers(content.Span, patch.FollowUpTrailers, out int n));
            added += n;
        }

        byte[] mbox = AmWriter.WriteMbox(messages);
        if (output is null)
        {
            stdout.Flush();
            stdoutStream.Write(mbox);
            stdoutStream.Flush();
        }
        else
        {
            File.WriteAllBytes(output, mbox);
        }

        stderr.WriteLine($"kernelpatch: v{series.Version} \"{series.Title}\": {series.Patches.Length} patch(es), {added} follow-up trailer(s) added");
        return CommandLine.ExitOk;
    }
}
