using System.Text.Json;
using KernelPatch.Commit;
using KernelPatch.Subject;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Commit;

public sealed class CommitCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void B4History_AgreesWithGitMailinfo()
    {
        if (!TestPaths.TryCorpus(output, out string mbox, "dev", "b4-history.mbox") || !TestPaths.TryCorpus(output, out string oracle, "dev", "b4-history.oracle.jsonl"))
        {
            return;
        }

        byte[] data = File.ReadAllBytes(mbox);
        List<TestMail> mails = TestMail.SplitFormatPatchMbox(data);
        string[] expected = File.ReadAllLines(oracle);
        mails.Should().HaveCount(1392);
        expected.Should().HaveCount(1392);

        int agree = 0;
        int titles = 0;
        int crlfMismatches = 0;
        var failures = new List<string>();
        for (int i = 0; i < mails.Count; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(expected[i]);
            JsonElement o = doc.RootElement;
            CommitMessage m = mails[i].Parse();
            string name = o.GetProperty("author").GetProperty("name").GetString()!;
            string email = o.GetProperty("author").GetProperty("email").GetString()!;
            string date = o.GetProperty("date").GetString()!;
            string title = o.GetProperty("title").GetString()!;
            string body = o.GetProperty("body").GetString()!;
            string? gotDate = m.Date?.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            bool ok = m.Author?.Name == name && m.Author?.Email == email && gotDate == date && m.Title == title
                && m.Body.TrimEnd() == body.TrimEnd();
            // the same body with CRLF line ends reads the same (git mailsplit drops the CRs)
            byte[] crlf = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(mails[i].Body.Span).Replace("\n", "\r\n", StringComparison.Ordinal));
            CommitMessage c = CommitMessage.Parse(crlf, mails[i].Subject, mails[i].Author, mails[i].DateValue);
            if (c.Body != m.Body || c.Title != m.Title || c.Author != m.Author || c.Trailers.Length != m.Trailers.Length || c.Diffstat?.FilesChanged != m.Diffstat?.FilesChanged)
            {
                crlfMismatches++;
            }

            if (SubjectLine.Parse(mails[i].Subject).Title == title)
            {
                titles++;
            }

            if (ok)
            {
                agree++;
            }
            else if (failures.Count < 10)
            {
                failures.Add($"#{i}: author '{m.Author}' vs '{name} <{email}>', date {gotDate} vs {date}, title '{m.Title}' vs '{title}', body equal {m.Body.TrimEnd() == body.TrimEnd()}");
            }
        }

        output.WriteLine($"{agree}/{mails.Count} messages agree with git mailinfo; {titles}/{mails.Count} subject titles agree");
        foreach (string f in failures)
        {
            output.WriteLine(f);
        }

        output.WriteLine($"{mails.Count - crlfMismatches}/{mails.Count} read the same with CRLF line ends");
        failures.Should().BeEmpty();
        agree.Should().Be(1392);
        titles.Should().Be(1392);
        crlfMismatches.Should().Be(0);
    }

    [Fact]
    public void B4History_EveryMessageHasAPatchAndAGitSignature()
    {
        if (!TestPaths.TryCorpus(output, out string mbox, "dev", "b4-history.mbox"))
        {
            return;
        }

        List<TestMail> mails = TestMail.SplitFormatPatchMbox(File.ReadAllBytes(mbox));
        int withDiff = 0;
        int withSignature = 0;
        foreach (TestMail mail in mails)
        {
            CommitMessage m = mail.Parse();
            if (m.HasDiff && m.Kind == MessageKind.Patch && m.Patch.Span.StartsWith("diff --git "u8))
            {
                withDiff++;
            }

            if (m.Signature is { Length: > 0 } s && char.IsAsciiDigit(s[0]))
            {
                withSignature++;
            }
        }

        output.WriteLine($"{withDiff}/{mails.Count} patches with a diff, {withSignature} with a git version signature");
        withDiff.Should().Be(1392);
        withSignature.Should().Be(1392);
    }
}
