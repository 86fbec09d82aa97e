using KernelPatch.Mailbox;
using KernelPatch.Benchmarks;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// The streaming reader offers the runtime a gen0 collection after every MiB of input (docs/performance.md, "Peak
/// memory of streaming"). What the runtime then does is its own affair and no unit test can see the peak; these
/// check that the offers are made where they should be, and only there (the hook stands in for the runtime).
/// </summary>
public class StreamingCollectionTests
{
    private static readonly byte[] s_input = MailboxGenerator.Generate(5_500_000, seed: 7);

    /// <summary>How many offers a reader makes over these message lengths: one each time a MiB fills up.</summary>
    private static int ExpectedOffers(IEnumerable<int> lengths)
    {
        long pending = 0;
        int offers = 0;
        foreach (int length in lengths)
        {
            pending += length;
            if (pending >= StreamingCollector.Interval)
            {
                pending = 0;
                offers++;
            }
        }

        return offers;
    }

    private static int CountOffers(Action run)
    {
        int offers = 0;
        StreamingCollector.t_offerHook = () => offers++;
        try
        {
            run();
        }
        finally
        {
            StreamingCollector.t_offerHook = null;
        }

        return offers;
    }

    [Fact]
    public void Read_offers_one_collection_per_mib_of_input_by_default_and_none_when_turned_off()
    {
        var lengths = new List<int>();
        int on = CountOffers(() =>
        {
            foreach (var m in PatchMailbox.Read(new MemoryStream(s_input)))
            {
                lengths.Add(m.Source.Length);
            }
        });

        lengths.Sum().Should().Be(s_input.Length);
        on.Should().Be(ExpectedOffers(lengths)).And.Be(5, "5.5 MB is five full MiB");
        CountOffers(() => PatchMailbox.Read(new MemoryStream(s_input), PatchParseOptions.Default with { CollectWhileStreaming = false }).Count())
            .Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_and_a_file_path_offer_the_same_and_a_whole_parse_none()
    {
        int async = 0;
        StreamingCollector.t_offerHook = () => async++;
        try
        {
            await foreach (var unused in PatchMailbox.ReadAsync(new MemoryStream(s_input)))
            {
            }
        }
        finally
        {
            StreamingCollector.t_offerHook = null;
        }

        async.Should().Be(5);

        string path = Path.Combine(Path.GetTempPath(), "kp-collect-" + Guid.NewGuid().ToString("N") + ".mbox");
        File.WriteAllBytes(path, s_input);
        try
        {
            CountOffers(() => PatchMailbox.Read(path).Count()).Should().Be(5);
        }
        finally
        {
            File.Delete(path);
        }

        string maildir = Path.Combine(Path.GetTempPath(), "kp-collect-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(maildir, "new"));
        try
        {
            var messages = PatchMailbox.Parse(s_input).Messages;
            for (int i = 0; i < messages.Length; i++)
            {
                File.WriteAllBytes(Path.Combine(maildir, "new", i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)), messages[i].Span.Slice(s_input).ToArray());
            }

            CountOffers(() => PatchMailbox.Read(maildir).Count().Should().Be(messages.Length))
                .Should().Be(ExpectedOffers(messages.Select(m => m.Span.Length))).And.BeGreaterThan(3, "a maildir is streamed one file at a time as well");
        }
        finally
        {
            Directory.Delete(maildir, recursive: true);
        }

        CountOffers(() => PatchMailbox.Parse(s_input).Messages.Length.Should().BeGreaterThan(500)).Should().Be(0, "a whole parse keeps its records: collecting would only copy them");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_shares_strings_within_a_mib_and_the_pool_lets_go_of_older_ones(bool collect)
    {
        // 2.5 MiB of one person's patches: every message names the same sender, path and trailer.
        var mbox = new System.Text.StringBuilder();
        for (int i = 0; mbox.Length < 5 * StreamingCollector.Interval / 2; i++)
        {
            mbox.Append("From x Mon Sep 17 00:00:00 2001\nFrom: Zoë Ångström <zoe@example.org>\nSubject: [PATCH] lib: fix ").Append(i)
                .Append("\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <").Append(i).Append("@example.org>\n\nFix it.\n\n")
                .Append("Signed-off-by: Zoë Ångström <zoe@example.org>\n---\ndiff --git a/lib/x.c b/lib/x.c\n--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1 +1 @@\n-a\n+b\n")
                .Append(' ', 900).Append('\n');
        }

        var options = PatchParseOptions.Default with { CollectWhileStreaming = collect };
        var messages = PatchMailbox.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mbox.ToString())), options).ToList();
        messages.Count.Should().BeGreaterThan(2_000);
        string first = messages[0].Mail!.Sender!.Email;
        string last = messages[^1].Mail!.Sender!.Email;
        messages[1].Mail!.Sender!.Email.Should().BeSameAs(first, "one MiB of messages shares its strings");
        messages[1].Commit!.Trailers[0].Value.Should().BeSameAs(messages[0].Commit!.Trailers[0].Value);
        last.Should().Be(first).And.NotBeSameAs(first, "the pool is emptied after every MiB, offer or not");

        // The thread's pool holds the strings of the last MiB only.
        KernelPatch.Text.StringPool.Get("zoe@example.org"u8).Should().BeSameAs(last);
    }

    [Fact]
    public void Options_say_it_is_on_by_default_and_equal_only_with_the_same_choice()
    {
        PatchParseOptions.Default.CollectWhileStreaming.Should().BeTrue();
        PatchParseOptions.Strict.CollectWhileStreaming.Should().BeTrue();
        (PatchParseOptions.Default with { CollectWhileStreaming = false }).Should().NotBe(PatchParseOptions.Default);
    }
}
