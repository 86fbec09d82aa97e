using System.Text.Json;

namespace KernelPatch.Tool;

/// <summary><c>kernelpatch series</c>: one JSON document with every series (DESIGN.md §4).</summary>
internal static class SeriesJson
{
    public static int Run(PatchMailbox mailbox, TextWriter stdout, Stream stdoutStream)
    {
        stdout.Flush();
        using (var w = new Utf8JsonWriter(stdoutStream, MessageJson.WriterOptions(indented: true)))
        {
            Write(w, mailbox);
        }

        stdoutStream.Write("\n"u8);
        return CommandLine.ExitOk;
    }

    public static void Write(Utf8JsonWriter w, PatchMailbox mailbox)
    {
        w.WriteStartObject();
        w.WriteStartArray("series");
        foreach (var s in mailbox.Series)
        {
            w.WriteStartObject();
            w.WriteNumber("version", s.Version);
            w.WriteNumber("total", s.Total);
            w.WriteString("title", s.Title);
            MessageJson.WriteIdentity(w, "author", s.Author);
            MessageJson.WriteDate(w, "date", s.Date);
            MessageJson.WriteStringOrNull(w, "coverLetter", s.CoverLetter?.MessageId);
            w.WriteStartArray("patches");
            foreach (var p in s.Patches)
            {
                w.WriteStartObject();
                w.WriteNumber("index", p.Number);
                MessageJson.WriteStringOrNull(w, "messageId", p.Message.MessageId);
                w.WriteString("title", p.Message.Title);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("missing");
            foreach (int n in s.Missing)
            {
                w.WriteNumberValue(n);
            }

            w.WriteEndArray();
            w.WriteBoolean("complete", s.IsComplete);
            w.WriteStartArray("replies");
            foreach (var r in s.Replies)
            {
                if (r.MessageId is { } id)
                {
                    w.WriteStringValue(id);
                }
                else
                {
                    w.WriteNullValue();
                }
            }

            w.WriteEndArray();
            MessageJson.WriteStringOrNull(w, "baseCommit", s.BaseCommit);
            MessageJson.WriteStringOrNull(w, "changeId", s.ChangeId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
