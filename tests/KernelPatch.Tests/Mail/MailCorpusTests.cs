using System.Text.Json;
using KernelPatch.Mail;
using KernelPatch.Mailbox;
using KernelPatch.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

/// <summary>Headers of real mail: the seed digests and the b4 history mbox checked against git mailinfo.</summary>
public class MailCorpusTests(ITestOutputHelper output)
{
    [Theory]
    // file, index in file, message id, author name, email, date, subject (unfolded)
    [InlineData("000_8db1a2bd2089812d.txt", 0, "20190830013619.18867-1-peterx@redhat.com", "Peter Xu", "peterx@redhat.com", "2019-08-30T09:36:15+08:00", "[PATCH v3 0/4] KVM: selftests: Introduce VM_MODE_PXXV48_4K")]
    [InlineData("000_8db1a2bd2089812d.txt", 1, "20190830084255.55113-1-steven.price@arm.com", "Steven Price", "steven.price@arm.com", "2019-08-30T09:42:45+01:00", "[PATCH v4 00/10] arm64: Stolen time support")]
    [InlineData("001_85579c91467f67db.txt", 0, "20200309102420.24498-1-eric.auger@redhat.com", "Eric Auger", "eric.auger@redhat.com", "2020-03-09T11:24:07+01:00", "[kvm-unit-tests PATCH v4 00/13] arm/arm64: Add ITS tests")]
    [InlineData("001_85579c91467f67db.txt", 3, "20200309155216.204752-1-vkuznets@redhat.com", "Vitaly Kuznetsov", "vkuznets@redhat.com", "2020-03-09T16:52:10+01:00", "[PATCH 0/6] KVM: nVMX: propperly handle enlightened vmptrld failure conditions")] // folded subject
    [InlineData("002_33f4554186b2e180.txt", 2, "1574945167-29677-1-git-send-email-pmorel@linux.ibm.com", "Pierre Morel", "pmorel@linux.ibm.com", "2019-11-28T13:45:58+01:00", "[kvm-unit-tests PATCH v2 0/9] s390x: Testing the Channel Subsystem I/O")]
    [InlineData("003_39e12db3c360cf97.txt", 1, "20201109094547.2456385-1-f4bug@amsat.org", "Philippe Mathieu-Daudé", "f4bug@amsat.org", "2020-11-09T10:45:44+01:00", "[PATCH 0/3] accel: Remove system-mode stubs from user-mode builds")] // RFC 2047 name
    [InlineData("003_39e12db3c360cf97.txt", 3, "20201109113240.3733496-1-anup.patel@wdc.com", "Anup Patel", "anup.patel@wdc.com", "2020-11-09T17:02:23+05:30", "[PATCH v15 00/17] KVM RISC-V Support")] // +0530
    [InlineData("003_39e12db3c360cf97.txt", 6, "cover.1604960760.git.thomas.lendacky@amd.com", "Tom Lendacky", "thomas.lendacky@amd.com", "2020-11-09T16:25:26-06:00", "[PATCH v3 00/34] SEV-ES hypervisor support")]
    [InlineData("004_3062fdcf5ab48067.txt", 2, "20191217135549.3240-2-yezengruan@huawei.com", "", "yezengruan@huawei.com", "2019-12-17T21:55:45+08:00", "[PATCH 1/5] KVM: arm64: Document PV-lock interface")] // bare <addr>
    [InlineData("004_3062fdcf5ab48067.txt", 3, "20191217135549.3240-3-yezengruan@huawei.com", "", "yezengruan@huawei.com", "2019-12-17T21:55:46+08:00", "[PATCH 2/5] KVM: arm64: Implement PV_LOCK_FEATURES call")] // second message of a block
    [InlineData("004_3062fdcf5ab48067.txt", 4, "20191217204041.10815-2-sean.j.christopherson@intel.com", "Sean Christopherson", "sean.j.christopherson@intel.com", "2019-12-17T12:40:23-08:00", "[PATCH v4 01/19] KVM: x86: Allocate new rmap and large page tracking when moving memslot")]
    [InlineData("004_3062fdcf5ab48067.txt", 6, "20191217020600.10268-1-gshan@redhat.com", "Gavin Shan", "gshan@redhat.com", "2019-12-17T13:06:00+11:00", "[PATCH v2] tools/kvm_stat: Fix kvm_exit filter name")]
    public void Seed_message_headers(string file, int index, string messageId, string name, string email, string date, string subject)
    {
        if (!TestPaths.TryCorpus(output, out string path, "seeds", file))
        {
            return;
        }

        foreach (bool crlf in new[] { false, true })
        {
            var input = File.ReadAllBytes(path);
            if (crlf)
            {
                input = MailboxTestHelpersAccess.ToCrlf(input);
            }

            var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
            var doc = MailDocument.Parse(input, entries[index].Content, new DiagnosticBag());
            doc.MessageId.Should().Be(messageId);
            doc.From.Should().Be(new MailIdentity(name, email));
            doc.Sender.Should().Be(doc.From);
            doc.Date.Should().Be(DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
            doc.Date!.Value.Offset.Should().Be(DateTimeOffset.Parse(date, System.Globalization.CultureInfo.InvariantCulture).Offset);
            doc.Subject.Should().Be(subject);
            doc.IsBodyDecoded.Should().BeFalse();
            doc.Body.Length.Should().Be(entries[index].Content.End - doc.BodyOffset);
            input.AsSpan(doc.BodyOffset - (crlf ? 2 : 1), crlf ? 2 : 1).SequenceEqual(crlf ? "\r\n"u8 : "\n"u8).Should().BeTrue();
            doc.Headers.Find("X-Patchwork-Id").Should().NotBeNull();
        }
    }

    [Fact]
    public void All_27_seed_messages_have_id_author_date_and_subject()
    {
        if (!TestPaths.TryCorpus(output, out string corpus))
        {
            return;
        }

        int count = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(corpus, "seeds")))
        {
            var input = File.ReadAllBytes(file);
            foreach (var e in MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag()))
            {
                var doc = MailDocument.Parse(input, e.Content, new DiagnosticBag());
                doc.MessageId.Should().NotBeNullOrEmpty();
                doc.From!.Email.Should().Contain("@");
                doc.Date.Should().NotBeNull();
                doc.Subject.Should().StartWith("[");
                doc.Subject.Should().NotContain("\n");
                doc.Diagnostics.Where(d => d.Severity != PatchDiagnosticSeverity.Info).Should().BeEmpty();
                count++;
            }
        }

        count.Should().Be(27);
    }

    [Fact]
    public void B4_history_from_and_date_agree_with_git_mailinfo()
    {
        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        var oracle = File.ReadAllLines(TestPaths.CorpusFile("dev", "b4-history.oracle.jsonl")!);
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        entries.Should().HaveCount(oracle.Length);
        int withInBody = 0, agreeAll = 0, checkedCount = 0, agreeChecked = 0;
        var failures = new List<string>();
        for (int i = 0; i < entries.Length; i++)
        {
            var doc = MailDocument.Parse(input, entries[i].Content, new DiagnosticBag());
            var o = JsonDocument.Parse(oracle[i]).RootElement;
            string oName = o.GetProperty("author").GetProperty("name").GetString()!;
            string oEmail = o.GetProperty("author").GetProperty("email").GetString()!;
            var oDate = DateTimeOffset.Parse(o.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            bool agree = doc.From is not null && doc.From.Name == oName && doc.From.Email == oEmail
                && doc.Date == oDate && doc.Date.Value.Offset == oDate.Offset;
            agreeAll += agree ? 1 : 0;
            if (HasInBodyHeaders(doc.Body.Span))
            {
                withInBody++;
                continue;
            }

            checkedCount++;
            agreeChecked += agree ? 1 : 0;
            if (!agree && failures.Count < 10)
            {
                failures.Add($"#{i}: got {doc.From} {doc.Date:O}, git says {oName} <{oEmail}> {oDate:O}");
            }
        }

        output.WriteLine($"{agreeAll}/{entries.Length} agree overall; {withInBody} have in-body From:/Date: (git reports those); {agreeChecked}/{checkedCount} agree without in-body headers");
        failures.Should().BeEmpty();
        agreeChecked.Should().Be(checkedCount);
        checkedCount.Should().BeGreaterThan(1300);
    }

    [Fact]
    public void B4_history_split_and_header_parse_allocate_less_than_the_input()
    {
        if (!TestPaths.TryCorpus(output, out string path, "dev", "b4-history.mbox"))
        {
            return;
        }

        var input = File.ReadAllBytes(path);
        _ = MailDocument.Parse(input.AsMemory(0, 5000)); // warm up statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        var entries = MailboxSplitter.Split(input, PatchParseOptions.Default, new DiagnosticBag());
        long total = 0;
        foreach (var e in entries)
        {
            var doc = MailDocument.Parse(input, e.Content, new DiagnosticBag());
            total += doc.Subject.Length + doc.Body.Length;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{allocated} bytes allocated for {input.Length} input bytes ({allocated * 100.0 / input.Length:F1}%), {allocated / entries.Length} per message");
        total.Should().BeGreaterThan(0);
        allocated.Should().BeLessThan(input.Length / 4); // measured 17.1% (about 1.7 KB per message)
    }

    /// <summary>Whether the body starts (after blank lines) with an in-body From: or Date: line, which git mailinfo prefers.</summary>
    private static bool HasInBodyHeaders(ReadOnlySpan<byte> body)
    {
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            var line = nl < 0 ? body[pos..] : body.Slice(pos, nl);
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                pos += line.Length + 1;
                continue;
            }

            return line.StartsWith("From:"u8) || line.StartsWith("Date:"u8);
        }

        return false;
    }
}

/// <summary>Gives the Mail tests the shared helpers of the Mailbox tests.</summary>
internal static class MailboxTestHelpersAccess
{
    public static byte[] ToCrlf(byte[] lf) => KernelPatch.Tests.Mailbox.MailboxTestHelpers.ToCrlf(lf);
}
