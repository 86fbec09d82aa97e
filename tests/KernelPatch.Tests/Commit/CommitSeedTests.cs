using KernelPatch.Commit;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Commit;

public sealed class CommitSeedTests(ITestOutputHelper output)
{
    private List<(string File, TestMail Mail, CommitMessage Message)>? Load()
    {
        if (!TestPaths.TryCorpus(output, out string dir, "seeds"))
        {
            return null;
        }

        var all = new List<(string, TestMail, CommitMessage)>();
        foreach (string file in Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal))
        {
            foreach (TestMail mail in TestMail.SplitSeed(File.ReadAllBytes(file)))
            {
                all.Add((Path.GetFileName(file), mail, mail.Parse()));
            }
        }

        return all;
    }

    [Fact]
    public void Seeds_KindsDiffstatsAndTrailers()
    {
        var all = Load();
        if (all is null)
        {
            return;
        }

        all.Should().HaveCount(27);
        int covers = 0;
        int patches = 0;
        int diffstats = 0;
        foreach (var (file, mail, m) in all)
        {
            output.WriteLine($"{file}: {m.Kind} {m.Subject.Index}/{m.Subject.Total} '{m.Title}' files={m.Diffstat?.Files.Length} trailers={m.Trailers.Length}");
            foreach (CommitTrailer t in m.Trailers)
            {
                output.WriteLine($"    {t.Key}: {t.Value} | person={t.Person} comment={t.Comment} fixes={t.FixesSha}/{t.FixesTitle} url={t.Url}");
            }

            foreach (NotesRevision r in m.Revisions)
            {
                output.WriteLine($"    revision '{r.Heading}' v{r.Version}: {r.Text.Length} chars");
            }

            output.WriteLine($"    notes={m.Notes?.Length} signature={m.Signature} author={m.Author} date={m.Date:O} diags={string.Join(",", m.Diagnostics.Select(d => d.Code))}");

            // lenient and strict read the same record (this stage reports no errors on real mail)
            CommitMessage strict = mail.Parse(PatchParseOptions.Strict);
            strict.Body.Should().Be(m.Body);
            strict.Trailers.Select(t => t.Value).Should().Equal(m.Trailers.Select(t => t.Value));
            strict.Diffstat!.Span.Should().Be(m.Diffstat!.Span);

            MessageKind expected = m.Subject.Index == 0 ? MessageKind.Cover : MessageKind.Patch;
            m.Kind.Should().Be(expected, mail.Subject);
            if (m.Kind == MessageKind.Cover)
            {
                covers++;
            }
            else
            {
                patches++;
            }

            // Every seed message declares a diffstat; its file lines must add up to its totals line.
            m.Diffstat.Should().NotBeNull(mail.Subject);
            CommitDiffstat stat = m.Diffstat!;
            diffstats++;
            stat.Files.Should().HaveCount(stat.FilesChanged, mail.Subject);
            stat.Files.Sum(f => f.Changes).Should().Be(stat.Insertions + stat.Deletions, mail.Subject);
            m.Diagnostics.Should().NotContain(d => d.Code == "KP0407", mail.Subject);
            if (m.Kind == MessageKind.Patch)
            {
                m.Trailers.Should().Contain(t => t.Key == "Signed-off-by" && t.Person != null, mail.Subject);
            }
        }

        output.WriteLine($"{covers} covers, {patches} patches, {diffstats} diffstats checked");
        diffstats.Should().Be(27);
    }

    [Fact]
    public void Seeds_MemslotPatch_HasFixesTrailer()
    {
        var all = Load();
        if (all is null)
        {
            return;
        }

        CommitMessage m = all.Single(x => x.Message.Title.StartsWith("KVM: x86: Allocate new rmap", StringComparison.Ordinal)).Message;
        m.Subject.Version.Should().Be(4);
        m.Subject.Index.Should().Be(1);
        m.Subject.Total.Should().Be(19);
        m.Title.Should().Be("KVM: x86: Allocate new rmap and large page tracking when moving memslot");
        CommitTrailer fixes = m.Trailers.Single(t => t.Key == "Fixes");
        fixes.FixesSha.Should().Be("05da45583de9b");
        fixes.FixesTitle.Should().Be("KVM: MMU: large page support");
        m.Trailers.Select(t => t.Key).Should().Equal("Fixes", "Cc", "Signed-off-by", "Reviewed-by");
        m.Trailers[1].Person!.Email.Should().Be("stable@vger.kernel.org");
        m.Trailers[2].Person.Should().Be(new KernelPatch.Mail.MailIdentity("Sean Christopherson", "sean.j.christopherson@intel.com"));
        m.Trailers[3].Value.Should().Be("Peter Xu <peterx@redhat.com>");
        m.Diagnostics.Should().NotContain(d => d.Code == "KP0404");
        m.Diffstat!.FilesChanged.Should().Be(1);
        m.Diffstat.Insertions.Should().Be(11);
        m.Diffstat.Deletions.Should().Be(0);
        m.Diffstat.Files[0].Path.Should().Be("arch/x86/kvm/x86.c");
    }

    [Fact]
    public void Seeds_InBodyFrom_WinsOverHeader()
    {
        var all = Load();
        if (all is null)
        {
            return;
        }

        var pvlock = all.Where(x => x.Mail.Subject.Contains("KVM: arm64: Document PV-lock interface", StringComparison.Ordinal)).ToList();
        pvlock.Should().HaveCount(1);
        CommitMessage m = pvlock[0].Message;
        pvlock[0].Mail.Author!.Name.Should().Be("yezengruan@huawei.com");
        m.Author.Should().Be(new KernelPatch.Mail.MailIdentity("Zengruan Ye", "yezengruan@huawei.com"));
        m.Body.Should().NotStartWith("From:");
        m.Diffstat!.Files.Should().ContainSingle().Which.Path.Should().Be("Documentation/virt/kvm/arm/pvlock.rst");
    }

    [Fact]
    public void Seeds_CoverLetters_KeepChangelogAndShortlog()
    {
        var all = Load();
        if (all is null)
        {
            return;
        }

        CommitMessage m = all.First(x => x.Mail.Subject == "[PATCH v3 0/4] KVM: selftests: Introduce VM_MODE_PXXV48_4K").Message;
        m.Kind.Should().Be(MessageKind.Cover);
        m.Revisions.Select(r => r.Heading).Should().Equal("v3:", "v2:");
        m.Revisions.Select(r => r.Version).Should().Equal(3, 2);
        m.Revisions[0].Text.Should().Be("- pick r-b\n- refine DEBUG macro [Drew]");
        m.Diffstat!.FilesChanged.Should().Be(6);
        m.Diffstat.Insertions.Should().Be(121);
        m.Diffstat.Deletions.Should().Be(79);
        m.Diffstat.Files[1].IsTruncated.Should().BeTrue();

        // a sentence ending in ':' is not a changelog heading; "Changes since vN:" describes vN+1
        CommitMessage riscv = all.First(x => x.Mail.Subject == "[PATCH v15 00/17] KVM RISC-V Support").Message;
        riscv.Revisions.Should().HaveCount(14);
        riscv.Revisions[0].Heading.Should().Be("Changes since v14:");
        riscv.Revisions.Select(r => r.Version).Should().Equal(Enumerable.Range(2, 14).Reverse().Select(v => (int?)v));
        m.Diffstat.Files[1].RawPath.Should().Be(".../testing/selftests/kvm/include/kvm_util.h");
    }
}
