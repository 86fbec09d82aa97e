using System.Text;
using KernelPatch.Commit;
using KernelPatch.Mail;

namespace KernelPatch.Tests.Commit;

/// <summary>Test-only mail helpers: split an mbox or a seed digest, read a few headers, hand the body to the commit stage.</summary>
internal sealed record TestMail(int BodyOffset, ReadOnlyMemory<byte> Body, string Subject, string? From, string? Date)
{
    public MailIdentity? Author => From is null ? null : IdentityParser.Parse(From);

    public DateTimeOffset? DateValue => Date is not null && MimeKit.Utils.DateUtils.TryParse(Date, out DateTimeOffset d) ? d : null;

    public CommitMessage Parse(PatchParseOptions? options = null) =>
        CommitMessage.Parse(Body, BodyOffset, Subject, Author, DateValue, new KernelPatch.Text.DiagnosticBag(options));

    /// <summary>Splits on <c>From &lt;40 hex&gt; Mon Sep 17 00:00:00 2001</c> lines.</summary>
    public static List<TestMail> SplitFormatPatchMbox(byte[] data)
    {
        var starts = new List<int>();
        int pos = 0;
        while (pos < data.Length)
        {
            int nl = Array.IndexOf(data, (byte)'\n', pos);
            int end = nl < 0 ? data.Length : nl;
            if (end - pos == 70 && data[pos] == (byte)'F' && Encoding.ASCII.GetString(data, pos, 70) is string l
                && l.StartsWith("From ", StringComparison.Ordinal) && l.EndsWith(" Mon Sep 17 00:00:00 2001", StringComparison.Ordinal))
            {
                starts.Add(pos);
            }

            pos = nl < 0 ? data.Length : nl + 1;
        }

        var mails = new List<TestMail>();
        for (int i = 0; i < starts.Count; i++)
        {
            int s = Array.IndexOf(data, (byte)'\n', starts[i]) + 1;
            int e = i + 1 < starts.Count ? starts[i + 1] : data.Length;
            mails.Add(Read(data, s, e));
        }

        return mails;
    }

    /// <summary>Extracts the raw messages of a patchwork Markdown digest: fenced blocks, split on <c>From </c> lines.</summary>
    public static List<TestMail> SplitSeed(byte[] data)
    {
        var mails = new List<TestMail>();
        int pos = 0;
        bool inFence = false;
        int msgStart = -1;
        while (pos < data.Length)
        {
            int nl = Array.IndexOf(data, (byte)'\n', pos);
            int end = nl < 0 ? data.Length : nl;
            int next = nl < 0 ? data.Length : nl + 1;
            string line = Encoding.UTF8.GetString(data, pos, end - pos);
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inFence && msgStart >= 0)
                {
                    mails.Add(Read(data, msgStart, pos));
                    msgStart = -1;
                }
                else if (!inFence)
                {
                    msgStart = next;
                }

                inFence = !inFence;
            }
            else if (inFence && line.StartsWith("From ", StringComparison.Ordinal))
            {
                if (msgStart >= 0 && msgStart < pos)
                {
                    mails.Add(Read(data, msgStart, pos));
                }

                msgStart = next;
            }

            pos = next;
        }

        return mails;
    }

    /// <summary>Reads the headers of <c>data[start..end)</c> (unfolded as git mailinfo does, RFC 2047 decoded by MimeKit).</summary>
    public static TestMail Read(byte[] data, int start, int end)
    {
        string? subject = null;
        string? from = null;
        string? date = null;
        int pos = start;
        string? current = null;
        var value = new StringBuilder();
        void Commit()
        {
            if (current is null)
            {
                return;
            }

            string v = MimeKit.Utils.Rfc2047.DecodeText(Encoding.UTF8.GetBytes(value.ToString().Trim()));
            switch (current.ToLowerInvariant())
            {
                case "subject": subject ??= v; break;
                case "from": from ??= v; break;
                case "date": date ??= v; break;
            }

            current = null;
        }

        while (pos < end)
        {
            int nl = Array.IndexOf(data, (byte)'\n', pos, end - pos);
            int le = nl < 0 ? end : nl;
            int next = nl < 0 ? end : nl + 1;
            string line = Encoding.UTF8.GetString(data, pos, le - pos).TrimEnd('\r');
            if (line.Length == 0)
            {
                pos = next;
                break;
            }

            if ((line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                value.Append(' ').Append(line.AsSpan(1));
            }
            else
            {
                Commit();
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    current = line[..colon];
                    value.Clear().Append(line.AsSpan(colon + 1));
                }
            }

            pos = next;
        }

        Commit();
        return new TestMail(pos, data.AsMemory(pos, end - pos), subject ?? string.Empty, from, date);
    }
}
