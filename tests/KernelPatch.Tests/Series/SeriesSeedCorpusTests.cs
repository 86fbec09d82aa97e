using System.Collections.Immutable;
using System.Globalization;
using KernelPatch.Series;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Series;

/// <summary>
/// The seed digests of the shared corpus, reduced to the values the series stage takes. The header
/// reading here is a crude stand-in for the mail and subject stages (which the integrator plugs in).
/// </summary>
public class SeriesSeedCorpusTests
{
    private readonly ITestOutputHelper _output;

    public SeriesSeedCorpusTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Seed_cover_letters_are_series_and_the_pv_lock_fragment_misses_three_patches()
    {
        if (!TestPaths.TryCorpus(_output, out string folder, "seeds"))
        {
            return;
        }

        var messages = new List<SeriesMessageInfo>();
        foreach (string file in Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            ReadDigest(File.ReadAllLines(file), messages);
        }

        messages.Should().HaveCount(27);
        var r = SeriesAssembler.Assemble(messages, new KernelPatch.Text.DiagnosticBag());

        int covers = 0;
        foreach (var m in messages)
        {
            if (m.PatchIndex != 0)
            {
                continue;
            }

            covers++;
            r.Roles[m.Index].Should().Be(SeriesMessageRole.Cover, m.Subject);
            var s = r.Series[r.SeriesOf[m.Index]];
            s.CoverIndex.Should().Be(m.Index);
            s.Version.Should().Be(m.Version ?? 1);
            s.Total.Should().Be(m.PatchTotal);
            s.Title.Should().Be(m.Title);
        }

        covers.Should().Be(20);
        int first = messages.FindIndex(m => m.Title == "KVM: arm64: Document PV-lock interface");
        int second = messages.FindIndex(m => m.Title == "KVM: arm64: Implement PV_LOCK_FEATURES call");
        var pv = r.Series[r.SeriesOf[first]];
        pv.Patches.Should().Equal(first, second, null, null, null);
        pv.Missing.Should().Equal(3, 4, 5);
        pv.CoverIndex.Should().BeNull();
        int lone = messages.FindIndex(m => m.Title == "tools/kvm_stat: Fix kvm_exit filter name");
        r.Series[r.SeriesOf[lone]].Patches.Should().Equal(lone);
        r.Series[r.SeriesOf[lone]].Version.Should().Be(2);
        r.Series.Select(x => x.Patches.Length).Should().HaveCount(26, "20 cover letters, the PV-lock pair, four patches of absent series and one lone patch");
        r.Threads.MissingParents.Should().Contain(p => p.MessageId == "20191217135549.3240-1-yezengruan@huawei.com" && p.Replies.SequenceEqual(new[] { first, second }));
    }

    private static void ReadDigest(string[] lines, List<SeriesMessageInfo> messages)
    {
        bool inBlock = false;
        bool inHeaders = false;
        Dictionary<string, string>? headers = null;
        string? last = null;
        foreach (string line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                inHeaders = inBlock;
                headers = inBlock ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) : headers;
                continue;
            }

            if (!inBlock)
            {
                continue;
            }

            if (line.StartsWith("From ", StringComparison.Ordinal) && !line.Contains(':', StringComparison.Ordinal) || line.StartsWith("From patchwork ", StringComparison.Ordinal))
            {
                    inHeaders = true;
                headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }

            if (!inHeaders || headers is null)
            {
                continue;
            }

            if (line.Length == 0)
            {
                inHeaders = false;
                Add(headers, messages);
                continue;
            }

            if ((line[0] == ' ' || line[0] == '\t') && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon];
                headers.TryAdd(last, line[(colon + 1)..].Trim());
                if (headers[last] != line[(colon + 1)..].Trim())
                {
                    last = null; // keep the first occurrence only
                }
            }
        }
    }

    private static void Add(Dictionary<string, string> h, List<SeriesMessageInfo> messages)
    {
        string subject = h.GetValueOrDefault("Subject", "");
        int? version = null, index = null, total = null;
        bool rfc = false, reply = subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase);
        var tags = ImmutableArray.CreateBuilder<string>();
        string title = subject;
        int open = subject.IndexOf('[', StringComparison.Ordinal);
        int close = subject.IndexOf(']', StringComparison.Ordinal);
        if (open >= 0 && close > open)
        {
            foreach (string token in subject[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int slash = token.IndexOf('/', StringComparison.Ordinal);
                if (token.Length > 1 && (token[0] == 'v' || token[0] == 'V') && int.TryParse(token[1..], CultureInfo.InvariantCulture, out int v))
                {
                    version = v;
                }
                else if (slash > 0 && int.TryParse(token[..slash], CultureInfo.InvariantCulture, out int i) && int.TryParse(token[(slash + 1)..], CultureInfo.InvariantCulture, out int n))
                {
                    (index, total) = (i, n);
                }
                else
                {
                    rfc |= token.Equals("RFC", StringComparison.OrdinalIgnoreCase);
                    tags.Add(token);
                }
            }

            title = subject[(close + 1)..].Trim();
        }

        string from = h.GetValueOrDefault("From", "");
        int lt = from.IndexOf('<', StringComparison.Ordinal);
        string email = lt >= 0 ? from[(lt + 1)..].TrimEnd('>', ' ') : from;
        string Id(string name) => h.GetValueOrDefault(name, "").Trim().Trim('<', '>');
        messages.Add(new SeriesMessageInfo
        {
            Index = messages.Count,
            MessageId = Id("Message-Id") is { Length: > 0 } id ? id : null,
            InReplyTo = Id("In-Reply-To") is { Length: > 0 } irt ? irt : null,
            FromName = lt > 0 ? from[..lt].Trim().Trim('"') : "",
            FromEmail = email,
            Date = DateTimeOffset.TryParse(h.GetValueOrDefault("Date", "").Split(" (")[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
            Subject = subject,
            Tags = tags.ToImmutable(),
            Version = version,
            PatchIndex = index,
            PatchTotal = total,
            IsRfc = rfc,
            IsReply = reply,
            Title = title,
            HasDiff = index != 0,
        });
    }
}
