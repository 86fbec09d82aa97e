using BenchmarkDotNet.Attributes;
using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Benchmarks;

/// <summary>The mail stage: <c>MailDocument.Parse</c> of every message entry (entries split in <c>[GlobalSetup]</c>).</summary>
public class MailBenchmarks : InputBenchmarkBase
{
    private static readonly PatchParseOptions s_options = PatchParseOptions.Default;
    private StageInputs.MailInput[] _mails = [];

    /// <summary>Splits the input once.</summary>
    protected override void Prepare()
    {
        _mails = StageInputs.Mails(Bytes);
    }

    /// <summary>Parses every message's headers and visits every header's span and raw value (no decoding asked for).</summary>
    [Benchmark]
    public long Mail_HeaderSpans()
    {
        var bag = new DiagnosticBag(s_options);
        long sum = 0;
        foreach (var m in _mails)
        {
            var mail = MailDocument.Parse(m.Source, m.Content, bag);
            sum += VisitHeaders(mail) + mail.Body.Length;
        }

        return sum;
    }

    /// <summary>As <see cref="Mail_HeaderSpans"/>, plus the decoded fields a user reads: subject, sender, date, ids.</summary>
    [Benchmark]
    public long Mail_DecodedFields()
    {
        var bag = new DiagnosticBag(s_options);
        long sum = 0;
        foreach (var m in _mails)
        {
            var mail = MailDocument.Parse(m.Source, m.Content, bag);
            sum += VisitHeaders(mail);
            sum += mail.Subject.Length + (mail.MessageId?.Length ?? 0) + (mail.InReplyTo?.Length ?? 0) + mail.References.Length
                + (mail.Date?.Offset.Minutes ?? 0) + (mail.Sender?.Email.Length ?? 0) + (mail.Sender?.Name.Length ?? 0);
        }

        return sum;
    }

    private static long VisitHeaders(MailDocument mail)
    {
        long sum = 0;
        foreach (var h in mail.Headers)
        {
            sum += h.Span.Length + h.RawValue.Length;
        }

        return sum;
    }
}
