using System.Globalization;
using System.Text;

namespace KernelPatch.Commit;

/// <summary>A commit read from <c>git log</c> or <c>hg export</c> output, written as mail for <c>git am</c>.</summary>
internal static class CommitMail
{
    /// <summary>
    /// The commit as <c>git format-patch</c> would have mailed it, for <c>git am</c>: From, Date and
    /// <c>Subject: [PATCH] title</c> headers (UTF-8, 8bit), the message below the title, <c>---</c> and the diff.
    /// Notes and the diffstat are left out (git am skips them).
    /// </summary>
    public static byte[] ToMail(PatchMessage message)
    {
        var mail = new MemoryStream();
        var text = new StringBuilder();
        if (message.Author is { } author)
        {
            text.Append("From: ").Append(author.Name.Length > 0 ? author.Name + " <" + author.Email + ">" : author.Email).Append('\n');
        }

        if (message.Date is { } date)
        {
            string zone = date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);
            text.Append("Date: ").Append(date.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)).Append(zone).Append('\n');
        }

        text.Append("Subject: [PATCH] ").Append(message.Title).Append('\n')
            .Append("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n");
        mail.Write(Encoding.UTF8.GetBytes(text.ToString()));
        var body = message.Commit?.RawBody ?? ReadOnlyMemory<byte>.Empty;
        mail.Write(body.Span);
        if (!body.IsEmpty && body.Span[^1] != (byte)'\n')
        {
            mail.WriteByte((byte)'\n');
        }

        if (message.Diff is { } diff)
        {
            mail.Write("---\n\n"u8);
            diff.WriteTo(mail);
        }

        return mail.ToArray();
    }
}
