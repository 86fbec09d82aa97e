using KernelPatch.Mail;
using KernelPatch.Mailbox;
using KernelPatch.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

public class MailHeaderListTests(ITestOutputHelper output)
{
    private static readonly byte[] s_message =
        "From: Alice <a@x.org>\nSubject: hi\nX-Custom-Field: 1\nReceived: a\nReceived: b\n\nbody\n"u8.ToArray();

    [Fact]
    public void Enumerating_headers_allocates_nothing_per_header()
    {
        var doc = MailDocument.Parse(s_message);
        long total = 0;
        foreach (var h in doc.Headers)
        {
            total += h.Span.Length + h.RawValue.Length; // warm up
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 100; round++)
        {
            foreach (var h in doc.Headers)
            {
                total += h.Span.Length + h.RawValue.Length + h.Index;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        total.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Names_and_values_are_cached_strings()
    {
        var doc = MailDocument.Parse(s_message);
        doc.Headers[2].Name.Should().Be("X-Custom-Field");
        doc.Headers[2].Name.Should().BeSameAs(doc.Headers[2].Name);
        doc.Headers[0].Name.Should().BeSameAs("From"); // common names are not allocated
        doc.Headers[1].Value.Should().BeSameAs(doc.Headers[1].Value);
        doc.Headers[1].ToString().Should().Be("Subject: hi");
        doc.Headers[1].Is("SUBJECT").Should().BeTrue();
        doc.Headers[3].Should().NotBe(doc.Headers[4]);
        doc.Headers[3].Should().Be(doc.Headers.GetAll("received")[0]);
        FluentActions.Invoking(() => doc.Headers[5]).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("A: one\r\nB:\r\nC: two\r\n  more\r\nD: x\r\r\n\r\nbody", new[] { " one", "", " two\r\n  more", " x\r" })]
    [InlineData("A: one\nB:\nC: two\n\tmore \nD:x", new[] { " one", "", " two\n\tmore ", "x" })]
    [InlineData("A: \r\n \r\nB: end\r", new[] { " \r\n ", " end" })]
    public void Raw_values_end_before_the_last_lines_end_and_spans_take_it(string text, string[] values)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var doc = MailDocument.Parse(bytes);
        doc.Headers.Count.Should().Be(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            var h = doc.Headers[i];
            System.Text.Encoding.UTF8.GetString(h.RawValue.Span).Should().Be(values[i], "field {0}", i);
            int start = h.Span.Offset;
            text[start..(start + h.Span.Length)].Should().StartWith(h.Name + ":");
            int valueEnd = (int)(h.RawValue.Span.Length + start + h.Name.Length + 1);
            bool last = i == values.Length - 1;
            string lineEnd = text[valueEnd..h.Span.End];
            lineEnd.Should().BeOneOf(last && !text.Contains("\n\n") && !text.Contains("\r\n\r\n") ? new[] { "", "\r", "\n", "\r\n" } : new[] { "\n", "\r\n" });
        }
    }

    [Fact]
    public void Strict_mode_throws_on_errors_only_and_agrees_with_lenient_on_the_corpus()
    {
        var big = "From: a@b.org\n\n"u8.ToArray().Concat(new byte[100]).ToArray();
        var strict = PatchParseOptions.Strict with { MaxMessageSize = 50 };
        FluentActions.Invoking(() => MailDocument.Parse(big, strict)).Should().Throw<PatchFormatException>()
            .Which.Code.Should().Be("KP0212");
        MailDocument.Parse(big, PatchParseOptions.Default with { MaxMessageSize = 50 }).Body.Length.Should().Be(0);

        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Strict, new DiagnosticBag(PatchParseOptions.Strict));
        int same = 0;
        foreach (var e in entries)
        {
            var a = MailDocument.Parse(input, e.Content, new DiagnosticBag(PatchParseOptions.Strict));
            var b = MailDocument.Parse(input, e.Content, new DiagnosticBag());
            if (a.From == b.From && a.Date == b.Date && a.Subject == b.Subject && a.MessageId == b.MessageId && a.Body.Length == b.Body.Length)
            {
                same++;
            }
        }

        same.Should().Be(1392);
    }
}
