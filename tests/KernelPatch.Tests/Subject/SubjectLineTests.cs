using KernelPatch.Subject;

namespace KernelPatch.Tests.Subject;

public sealed class SubjectLineTests
{
    [Theory]
    // subject, tags (| separated), version text, index, total, rfc, resend, reply, title
    [InlineData("[PATCH v4 01/19] KVM: x86: Allocate new rmap", "PATCH", "4", 1, 19, false, false, false, "KVM: x86: Allocate new rmap")]
    [InlineData("[RFC PATCH v5 0/8] KVMTOOL RISC-V Support", "PATCH", "5", 0, 8, true, false, false, "KVMTOOL RISC-V Support")]
    [InlineData("[PATCH RFC v2 00/17] KVM: x86/pmu: Guest PEBS", "PATCH", "2", 0, 17, true, false, false, "KVM: x86/pmu: Guest PEBS")]
    [InlineData("[kvm-unit-tests PATCH v2 0/9] s390x: Testing", "kvm-unit-tests|PATCH", "2", 0, 9, false, false, false, "s390x: Testing")]
    [InlineData("[PATCH v11 Kernel 1/6] vfio: KABI", "PATCH|Kernel", "11", 1, 6, false, false, false, "vfio: KABI")]
    [InlineData("[PATCH net-next] net: fix", "PATCH|net-next", null, null, null, false, false, false, "net: fix")]
    [InlineData("[PATCH RESEND] x86: fix", "PATCH", null, null, null, false, true, false, "x86: fix")]
    [InlineData("[PATCH 2/5] mm: fix", "PATCH", null, 2, 5, false, false, false, "mm: fix")]
    // version and index glued with a comma
    [InlineData("[PATCH v6,19/24] drm: fix", "PATCH", "6", 19, 24, false, false, false, "drm: fix")]
    // version glued to PATCH
    [InlineData("[PATCHv3 2/4] usb: fix", "PATCH", "3", 2, 4, false, false, false, "usb: fix")]
    // index glued to PATCH
    [InlineData("[PATCH1/8] iio: fix", "PATCH", null, 1, 8, false, false, false, "iio: fix")]
    // "n of m" numbering
    [InlineData("[PATCH 1 of 3] hg: export", "PATCH", null, 1, 3, false, false, false, "hg: export")]
    // dotted revision
    [InlineData("[PATCH v5.1 10/12] arm: fix", "PATCH", "5.1", 10, 12, false, false, false, "arm: fix")]
    // several groups in a row, a bug tracker tag first
    [InlineData("[bug#60788] [PATCH v2] doc: fix", "bug#60788|PATCH", "2", null, null, false, false, false, "doc: fix")]
    // capital V
    [InlineData("[PATCH V4] pci: fix", "PATCH", "4", null, null, false, false, false, "pci: fix")]
    // replies: git strips Re: (any case) but not AW:
    [InlineData("Re: [PATCH v2 3/7] kvm: fix", "PATCH", "2", 3, 7, false, false, true, "kvm: fix")]
    [InlineData("RE: [PATCH] kvm: fix", "PATCH", null, null, null, false, false, true, "kvm: fix")]
    [InlineData("Re: Re: [PATCH] kvm: fix", "PATCH", null, null, null, false, false, true, "kvm: fix")]
    [InlineData("AW: [PATCH] kvm: fix", "PATCH", null, null, null, false, false, true, "AW: [PATCH] kvm: fix")]
    [InlineData("Aw: [PATCH] kvm: fix", "PATCH", null, null, null, false, false, true, "Aw: [PATCH] kvm: fix")]
    // RFC and RESEND run together with a version or a count, read as b4 reads them (b4 0.12 gives RFCv2 version 1:
    // it reads the version only in PATCHv2 and v2)
    [InlineData("[RFCv2 PATCH 1/3] mm: fix", "PATCH", "2", 1, 3, true, false, false, "mm: fix")]
    [InlineData("[RFC-v3 net-next] net: fix", "net-next", "3", null, null, true, false, false, "net: fix")]
    [InlineData("[PATCH RESEND^2] x86: fix", "PATCH", null, null, null, false, true, false, "x86: fix")]
    [InlineData("[PATCH RESEND2 1/2] x86: fix", "PATCH", null, 1, 2, false, true, false, "x86: fix")]
    [InlineData("[RESENDv4 PATCH] x86: fix", "PATCH", "4", null, null, false, true, false, "x86: fix")]
    [InlineData("[PATCH v4; 2/3] x86: fix", "PATCH", "4", 2, 3, false, false, false, "x86: fix")] // b4 drops ',' and ';' after a word
    [InlineData("[RFC7231 PATCH] http: fix", "RFC7231|PATCH", null, null, null, false, false, false, "http: fix")] // a tag, not RFC
    [InlineData("[RESENDING] x", "RESENDING", null, null, null, false, false, false, "x")]
    // white space is squeezed, a tab too
    [InlineData("[PATCH]   a \t  b  ", "PATCH", null, null, null, false, false, false, "a b")]
    // no prefix at all
    [InlineData("Initial commit", "", null, null, null, false, false, false, "Initial commit")]
    // unclosed bracket: git keeps it
    [InlineData("[PATCH broken title", "", null, null, null, false, false, false, "[PATCH broken title")]
    // a bare "Re:" is kept by git (nothing follows it)
    [InlineData("Re:", "", null, null, null, false, false, true, "Re:")]
    // pull requests keep GIT PULL as one tag
    [InlineData("[GIT PULL] KVM changes for 5.6", "GIT PULL", null, null, null, false, false, false, "KVM changes for 5.6")]
    public void Parse_ReadsPrefixAndGitTitle(string subject, string tags, string? version, int? index, int? total, bool rfc, bool resend, bool reply, string title)
    {
        SubjectLine s = SubjectLine.Parse(subject);
        s.Raw.Should().Be(subject);
        s.Tags.Should().Equal(tags.Length == 0 ? [] : tags.Split('|'));
        s.VersionText.Should().Be(version);
        s.Version.Should().Be(version is null ? null : int.Parse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture));
        s.Index.Should().Be(index);
        s.Total.Should().Be(total);
        s.IsRfc.Should().Be(rfc);
        s.IsResend.Should().Be(resend);
        s.IsReply.Should().Be(reply);
        s.HasPatchTag.Should().Be(tags.Split('|').Contains("PATCH"));
        s.Title.Should().Be(title);
    }

    [Theory]
    [InlineData("Fwd: [PATCH] x", true)]
    [InlineData("FW: [PATCH] x", true)]
    [InlineData("[PATCH] x", false)]
    public void Parse_ForwardMarker(string subject, bool forward)
    {
        SubjectLine s = SubjectLine.Parse(subject);
        s.IsForward.Should().Be(forward);
        s.IsReply.Should().BeFalse();
    }

    [Fact]
    public void Parse_ReportsUnclosedBracketAndIndexAboveTotal()
    {
        var bag = new KernelPatch.Text.DiagnosticBag();
        SubjectLine.Parse("[PATCH 5/3] x", bag, 100);
        SubjectLine.Parse("[PATCH x", bag, 200);
        var d = bag.ToImmutableAndClear();
        d.Select(x => (x.Code, x.Offset)).Should().Equal(("KP0302", 100), ("KP0301", 200));
    }

    [Fact]
    public void Equality_ComparesTagsByValue()
    {
        SubjectLine a = SubjectLine.Parse("[kvm-unit-tests PATCH v2 0/9] s390x: x");
        SubjectLine b = SubjectLine.Parse("[kvm-unit-tests PATCH v2 0/9] s390x: x");
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(SubjectLine.Parse("[PATCH v2 0/9] s390x: x"));
    }

    [Fact]
    public void EveryPrefix_Parses()
    {
        const string subject = "Re: AW: [bug#60788] [RFC PATCH v5.1,10/12] [net-next] KVM: x86:  fix  it";
        for (int n = 0; n <= subject.Length; n++)
        {
            SubjectLine s = SubjectLine.Parse(subject[..n]);
            s.Raw.Should().HaveLength(n);
            s.Title.Should().Be(SubjectLine.GitTitle(subject[..n]));
        }

        SubjectLine full = SubjectLine.Parse(subject);
        full.Tags.Should().Equal("bug#60788", "PATCH", "net-next");
        (full.VersionText, full.Index, full.Total, full.IsRfc, full.IsReply).Should().Be(("5.1", 10, 12, true, true));
        full.Title.Should().Be("AW: [bug#60788] [RFC PATCH v5.1,10/12] [net-next] KVM: x86: fix it");
    }

    [Fact]
    public void Parse_HostileInput_IsLinearAndNeverThrows()
    {
        const string alphabet = "[]RrEe: \tPATCHv0123456789/,of";
        var random = new Random(20260323);
        for (int i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (int k = 0; k < chars.Length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            SubjectLine s = SubjectLine.Parse(new string(chars));
            s.Title.Should().NotStartWith(" ");
        }

        SubjectLine deep = SubjectLine.Parse(new string('[', 200_000) + "]" + new string(' ', 200_000) + "x");
        deep.Title.Should().Be("x");
        SubjectLine many = SubjectLine.Parse(string.Concat(Enumerable.Repeat("[a] ", 50_000)) + "t");
        many.Title.Should().Be("t");
        many.Tags.Should().HaveCount(50_000);
    }
}
