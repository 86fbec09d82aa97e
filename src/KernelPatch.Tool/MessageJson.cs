using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using KernelPatch.Diff;
using KernelPatch.Mail;

namespace KernelPatch.Tool;

/// <summary>Writes the JSON of one message as DESIGN.md §4 fixes it (camelCase, absent values null, never omitted).</summary>
internal static class MessageJson
{
    /// <summary>
    /// How the command writes JSON: UTF-8 with only what JSON requires escaped, so names, <c>+01:00</c> offsets and
    /// apostrophes read as they are (the default encoder writes <c>\u00FC</c>, <c>\u002B</c>, <c>\u0027</c>: safe to paste into
    /// HTML, which this output is not made for).
    /// </summary>
    public static JsonWriterOptions WriterOptions(bool indented = false) => new() { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <remarks>Offsets are positions in the whole input, also for a streamed message (<see cref="PatchMessage.SourceOffset"/> added).</remarks>
    public static void Write(Utf8JsonWriter w, PatchMessage m)
    {
        long origin = m.SourceOffset;
        var mail = m.Mail;
        var commit = m.Commit;
        var subject = m.Subject;
        w.WriteStartObject();
        w.WriteNumber("index", m.Index);
        w.WriteNumber("offset", origin + m.Span.Offset);
        w.WriteNumber("length", m.Span.Length);
        WriteStringOrNull(w, "messageId", mail?.MessageId);
        WriteStringOrNull(w, "inReplyTo", mail?.InReplyTo);
        w.WriteStartArray("references");
        if (mail is not null)
        {
            foreach (var r in mail.References)
            {
                w.WriteStringValue(r);
            }
        }

        w.WriteEndArray();
        WriteIdentity(w, "from", mail?.Sender);
        WriteIdentity(w, "author", m.Author);
        WriteDate(w, "date", m.Date);
        WriteStringOrNull(w, "subject", mail?.Subject);
        WriteStringOrNull(w, "title", commit?.Title);
        if (subject is null)
        {
            w.WriteNull("prefix");
        }
        else
        {
            w.WriteStartObject("prefix");
            w.WriteStartArray("tags");
            foreach (var t in subject.Tags)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
            WriteNumberOrNull(w, "version", subject.Version);
            WriteNumberOrNull(w, "index", subject.Index);
            WriteNumberOrNull(w, "total", subject.Total);
            w.WriteBoolean("rfc", subject.IsRfc);
            w.WriteBoolean("resend", subject.IsResend);
            w.WriteBoolean("reply", subject.IsReply);
            w.WriteEndObject();
        }

        w.WriteString("kind", KindName(m.Kind));
        WriteStringOrNull(w, "body", commit?.Body);
        w.WriteStartArray("trailers");
        foreach (var t in m.Trailers)
        {
            w.WriteStartObject();
            w.WriteString("key", t.Key);
            w.WriteString("value", t.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (commit?.Diffstat is { } stat)
        {
            w.WriteStartObject("diffstat");
            w.WriteNumber("files", stat.FilesChanged);
            w.WriteNumber("insertions", stat.Insertions);
            w.WriteNumber("deletions", stat.Deletions);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("diffstat");
        }

        w.WriteStartArray("files");
        foreach (var f in m.Files)
        {
            WriteFile(w, f);
        }

        w.WriteEndArray();
        WriteStringOrNull(w, "patchId", m.Diff?.PatchId);
        w.WriteStartArray("diagnostics");
        foreach (var d in m.Diagnostics)
        {
            WriteDiagnostic(w, d, origin);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteDiagnostic(Utf8JsonWriter w, PatchDiagnostic d, long origin = 0)
    {
        w.WriteStartObject();
        w.WriteString("severity", d.Severity switch
        {
            PatchDiagnosticSeverity.Error => "error",
            PatchDiagnosticSeverity.Warning => "warning",
            _ => "info",
        });
        w.WriteString("code", d.Code);
        w.WriteString("message", d.Message);
        w.WriteNumber("offset", origin + d.Offset);
        w.WriteEndObject();
    }

    public static void WriteIdentity(Utf8JsonWriter w, string name, MailIdentity? who)
    {
        if (who is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("name", who.Name);
        w.WriteString("email", who.Email);
        w.WriteEndObject();
    }

    public static void WriteDate(Utf8JsonWriter w, string name, DateTimeOffset? date)
    {
        if (date is { } d)
        {
            w.WriteString(name, FormatDate(d));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>ISO 8601 with the original offset, seconds precision: <c>2019-12-17T12:40:23-08:00</c>.</summary>
    public static string FormatDate(DateTimeOffset d) => d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    public static void WriteNumberOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static string KindName(Commit.MessageKind kind) => kind switch
    {
        Commit.MessageKind.Patch => "patch",
        Commit.MessageKind.Cover => "cover",
        Commit.MessageKind.Reply => "reply",
        Commit.MessageKind.Pull => "pull",
        _ => "other",
    };

    public static string StatusName(DiffFileStatus status) => status switch
    {
        DiffFileStatus.Added => "added",
        DiffFileStatus.Deleted => "deleted",
        DiffFileStatus.Renamed => "renamed",
        DiffFileStatus.Copied => "copied",
        _ => "modified",
    };

    private static void WriteFile(Utf8JsonWriter w, DiffFile f)
    {
        w.WriteStartObject();
        WriteStringOrNull(w, "oldPath", f.OldPath);
        WriteStringOrNull(w, "newPath", f.NewPath);
        w.WriteString("status", StatusName(f.Status));
        WriteMode(w, "oldMode", f.OldMode);
        WriteMode(w, "newMode", f.NewMode);
        WriteNumberOrNull(w, "similarity", f.Similarity);
        w.WriteBoolean("binary", f.IsBinary);
        // git apply --numstat prints "-" for binary files: null here, as in the oracle.
        WriteNumberOrNull(w, "added", f.IsBinary ? null : f.AddedCount);
        WriteNumberOrNull(w, "removed", f.IsBinary ? null : f.RemovedCount);
        w.WriteEndObject();
    }

    private static void WriteMode(Utf8JsonWriter w, string name, int? mode)
    {
        if (mode is { } m)
        {
            w.WriteString(name, Convert.ToString(m, 8));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
