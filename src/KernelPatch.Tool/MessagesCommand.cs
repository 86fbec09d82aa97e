using System.Buffers;
using System.Text.Json;

namespace KernelPatch.Tool;

/// <summary>
/// <c>kernelpatch messages</c>: JSON Lines, one object per message in input order, streamed. Each message is read
/// with <see cref="PatchMailbox.Read(Stream, PatchParseOptions?)"/>, written and dropped, so memory stays about one message's worth whatever the
/// size of the input, and the first lines appear before the input has been read to its end.
/// </summary>
internal static class MessagesCommand
{
    /// <summary>Output is handed to the stream in pieces of about this many bytes.</summary>
    internal const int FlushThreshold = 1 << 16;

    /// <summary>Writes the JSON line of every message of <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <returns>
    /// <see cref="CommandLine.ExitOk"/>; <see cref="CommandLine.ExitErrors"/> when strict mode met an error (the lines
    /// of the messages before it are written, complete); <see cref="CommandLine.ExitUsage"/> when the input could not
    /// be read or the output not written.
    /// </returns>
    public static int Run(Stream input, PatchParseOptions options, Stream output, string? path, TextWriter stderr) =>
        Run(PatchMailbox.Read(input, options), output, path, stderr);

    /// <summary>Writes the JSON line of each of <paramref name="messages"/> (a stream's, or a maildir's) to <paramref name="output"/>.</summary>
    /// <returns>As <see cref="Run(Stream, PatchParseOptions, Stream, string?, TextWriter)"/>.</returns>
    public static int Run(IEnumerable<PatchMessage> messages, Stream output, string? path, TextWriter stderr)
    {
        var buffer = new ArrayBufferWriter<byte>(2 * FlushThreshold);
        using var writer = new Utf8JsonWriter(buffer, MessageJson.WriterOptions());
        int exit = CommandLine.ExitOk;
        try
        {
            foreach (var message in messages)
            {
                MessageJson.Write(writer, message);
                writer.Flush();
                writer.Reset();
                buffer.Write("\n"u8);
                if (buffer.WrittenCount >= FlushThreshold && !TryDrain(buffer, output, stderr))
                {
                    return CommandLine.ExitUsage;
                }
            }
        }
        catch (PatchFormatException e)
        {
            stderr.WriteLine($"kernelpatch: {e.Message}");
            exit = CommandLine.ExitErrors;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            exit = CommandLine.CannotRead(stderr, path, e);
        }

        return TryDrain(buffer, output, stderr) ? exit : CommandLine.ExitUsage;
    }

    private static bool TryDrain(ArrayBufferWriter<byte> buffer, Stream output, TextWriter stderr)
    {
        try
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
            buffer.ResetWrittenCount();
            return true;
        }
        catch (IOException e)
        {
            // A closed pipe (kernelpatch messages big.mbox | head) ends the run; it is not a parse failure.
            stderr.WriteLine($"kernelpatch: cannot write the output: {e.Message}");
            return false;
        }
    }
}
