using System.Collections.Immutable;
using KernelPatch.Series;

namespace KernelPatch.Tests.Series;

/// <summary>Builds <see cref="SeriesMessageInfo"/> values for tests, as the integrator would from parsed mail.</summary>
internal static class SeriesTestMessages
{
    public static readonly DateTimeOffset T0 = new(2024, 3, 9, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A patch or cover letter: <c>[PATCH vV i/N] title</c>.</summary>
    public static SeriesMessageInfo Patch(int index, string? id, string title, int? i = null, int? n = null, int? v = null,
        string? inReplyTo = null, string[]? references = null, string from = "dev@example.org", string name = "Dev Eloper",
        double minutes = 0, bool rfc = false, bool resend = false, bool hasDiff = true, string? changeId = null,
        (string, string)[]? trailers = null)
        => new()
        {
            Index = index,
            Offset = index * 1000,
            MessageId = id,
            InReplyTo = inReplyTo,
            References = references is null ? (inReplyTo is null ? ImmutableArray<string>.Empty : [inReplyTo]) : [.. references],
            FromName = name,
            FromEmail = from,
            Date = T0.AddMinutes(minutes),
            Subject = "[PATCH] " + title,
            Tags = rfc ? ["RFC", "PATCH"] : ["PATCH"],
            Version = v,
            PatchIndex = i,
            PatchTotal = n,
            IsRfc = rfc,
            IsResend = resend,
            Title = title,
            HasDiff = hasDiff && i != 0,
            ChangeId = changeId,
            Trailers = trailers is null ? ImmutableArray<KernelPatch.Commit.CommitTrailer>.Empty : [.. trailers.Select(t => Trailer(t.Item1, t.Item2))],
        };

    /// <summary>A commit trailer with this key and value, as a parsed message holds it.</summary>
    public static KernelPatch.Commit.CommitTrailer Trailer(string key, string value) => new() { Key = key, Value = value };

    /// <summary>A reply (<c>Re: ...</c>) carrying <paramref name="body"/>.</summary>
    public static SeriesMessageInfo Reply(int index, string? id, string? inReplyTo, string body, string from = "rev@example.org", string name = "Rev Iewer", double minutes = 60)
        => new()
        {
            Index = index,
            Offset = index * 1000,
            MessageId = id,
            InReplyTo = inReplyTo,
            References = inReplyTo is null ? ImmutableArray<string>.Empty : [inReplyTo],
            FromName = name,
            FromEmail = from,
            Date = T0.AddMinutes(minutes),
            Subject = "Re: something",
            IsReply = true,
            Title = "something",
            BodyText = body,
        };

    public static SeriesAssembly Assemble(params SeriesMessageInfo[] messages) => SeriesAssembler.Assemble(messages, new KernelPatch.Text.DiagnosticBag());

    public static (SeriesAssembly Result, ImmutableArray<PatchDiagnostic> Diagnostics) AssembleWithDiagnostics(params SeriesMessageInfo[] messages)
    {
        var bag = new KernelPatch.Text.DiagnosticBag();
        var result = SeriesAssembler.Assemble(messages, bag);
        return (result, bag.ToImmutableAndClear());
    }
}
