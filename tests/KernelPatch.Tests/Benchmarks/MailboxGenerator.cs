using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace KernelPatch.Benchmarks;

/// <summary>
/// Writes a deterministic, realistic kernel-style mailbox (benchmark input): series with cover
/// letters, patches and review replies, as <c>git format-patch</c>/<c>send-email</c>, patchwork
/// and lore write them.
/// </summary>
/// <remarks>
/// <para>Invariants of the output (checked by <c>MailboxGeneratorTests</c>): every message starts
/// with a <c>From </c> line and no body line starts with <c>From </c>; every hunk's line counts
/// and numbers agree with its header; diffstats, <c>create/delete/rename/mode</c> summary lines and
/// the diffs agree; binary patches are base85 of valid zlib data whose git blob hash is on the
/// <c>index</c> line, so <c>git apply --check</c> accepts an extracted patch.</para>
/// <para>Two random streams: <c>_rng</c> makes every structural choice (messages, files, hunk shapes,
/// line counts) and <c>_lineRng</c> only the text of diff lines, so a run with
/// <c>diffLineFactor = 2</c> writes the same messages, files and hunks with twice the diff lines.</para>
/// <para>This file lives in the test project's folder so the tests compile it directly; the benchmarks
/// project links it (see its csproj).</para>
/// </remarks>
internal sealed class MailboxGenerator
{
    private static readonly string[] s_firstNames = ["Sean", "Paolo", "Vitaly", "Peter", "Thomas", "Andrew", "Sebastian", "Wanpeng", "Jim", "Krish", "Maxim", "Tianyu", "Yang", "Oliver", "Marc", "Suzuki", "Christian", "Janosch", "Claudio", "Liran"];
    private static readonly string[] s_lastNames = ["Christopherson", "Bonzini", "Kuznetsov", "Xu", "Huth", "Jones", "Gleixner", "Li", "Mattson", "Sadhukhan", "Levitsky", "Lan", "Zhong", "Upton", "Zyngier", "Poulose", "Borntraeger", "Frank", "Imbrenda", "Alon"];
    private static readonly string[] s_domains = ["intel.com", "redhat.com", "google.com", "kernel.org", "linux.ibm.com", "arm.com", "amd.com", "oracle.com", "linutronix.de", "suse.de"];
    private static readonly (string Name, string Email)[] s_unicodePeople =
    [
        ("Philippe Mathieu-Daudé", "philmd@redhat.com"),
        ("Radim Krčmář", "rkrcmar@redhat.com"),
        ("Thomas Weißschuh", "linux@weissschuh.net"),
        ("Uwe Kleine-König", "u.kleine-koenig@pengutronix.de"),
        ("Jérôme Glisse", "jglisse@redhat.com"),
        ("Ville Syrjälä", "ville.syrjala@linux.intel.com"),
    ];

    private static readonly string[] s_lists = ["kvm@vger.kernel.org", "linux-kernel@vger.kernel.org", "netdev@vger.kernel.org", "linux-arm-kernel@lists.infradead.org", "linux-s390@vger.kernel.org", "x86@kernel.org"];
    private static readonly string[] s_subsystems = ["KVM: x86", "KVM: VMX", "KVM: SVM", "KVM: arm64", "KVM: s390", "KVM: selftests", "KVM: x86/mmu", "net: ethernet", "x86/fpu", "mm"];
    private static readonly string[] s_projectTags = ["net-next", "kvm-unit-tests", "RFC", "net"];
    private static readonly string[] s_dirs = ["arch/x86/kvm", "arch/x86/kvm/vmx", "arch/x86/kvm/mmu", "arch/arm64/kvm", "virt/kvm", "tools/testing/selftests/kvm/lib", "tools/testing/selftests/kvm/x86_64", "include/linux", "arch/x86/include/asm", "drivers/net/ethernet/intel/ice", "Documentation/virt/kvm"];
    private static readonly string[] s_stems = ["x86", "mmu", "vmx", "svm", "nested", "lapic", "hyperv", "emulate", "irq", "pmu", "cpuid", "kvm_main", "processor", "ucall", "ice_main", "paging_tmpl", "tdp_mmu", "spte"];
    private static readonly string[] s_words = ["the", "vcpu", "memslot", "rmap", "is", "allocated", "when", "a", "guest", "page", "fault", "handler", "returns", "to", "userspace", "after", "this", "change", "we", "no", "longer", "need", "lock", "for", "mmu", "root", "shadow", "paging", "nested", "VMX", "flush", "TLB", "on", "every", "entry", "which", "avoids", "races", "with", "hotplug", "and", "keeps", "code", "simpler", "Move", "helper", "into", "common", "file", "so", "that", "other", "architectures", "can", "use", "it", "without", "duplicating", "logic", "of", "x86", "path"];
    private static readonly string[] s_identifiers = ["vcpu", "kvm", "slot", "gfn", "sptep", "root", "level", "ret", "mask", "pte", "msr", "data", "index", "flags", "entry", "npages"];
    private static readonly string[] s_functions = ["kvm_mmu_page_fault", "vmx_vcpu_run", "svm_set_cr4", "kvm_arch_vcpu_ioctl", "mmu_spte_update", "kvm_set_memory_region", "nested_vmx_run", "kvm_lapic_reg_write", "kvm_pmu_refresh", "ucall_init"];
    private static readonly string[] s_timeZones = ["-0800", "-0700", "+0100", "+0200", "+0800", "-0400", "+0000", "+0530"];
    private static readonly string[] s_relays = ["mail-wr1-f67.google.com", "mx1.redhat.com", "mga02.intel.com", "mail.kernel.org", "smtp-out.suse.de", "mx0a-001b2d01.pphosted.com"];
    private static readonly string[] s_notes = ["Rebased on kvm/queue", "Dropped the WARN_ON as suggested by Sean", "Fixed a typo in the changelog", "Moved the helper to common code", "Added a selftest", "Split patch 3 into two", "Collected Reviewed-by tags", "Use READ_ONCE() for the root level"];

    // zlib of zero bytes (header, empty final block, Adler-32 of nothing); ZLibStream writes nothing at all
    // when nothing was written to it, and git's "literal 0" reverse hunk needs a valid stream.
    private static readonly byte[] s_emptyZlib = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    /// <summary>Bumped whenever the output for a given seed changes (names the benchmark input cache files).</summary>
    public const int FormatVersion = 2;

    private const string Base85Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
    private const string GitVersion = "2.24.1";

    private readonly Random _rng;
    private readonly Random _lineRng;
    private readonly int _diffLineFactor;
    private readonly bool _discussion;
    private readonly GeneratedMailboxStats _stats = new();
    private GeneratedMailboxStats _counts = new();
    private long _written;
    private long _targetBytes;
    private int _messageLimit;
    private DateTimeOffset _clock = new(2019, 8, 30, 1, 36, 15, TimeSpan.Zero);

    private MailboxGenerator(int seed, int diffLineFactor, bool discussion = false)
    {
        _rng = new Random(seed);
        _lineRng = new Random(unchecked(seed * 7919 + 17));
        _diffLineFactor = diffLineFactor;
        _discussion = discussion;
    }

    /// <summary>Writes whole messages until the mailbox holds at least <paramref name="targetBytes"/> bytes.</summary>
    public static byte[] Generate(int targetBytes, int seed = 42) => Generate(targetBytes, seed, out _);

    /// <summary>As <see cref="Generate(int, int)"/>, and says what was written.</summary>
    public static byte[] Generate(int targetBytes, int seed, out GeneratedMailboxStats stats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetBytes);
        var output = new MemoryStream();
        stats = new MailboxGenerator(seed, 1).Run(output, targetBytes, int.MaxValue);
        return output.ToArray();
    }

    /// <summary>
    /// Streams the same bytes as <see cref="Generate(int, int)"/> to <paramref name="output"/>, for
    /// sizes beyond an array (the 1 GB streaming-memory check); one message is buffered at a time.
    /// </summary>
    public static GeneratedMailboxStats Generate(Stream output, long targetBytes, int seed = 42) => Generate(output, targetBytes, seed, discussion: false);

    /// <summary>
    /// As <see cref="Generate(Stream, long, int)"/>; with <paramref name="discussion"/> the series are followed by the
    /// review threads a mailing-list archive (lore) is mostly made of: 6 to 19 replies each, some to earlier replies,
    /// longer quotes and more written paragraphs, trailers in some. Without it the bytes are those of the other overloads.
    /// </summary>
    public static GeneratedMailboxStats Generate(Stream output, long targetBytes, int seed, bool discussion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(targetBytes);
        return new MailboxGenerator(seed, 1, discussion).Run(output, targetBytes, int.MaxValue);
    }

    /// <summary>
    /// Writes exactly <paramref name="messageCount"/> messages. With <paramref name="diffLineFactor"/> = 2
    /// the messages, files and hunks are the same as with 1, with twice the diff lines: the input for
    /// the "zero allocations per diff line" check.
    /// </summary>
    public static byte[] GenerateMessages(int messageCount, int seed, int diffLineFactor, out GeneratedMailboxStats stats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(diffLineFactor, 1);
        var output = new MemoryStream();
        stats = new MailboxGenerator(seed, diffLineFactor).Run(output, long.MaxValue, messageCount);
        return output.ToArray();
    }

    private GeneratedMailboxStats Run(Stream output, long targetBytes, int messageLimit)
    {
        _targetBytes = targetBytes;
        _messageLimit = messageLimit;
        var message = new StringBuilder(16 * 1024);
        while (HasRoom)
        {
            WriteSeries(output, message);
        }

        return _stats;
    }

    /// <summary>Another message may be written: the target size and the message limit are not reached.</summary>
    private bool HasRoom => _written < _targetBytes && _stats.Messages < _messageLimit;

    // ---- series -------------------------------------------------------------------------------

    private sealed class Person(string name, string email, bool unicode)
    {
        public string Name { get; } = name;

        public string Email { get; } = email;

        public bool Unicode { get; } = unicode;

        public string Plain => Name + " <" + Email + ">";
    }

    private sealed class PatchPlan
    {
        public required string Title { get; init; }

        public required Person Author { get; init; }

        public required List<FilePlan> Files { get; init; }

        public required string DiffText { get; init; }

        public required List<string> QuotableLines { get; init; }

        public string MessageId { get; set; } = "";

        /// <summary>The diff counts of this patch, added to the totals only when it is written.</summary>
        public required GeneratedMailboxStats Counts { get; init; }
    }

    private sealed class FilePlan
    {
        public required string OldPath { get; init; }

        public required string NewPath { get; init; }

        public int Added { get; set; }

        public int Removed { get; set; }

        public int BinarySize { get; set; } = -1;

        public bool IsNew { get; init; }

        public bool IsDeleted { get; init; }

        public int Similarity { get; init; }

        public bool ModeChange { get; init; }
    }

    private void WriteSeries(Stream output, StringBuilder sb)
    {
        _stats.Series++;
        int version = _rng.Next(4) == 0 ? 1 : _rng.Next(1, 12);
        int total = _rng.Next(3) == 0 ? 1 : _rng.Next(2, 14);
        bool cover = total > 1 && _rng.Next(5) != 0;
        string tag = _rng.Next(6) == 0 ? s_projectTags[_rng.Next(s_projectTags.Length)] : "";
        int fromStyle = _rng.Next(3); // 0 format-patch, 1 patchwork, 2 lore mboxrd
        Person sender = NewPerson();
        string sha40 = Hex(40);
        string stamp = _clock.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        int pid = _rng.Next(1000, 99999);
        string subsystem = s_subsystems[_rng.Next(s_subsystems.Length)];
        List<Person> cc = NewCcList();
        string toList = s_lists[_rng.Next(s_lists.Length)];

        var patches = new List<PatchPlan>(total);
        for (int i = 1; i <= total; i++)
        {
            Person author = _rng.Next(7) == 0 ? NewPerson() : sender;
            patches.Add(PlanPatch(subsystem, author, i));
        }

        string coverId = stamp + "." + pid + "-1-" + sender.Email;
        for (int i = 0; i < patches.Count; i++)
        {
            patches[i].MessageId = stamp + "." + pid + "-" + (i + (cover ? 2 : 1)) + "-" + sender.Email;
        }

        string threadRoot = cover ? coverId : patches[0].MessageId;
        if (cover && HasRoom)
        {
            sb.Clear();
            WriteCover(sb, fromStyle, sha40, sender, toList, cc, tag, version, total, subsystem, coverId, patches);
            Flush(output, sb);
            _stats.CoverLetters++;
        }

        for (int i = 0; i < patches.Count && HasRoom; i++)
        {
            sb.Clear();
            string? inReplyTo = i == 0 && !cover ? null : threadRoot;
            WritePatch(sb, fromStyle, sender, toList, cc, tag, version, i + 1, total, patches[i], inReplyTo);
            Flush(output, sb);
            _stats.Patches++;
            AddDiffCounts(patches[i].Counts);
        }

        int replies = _discussion ? _rng.Next(6, 20) : _rng.Next(4) == 0 ? 0 : _rng.Next(1, 4);
        string? lastReply = null;
        for (int r = 0; r < replies && HasRoom; r++)
        {
            sb.Clear();
            PatchPlan target = patches[_rng.Next(patches.Count)];
            // in a discussion, half the replies answer the reply before them
            string? under = _discussion && lastReply is not null && _rng.Next(2) == 0 ? lastReply : null;
            lastReply = WriteReply(sb, toList, cc, tag, version, patches.IndexOf(target) + 1, total, target, threadRoot, under);
            Flush(output, sb);
            _stats.Replies++;
        }
    }

    private void AddDiffCounts(GeneratedMailboxStats counts)
    {
        _stats.DiffFiles += counts.DiffFiles;
        _stats.NewFiles += counts.NewFiles;
        _stats.DeletedFiles += counts.DeletedFiles;
        _stats.Renames += counts.Renames;
        _stats.ModeChanges += counts.ModeChanges;
        _stats.BinaryPatches += counts.BinaryPatches;
        _stats.Hunks += counts.Hunks;
        _stats.DiffLines += counts.DiffLines;
        _stats.AddedLines += counts.AddedLines;
        _stats.RemovedLines += counts.RemovedLines;
        _stats.NoNewlineMarkers += counts.NoNewlineMarkers;
    }

    private void Flush(Stream output, StringBuilder sb)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sb.ToString());
        output.Write(bytes);
        _written += bytes.Length;
        _stats.Messages++;
    }

    private PatchPlan PlanPatch(string subsystem, Person author, int number)
    {
        string title = subsystem + ": " + Capitalize(Words(_rng.Next(4, 10)));
        _counts = new GeneratedMailboxStats();
        int fileCount = _rng.Next(4) == 0 ? _rng.Next(4, 12) : _rng.Next(1, 4);
        var files = new List<FilePlan>(fileCount);
        var diff = new StringBuilder(8 * 1024);
        var quotable = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int f = 0; f < fileCount; f++)
        {
            string path = NewPath(used);
            int kind = _rng.Next(40);
            FilePlan file;
            if (kind == 0)
            {
                file = new FilePlan { OldPath = path + ".bin", NewPath = path + ".bin", IsNew = true };
                WriteBinaryFile(diff, file);
            }
            else if (kind < 5)
            {
                file = new FilePlan { OldPath = path, NewPath = path, IsNew = true };
                WriteNewOrDeletedFile(diff, file, quotable);
            }
            else if (kind < 7)
            {
                file = new FilePlan { OldPath = path, NewPath = path, IsDeleted = true };
                WriteNewOrDeletedFile(diff, file, quotable);
            }
            else if (kind < 10)
            {
                string newPath = NewPath(used);
                bool pure = _rng.Next(3) == 0;
                file = new FilePlan { OldPath = path, NewPath = newPath, Similarity = pure ? 100 : _rng.Next(70, 99) };
                WriteModifiedFile(diff, file, quotable, hunks: pure ? 0 : _rng.Next(1, 3));
            }
            else
            {
                file = new FilePlan { OldPath = path, NewPath = path, ModeChange = kind == 10 };
                WriteModifiedFile(diff, file, quotable, hunks: _rng.Next(1, 6));
            }

            files.Add(file);
        }

        return new PatchPlan { Title = title, Author = author, Files = files, DiffText = diff.ToString(), QuotableLines = quotable, Counts = _counts };
    }

    // ---- messages -------------------------------------------------------------------------------

    private void WriteFromLine(StringBuilder sb, int fromStyle, string sha40)
    {
        switch (fromStyle)
        {
            case 0:
                sb.Append("From ").Append(sha40).Append(" Mon Sep 17 00:00:00 2001\n");
                break;
            case 1:
                DateTimeOffset utc = _clock.ToUniversalTime();
                sb.Append("From patchwork ").Append(utc.ToString("ddd MMM ", CultureInfo.InvariantCulture))
                  .Append(utc.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2))
                  .Append(utc.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture)).Append('\n');
                break;
            default:
                sb.Append("From mboxrd@z Thu Jan  1 00:00:00 1970\n");
                break;
        }
    }

    private void WriteTransportHeaders(StringBuilder sb, int fromStyle, string list)
    {
        if (fromStyle == 1)
        {
            sb.Append("Content-Type: text/plain; charset=\"utf-8\"\nMIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\n");
            sb.Append("X-Patchwork-Id: ").Append(_rng.Next(10000000, 12000000)).Append('\n');
        }

        sb.Append("Return-Path: <").Append(list.Replace("@", "-owner@", StringComparison.Ordinal)).Append(">\n");
        int hops = _rng.Next(3, 8);
        for (int i = 0; i < hops; i++)
        {
            string relay = s_relays[_rng.Next(s_relays.Length)];
            string date = FormatDate(_clock.AddSeconds(-i * 7));
            switch (_rng.Next(3))
            {
                case 0:
                    sb.Append("Received: from ").Append(relay).Append(" (").Append(relay).Append(" [209.85.").Append(_rng.Next(256)).Append('.').Append(_rng.Next(256)).Append("])\n")
                      .Append("\tby mail.kernel.org (Postfix) with ESMTPS id ").Append(Hex(10).ToUpperInvariant()).Append('\n')
                      .Append("\tfor <").Append(list).Append(">; ").Append(date).Append(" (UTC)\n");
                    break;
                case 1:
                    sb.Append("Received: (majordomo@vger.kernel.org) by vger.kernel.org via listexpand\n")
                      .Append("        id S").Append(_rng.Next(1000000, 9999999)).Append("AbfH3Bgd (ORCPT\n")
                      .Append("        <rfc822;").Append(list).Append(">);\n")
                      .Append("        ").Append(date).Append('\n');
                    break;
                default:
                    sb.Append("Received: from ").Append(relay).Append(" ([10.").Append(_rng.Next(256)).Append('.').Append(_rng.Next(256)).Append(".1]:").Append(_rng.Next(1024, 65535)).Append(" \"EHLO ").Append(relay).Append("\"\n")
                      .Append("        rhost-flags-OK-OK-OK-OK) by vger.kernel.org with ESMTP\n")
                      .Append("        (using TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits))\n")
                      .Append("        id S").Append(_rng.Next(1000000, 9999999)).Append("AbfH3Bgc; ").Append(date).Append('\n');
                    break;
            }
        }

        sb.Append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=").Append(s_domains[_rng.Next(s_domains.Length)]).Append(";\n")
          .Append("        s=20161025; t=").Append(_clock.ToUnixTimeSeconds()).Append(";\n")
          .Append("        h=from:to:cc:subject:date:message-id:in-reply-to:references\n         :mime-version:content-transfer-encoding;\n")
          .Append("        bh=").Append(Base64Chars(43)).Append("=;\n")
          .Append("        b=").Append(Base64Chars(70));
        for (int i = 0; i < 4; i++)
        {
            sb.Append("\n         ").Append(Base64Chars(70));
        }

        sb.Append("\n         ").Append(Base64Chars(6)).Append("==\n");
    }

    private void WriteCommonHeaders(StringBuilder sb, int fromStyle, Person from, string to, List<Person> cc, string subject, string messageId, string? inReplyTo, string? references)
    {
        sb.Append("From: ");
        AppendAddress(sb, from);
        sb.Append('\n');
        sb.Append("To: ").Append(to).Append('\n');
        sb.Append("Cc: ");
        int column = 4;
        var entry = new StringBuilder();
        for (int i = 0; i < cc.Count; i++)
        {
            entry.Clear();
            AppendAddress(entry, cc[i]);
            if (i + 1 < cc.Count)
            {
                entry.Append(',');
            }

            // Fold before an entry that would pass column 76, as send-email's folding does.
            if (i > 0)
            {
                if (column + 1 + entry.Length > 76)
                {
                    sb.Append("\n ");
                    column = 1;
                }
                else
                {
                    sb.Append(' ');
                    column++;
                }
            }

            sb.Append(entry);
            column += entry.Length;
        }

        sb.Append('\n');
        if (subject.Length > 70 && _rng.Next(2) == 0)
        {
            int fold = subject.LastIndexOf(' ', 60);
            sb.Append("Subject: ").Append(subject, 0, fold).Append("\n ").Append(subject, fold + 1, subject.Length - fold - 1).Append('\n');
        }
        else
        {
            sb.Append("Subject: ").Append(subject).Append('\n');
        }

        sb.Append("Date: ").Append(FormatDate(_clock)).Append('\n');
        sb.Append("Message-Id: <").Append(messageId).Append(">\n");
        if (inReplyTo is not null)
        {
            sb.Append("In-Reply-To: <").Append(inReplyTo).Append(">\n");
            sb.Append("References: ").Append(references).Append('\n');
        }

        sb.Append(fromStyle == 2 && inReplyTo is not null && subject.StartsWith("Re: ", StringComparison.Ordinal)
            ? "User-Agent: Mutt/1.10.1 (2018-07-13)\n"
            : "X-Mailer: git-send-email " + GitVersion + "\n");
        sb.Append("MIME-Version: 1.0\n");
        if (fromStyle != 1)
        {
            // Patchwork moves Content-Type and Content-Transfer-Encoding to the top (see WriteTransportHeaders).
            sb.Append("Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n");
        }

        sb.Append("Sender: kvm-owner@vger.kernel.org\nPrecedence: bulk\nList-ID: <kvm.vger.kernel.org>\nX-Mailing-List: kvm@vger.kernel.org\n\n");
        _clock = _clock.AddSeconds(_rng.Next(1, 90));
    }

    private void WriteCover(StringBuilder sb, int fromStyle, string sha40, Person sender, string to, List<Person> cc, string tag, int version, int total, string subsystem, string coverId, List<PatchPlan> patches)
    {
        WriteFromLine(sb, fromStyle, sha40);
        WriteTransportHeaders(sb, fromStyle, to);
        string title = subsystem + ": " + Capitalize(Words(_rng.Next(3, 8)));
        WriteCommonHeaders(sb, fromStyle, sender, to, cc, Prefix(tag, version, 0, total) + " " + title, coverId, null, null);
        WriteParagraphs(sb, _rng.Next(1, 4));
        if (version > 1)
        {
            sb.Append("v").Append(version).Append(":\n");
            WriteNotesItems(sb);
            sb.Append('\n');
        }

        sb.Append(sender.Name).Append(" (").Append(patches.Count).Append("):\n");
        foreach (PatchPlan patch in patches)
        {
            sb.Append("  ").Append(patch.Title).Append('\n');
        }

        sb.Append('\n');
        var all = new List<FilePlan>();
        foreach (PatchPlan patch in patches)
        {
            all.AddRange(patch.Files);
        }

        WriteDiffstat(sb, all);
        sb.Append("\n-- \n").Append(GitVersion).Append("\n\n");
    }

    private void WritePatch(StringBuilder sb, int fromStyle, Person sender, string to, List<Person> cc, string tag, int version, int index, int total, PatchPlan patch, string? inReplyTo)
    {
        WriteFromLine(sb, fromStyle, Hex(40));
        WriteTransportHeaders(sb, fromStyle, to);
        string subject = Prefix(tag, version, total == 1 ? -1 : index, total) + " " + patch.Title;
        WriteCommonHeaders(sb, fromStyle, sender, to, cc, subject, patch.MessageId, inReplyTo, inReplyTo is null ? null : "<" + inReplyTo + ">");
        if (!ReferenceEquals(patch.Author, sender))
        {
            sb.Append("From: ").Append(patch.Author.Plain).Append("\n\n");
            _stats.InBodyFroms++;
        }

        WriteParagraphs(sb, _rng.Next(1, 4));
        if (_rng.Next(4) == 0)
        {
            sb.Append("Fixes: ").Append(Hex(12)).Append(" (\"").Append(s_subsystems[_rng.Next(s_subsystems.Length)]).Append(": ").Append(Capitalize(Words(_rng.Next(3, 7)))).Append("\")\n");
            _stats.Trailers++;
            if (_rng.Next(2) == 0)
            {
                sb.Append("Cc: stable@vger.kernel.org # ").Append(_rng.Next(4, 6)).Append('.').Append(_rng.Next(0, 20)).Append(".x\n");
                _stats.Trailers++;
            }
        }

        if (_rng.Next(5) == 0)
        {
            sb.Append("Reported-by: ").Append(NewPerson().Plain).Append('\n');
            _stats.Trailers++;
        }

        if (_rng.Next(4) == 0)
        {
            sb.Append("Link: https://lore.kernel.org/r/").Append(Hex(8)).Append('@').Append(s_domains[_rng.Next(s_domains.Length)]).Append('\n');
            _stats.Trailers++;
        }

        int reviews = _rng.Next(3);
        for (int i = 0; i < reviews; i++)
        {
            sb.Append(_rng.Next(3) == 0 ? "Acked-by: " : "Reviewed-by: ").Append(NewPerson().Plain).Append('\n');
            _stats.Trailers++;
        }

        sb.Append("Signed-off-by: ").Append(patch.Author.Plain).Append('\n');
        _stats.Trailers++;
        if (!ReferenceEquals(patch.Author, sender))
        {
            sb.Append("Signed-off-by: ").Append(sender.Plain).Append('\n');
            _stats.Trailers++;
        }

        sb.Append("---\n");
        if (version > 1 && _rng.Next(2) == 0)
        {
            sb.Append("v").Append(version - 1).Append(" -> v").Append(version).Append(":\n");
            WriteNotesItems(sb);
            sb.Append('\n');
        }

        WriteDiffstat(sb, patch.Files);
        sb.Append('\n').Append(patch.DiffText);
        sb.Append("-- \n").Append(GitVersion).Append("\n\n");
    }

    // Writes a review reply to target (or, in a discussion, to the reply under) and returns its message id.
    private string WriteReply(StringBuilder sb, string to, List<Person> cc, string tag, int version, int index, int total, PatchPlan target, string threadRoot, string? under = null)
    {
        Person reviewer = NewPerson();
        WriteFromLine(sb, 2, "");
        WriteTransportHeaders(sb, 2, to);
        string subject = "Re: " + Prefix(tag, version, total == 1 ? -1 : index, total) + " " + target.Title;
        string id = Hex(16) + "@" + reviewer.Email.Substring(reviewer.Email.IndexOf('@', StringComparison.Ordinal) + 1);
        string references = threadRoot == target.MessageId ? "<" + threadRoot + ">" : "<" + threadRoot + ">\n <" + target.MessageId + ">";
        if (under is not null)
        {
            references += "\n <" + under + ">";
        }

        WriteCommonHeaders(sb, 2, reviewer, to, cc, subject, id, under ?? target.MessageId, references);
        sb.Append("On ").Append(FormatDate(_clock.AddMinutes(-_rng.Next(10, 3000)))).Append(", ").Append(target.Author.Name).Append(" wrote:\n");
        int quoted = Math.Min(target.QuotableLines.Count, _discussion ? _rng.Next(10, 40) : _rng.Next(2, 12));
        int start = target.QuotableLines.Count == 0 ? 0 : _rng.Next(target.QuotableLines.Count - quoted + 1);
        string quote = under is null ? "> " : "> > ";
        if (under is not null)
        {
            sb.Append("> ").Append(Capitalize(Words(_rng.Next(6, 14)))).Append('\n').Append(">\n");
        }

        sb.Append(quote).Append(Capitalize(Words(8))).Append('\n').Append(quote.TrimEnd()).Append('\n');
        for (int i = 0; i < quoted; i++)
        {
            sb.Append(quote).Append(target.QuotableLines[start + i]).Append('\n');
        }

        sb.Append('\n');
        WriteParagraphs(sb, _discussion ? _rng.Next(2, 6) : 1);
        if (_discussion && _rng.Next(3) != 0)
        {
            // most of a discussion carries no trailer
            if (_rng.Next(2) == 0)
            {
                sb.Append("-- \n").Append(reviewer.Name).Append('\n');
            }

            sb.Append('\n');
            return id;
        }

        sb.Append("Reviewed-by: ").Append(reviewer.Plain).Append("\n\n");
        _stats.Trailers++;
        if (_rng.Next(2) == 0)
        {
            sb.Append("-- \n").Append(reviewer.Name).Append('\n');
        }

        sb.Append('\n');
        return id;
    }

    // ---- diffs ------------------------------------------------------------------------------------

    /// <summary>
    /// The diffstat as <c>git format-patch</c> writes it (git's <c>show_stats</c> with the mail width of
    /// 72 columns): names padded, counts right-aligned, the graph scaled to fit, long names cut
    /// to <c>...</c> and a path tail, then the summary line and the create/delete/rename/mode lines.
    /// </summary>
    private static void WriteDiffstat(StringBuilder sb, List<FilePlan> files)
    {
        const int width = 72;
        int maxLength = 0;
        int maxChange = 0;
        int numberWidth = 0;
        int binWidth = 0;
        long insertions = 0;
        long deletions = 0;
        var names = new string[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            FilePlan f = files[i];
            names[i] = f.OldPath == f.NewPath ? f.NewPath : RenameDisplay(f.OldPath, f.NewPath);
            maxLength = Math.Max(maxLength, names[i].Length);
            if (f.BinarySize >= 0)
            {
                binWidth = Math.Max(binWidth, 14 + 1 + DecimalWidth(f.BinarySize));
                numberWidth = 3;
                continue;
            }

            maxChange = Math.Max(maxChange, f.Added + f.Removed);
            insertions += f.Added;
            deletions += f.Removed;
        }

        numberWidth = Math.Max(numberWidth, DecimalWidth(maxChange));
        int graphWidth = maxChange + 4 > binWidth ? maxChange : binWidth - 4;
        int nameWidth = maxLength;
        if (nameWidth + numberWidth + 6 + graphWidth > width)
        {
            if (graphWidth > (width * 3 / 8) - numberWidth - 6)
            {
                graphWidth = Math.Max(6, (width * 3 / 8) - numberWidth - 6);
            }

            if (nameWidth > width - numberWidth - 6 - graphWidth)
            {
                nameWidth = width - numberWidth - 6 - graphWidth;
            }
            else
            {
                graphWidth = width - numberWidth - 6 - nameWidth;
            }
        }

        for (int i = 0; i < files.Count; i++)
        {
            FilePlan f = files[i];
            string name = names[i];
            string prefix = "";
            int padTo = nameWidth;
            if (name.Length > nameWidth)
            {
                // git keeps the tail and cuts it at a slash when it can.
                prefix = "...";
                padTo = nameWidth - 3;
                name = name[(name.Length - padTo)..];
                int slash = name.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    name = name[slash..];
                }
            }

            sb.Append(' ').Append(prefix).Append(name.PadRight(padTo)).Append(" | ");
            if (f.BinarySize >= 0)
            {
                sb.Append("Bin".PadLeft(numberWidth)).Append(" 0 -> ").Append(f.BinarySize).Append(" bytes\n");
                continue;
            }

            int added = f.Added;
            int removed = f.Removed;
            sb.Append((added + removed).ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth));
            if (graphWidth <= maxChange)
            {
                int total = ScaleLinear(added + removed, graphWidth, maxChange);
                if (total < 2 && added > 0 && removed > 0)
                {
                    total = 2;
                }

                if (added < removed)
                {
                    added = ScaleLinear(added, graphWidth, maxChange);
                    removed = total - added;
                }
                else
                {
                    removed = ScaleLinear(removed, graphWidth, maxChange);
                    added = total - removed;
                }
            }

            if (added + removed > 0)
            {
                sb.Append(' ').Append('+', added).Append('-', removed);
            }

            sb.Append('\n');
        }

        sb.Append(' ').Append(files.Count).Append(files.Count == 1 ? " file changed" : " files changed");
        if (insertions > 0 || deletions == 0)
        {
            sb.Append(", ").Append(insertions).Append(insertions == 1 ? " insertion(+)" : " insertions(+)");
        }

        if (deletions > 0 || insertions == 0)
        {
            sb.Append(", ").Append(deletions).Append(deletions == 1 ? " deletion(-)" : " deletions(-)");
        }

        sb.Append('\n');
        foreach (FilePlan f in files)
        {
            if (f.IsNew)
            {
                sb.Append(" create mode 100644 ").Append(f.NewPath).Append('\n');
            }
            else if (f.IsDeleted)
            {
                sb.Append(" delete mode 100644 ").Append(f.OldPath).Append('\n');
            }
            else if (f.OldPath != f.NewPath)
            {
                sb.Append(" rename ").Append(RenameDisplay(f.OldPath, f.NewPath)).Append(" (").Append(f.Similarity).Append("%)\n");
            }
            else if (f.ModeChange)
            {
                sb.Append(" mode change 100644 => 100755 ").Append(f.NewPath).Append('\n');
            }
        }
    }

    private static int DecimalWidth(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    private static int ScaleLinear(int it, int width, int maxChange) => it == 0 ? 0 : 1 + (it * (width - 1) / maxChange);

    /// <summary>
    /// git's <c>pprint_rename</c>: <c>pfx{old => new}sfx</c> around the common directory prefix and
    /// the common suffix starting at a slash (the suffix scan may reuse the prefix's last slash).
    /// </summary>
    internal static string RenameDisplay(string oldPath, string newPath)
    {
        int prefix = 0;
        for (int i = 0; i < oldPath.Length && i < newPath.Length && oldPath[i] == newPath[i]; i++)
        {
            if (oldPath[i] == '/')
            {
                prefix = i + 1;
            }
        }

        int floor = prefix > 0 ? prefix - 1 : 0;
        int suffix = 0;
        for (int o = oldPath.Length - 1, n = newPath.Length - 1; o >= floor && n >= floor && oldPath[o] == newPath[n]; o--, n--)
        {
            if (oldPath[o] == '/')
            {
                suffix = oldPath.Length - o;
            }
        }

        if (prefix + suffix == 0)
        {
            return oldPath + " => " + newPath;
        }

        int oldMiddle = Math.Max(0, oldPath.Length - prefix - suffix);
        int newMiddle = Math.Max(0, newPath.Length - prefix - suffix);
        return oldPath[..prefix] + "{" + oldPath.Substring(prefix, oldMiddle) + " => " + newPath.Substring(prefix, newMiddle) + "}" + oldPath[^suffix..];
    }

    private void WriteModifiedFile(StringBuilder diff, FilePlan file, List<string> quotable, int hunks)
    {
        _counts.DiffFiles++;
        diff.Append("diff --git a/").Append(file.OldPath).Append(" b/").Append(file.NewPath).Append('\n');
        if (file.ModeChange)
        {
            diff.Append("old mode 100644\nnew mode 100755\n");
            _counts.ModeChanges++;
        }

        if (file.OldPath != file.NewPath)
        {
            diff.Append("similarity index ").Append(file.Similarity).Append("%\nrename from ").Append(file.OldPath).Append("\nrename to ").Append(file.NewPath).Append('\n');
            _counts.Renames++;
        }

        if (hunks == 0)
        {
            return;
        }

        diff.Append("index ").Append(Hex(12)).Append("..").Append(Hex(12)).Append(file.ModeChange ? "" : " 100644").Append('\n');
        diff.Append("--- a/").Append(file.OldPath).Append("\n+++ b/").Append(file.NewPath).Append('\n');
        int oldStart = _rng.Next(1, 300);
        int delta = 0;
        var body = new StringBuilder();
        for (int h = 0; h < hunks; h++)
        {
            body.Clear();
            int oldCount = 0;
            int newCount = 0;
            int lead = Math.Min(3, oldStart - 1);
            for (int i = 0; i < lead; i++)
            {
                AppendLine(body, ' ', quotable);
                oldCount++;
                newCount++;
            }

            int groups = _rng.Next(1, 4);
            for (int g = 0; g < groups; g++)
            {
                int removed = _rng.Next(0, 8) * _diffLineFactor;
                int added = _rng.Next(removed == 0 ? 1 : 0, 10) * _diffLineFactor;
                int context = g + 1 == groups ? 3 : _rng.Next(1, 6) * _diffLineFactor;
                for (int i = 0; i < removed; i++)
                {
                    AppendLine(body, '-', quotable);
                }

                for (int i = 0; i < added; i++)
                {
                    AppendLine(body, '+', quotable);
                }

                for (int i = 0; i < context; i++)
                {
                    AppendLine(body, ' ', quotable);
                }

                oldCount += removed + context;
                newCount += added + context;
                file.Added += added;
                file.Removed += removed;
            }

            int newStart = oldStart + delta;
            diff.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@");
            if (_rng.Next(3) != 0)
            {
                diff.Append(" static int ").Append(s_functions[_rng.Next(s_functions.Length)]).Append("(struct kvm_vcpu *vcpu)");
            }

            diff.Append('\n').Append(body);
            _counts.Hunks++;
            delta += newCount - oldCount;
            oldStart += oldCount + _rng.Next(4, 120);
        }
    }

    private void WriteNewOrDeletedFile(StringBuilder diff, FilePlan file, List<string> quotable)
    {
        _counts.DiffFiles++;
        _counts.Hunks++;
        int lines = _rng.Next(1, 60) * _diffLineFactor;
        bool noNewline = file.IsNew && _rng.Next(4) == 0;
        diff.Append("diff --git a/").Append(file.OldPath).Append(" b/").Append(file.NewPath).Append('\n');
        if (file.IsNew)
        {
            _counts.NewFiles++;
            diff.Append("new file mode 100644\nindex 0000000..").Append(Hex(7)).Append("\n--- /dev/null\n+++ b/").Append(file.NewPath).Append('\n');
            diff.Append("@@ -0,0 +").Append(Range(1, lines)).Append(" @@\n");
            file.Added = lines;
        }
        else
        {
            _counts.DeletedFiles++;
            diff.Append("deleted file mode 100644\nindex ").Append(Hex(7)).Append("..0000000\n--- a/").Append(file.OldPath).Append("\n+++ /dev/null\n");
            diff.Append("@@ -").Append(Range(1, lines)).Append(" +0,0 @@\n");
            file.Removed = lines;
        }

        for (int i = 0; i < lines; i++)
        {
            AppendLine(diff, file.IsNew ? '+' : '-', quotable);
        }

        if (noNewline)
        {
            diff.Append("\\ No newline at end of file\n");
            _counts.NoNewlineMarkers++;
        }
    }

    private void WriteBinaryFile(StringBuilder diff, FilePlan file)
    {
        _counts.DiffFiles++;
        _counts.NewFiles++;
        _counts.BinaryPatches++;
        int size = _rng.Next(64, 3000);
        var content = new byte[size];
        for (int i = 0; i < size; i++)
        {
            // Half noise, half runs: compresses somewhat, like small images and firmware blobs.
            content[i] = i % 64 < 32 ? (byte)_rng.Next(256) : (byte)(i / 64);
        }

        file.BinarySize = size;
        byte[] header = Encoding.ASCII.GetBytes("blob " + size.ToString(CultureInfo.InvariantCulture) + "\0");
        byte[] blob = new byte[header.Length + size];
        header.CopyTo(blob, 0);
        content.CopyTo(blob, header.Length);
        string sha = Convert.ToHexStringLower(SHA1.HashData(blob));
        diff.Append("diff --git a/").Append(file.NewPath).Append(" b/").Append(file.NewPath).Append('\n')
            .Append("new file mode 100644\nindex 0000000000000000000000000000000000000000..").Append(sha).Append('\n')
            .Append("GIT binary patch\nliteral ").Append(size).Append('\n');
        AppendBase85Lines(diff, Deflate(content));
        diff.Append("\nliteral 0\n");
        AppendBase85Lines(diff, s_emptyZlib);
        diff.Append('\n');
    }

    private void AppendLine(StringBuilder sb, char kind, List<string> quotable)
    {
        int start = sb.Length + 1;
        sb.Append(kind);
        switch (_lineRng.Next(10))
        {
            case 0:
                // An empty line: git writes a bare " " (or "+"/"-") for it.
                break;
            case 1:
                sb.Append("\tif (!").Append(Ident()).Append(')');
                break;
            case 2:
                sb.Append("\t\treturn -").Append(_lineRng.Next(2) == 0 ? "ENOMEM;" : "EINVAL;");
                break;
            case 3:
                sb.Append("\t/* ").Append(LineWords(_lineRng.Next(3, 9))).Append(" */");
                break;
            case 4:
                sb.Append('}');
                break;
            default:
                sb.Append('\t').Append(Ident()).Append(" = ").Append(s_functions[_lineRng.Next(s_functions.Length)]).Append('(').Append(Ident()).Append(", ").Append(_lineRng.Next(4096)).Append(");");
                break;
        }

        sb.Append('\n');
        _counts.DiffLines++;
        if (kind == '+')
        {
            _counts.AddedLines++;
        }
        else if (kind == '-')
        {
            _counts.RemovedLines++;
        }

        if (quotable.Count < 64)
        {
            quotable.Add(sb.ToString(start - 1, sb.Length - start));
        }
    }

    // ---- small pieces -------------------------------------------------------------------------------

    private static string Range(int start, int count) =>
        count == 1 ? start.ToString(CultureInfo.InvariantCulture) : start.ToString(CultureInfo.InvariantCulture) + "," + count.ToString(CultureInfo.InvariantCulture);

    private static string Prefix(string tag, int version, int index, int total)
    {
        var sb = new StringBuilder("[");
        if (tag == "RFC")
        {
            sb.Append("RFC ");
        }

        if (tag.Length > 0 && tag != "RFC")
        {
            sb.Append(tag).Append(' ');
        }

        sb.Append("PATCH");
        if (version > 1)
        {
            sb.Append(" v").Append(version);
        }

        if (index >= 0)
        {
            int width = total.ToString(CultureInfo.InvariantCulture).Length;
            sb.Append(' ').Append(index.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')).Append('/').Append(total);
        }

        return sb.Append(']').ToString();
    }

    private void AppendAddress(StringBuilder sb, Person person)
    {
        if (person.Name.Length == 0)
        {
            sb.Append('<').Append(person.Email).Append('>');
            return;
        }

        if (person.Unicode)
        {
            _stats.EncodedWords++;
            if (_rng.Next(3) == 0)
            {
                sb.Append("=?utf-8?b?").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(person.Name))).Append("?=");
            }
            else
            {
                sb.Append("=?utf-8?q?");
                foreach (byte b in Encoding.UTF8.GetBytes(person.Name))
                {
                    if (b == (byte)' ')
                    {
                        sb.Append('_');
                    }
                    else if (char.IsAsciiLetterOrDigit((char)b) || b == (byte)'-' || b == (byte)'.')
                    {
                        sb.Append((char)b);
                    }
                    else
                    {
                        sb.Append('=').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    }
                }

                sb.Append("?=");
            }
        }
        else
        {
            sb.Append(person.Name);
        }

        sb.Append(" <").Append(person.Email).Append('>');
    }

    private Person NewPerson()
    {
        if (_rng.Next(8) == 0)
        {
            (string name, string email) = s_unicodePeople[_rng.Next(s_unicodePeople.Length)];
            return new Person(name, email, unicode: true);
        }

        string first = s_firstNames[_rng.Next(s_firstNames.Length)];
        string last = s_lastNames[_rng.Next(s_lastNames.Length)];
        string mail = (first + "." + last).ToLowerInvariant() + "@" + s_domains[_rng.Next(s_domains.Length)];
        return new Person(first + " " + last, mail, unicode: false);
    }

    private List<Person> NewCcList()
    {
        int count = _rng.Next(2, 24);
        var list = new List<Person>(count);
        for (int i = 0; i < count; i++)
        {
            Person p = NewPerson();
            // Bare "<a@b>" entries, as send-email writes for --cc without a name.
            list.Add(_rng.Next(6) == 0 ? new Person("", p.Email, unicode: false) : p);
        }

        list.Add(new Person("", s_lists[_rng.Next(s_lists.Length)], unicode: false));
        return list;
    }

    private string NewPath(HashSet<string> used)
    {
        while (true)
        {
            string dir = s_dirs[_rng.Next(s_dirs.Length)];
            string stem = s_stems[_rng.Next(s_stems.Length)];
            string ext = _rng.Next(4) == 0 ? ".h" : ".c";
            string path = _rng.Next(3) == 0 ? dir + "/" + stem + "_" + _rng.Next(100).ToString(CultureInfo.InvariantCulture) + ext : dir + "/" + stem + ext;
            if (used.Add(path))
            {
                return path;
            }
        }
    }

    private void WriteParagraphs(StringBuilder sb, int paragraphs)
    {
        for (int p = 0; p < paragraphs; p++)
        {
            int lines = _rng.Next(1, 6);
            for (int l = 0; l < lines; l++)
            {
                string text = Words(_rng.Next(6, 12));
                sb.Append(l == 0 ? Capitalize(text) : text).Append(l + 1 == lines ? ".\n" : "\n");
            }

            sb.Append('\n');
        }
    }

    private void WriteNotesItems(StringBuilder sb)
    {
        int items = _rng.Next(1, 4);
        for (int i = 0; i < items; i++)
        {
            sb.Append(" - ").Append(s_notes[_rng.Next(s_notes.Length)]).Append('\n');
        }
    }

    private string Words(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(s_words[_rng.Next(s_words.Length)]);
        }

        return sb.ToString();
    }

    private string LineWords(int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(s_words[_lineRng.Next(s_words.Length)]);
        }

        return sb.ToString();
    }

    private string Ident() => s_identifiers[_lineRng.Next(s_identifiers.Length)];

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private string Hex(int digits)
    {
        const string hex = "0123456789abcdef";
        return string.Create(digits, _rng, static (span, rng) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = hex[rng.Next(16)];
            }
        });
    }

    private string Base64Chars(int count)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return string.Create(count, _rng, static (span, rng) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = chars[rng.Next(64)];
            }
        });
    }

    private string FormatDate(DateTimeOffset instant)
    {
        string zone = s_timeZones[(int)(instant.ToUnixTimeSeconds() / 3600 % s_timeZones.Length)];
        int sign = zone[0] == '-' ? -1 : 1;
        var offset = new TimeSpan(sign * int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture), sign * int.Parse(zone.AsSpan(3, 2), CultureInfo.InvariantCulture), 0);
        DateTimeOffset local = instant.ToOffset(offset);
        return local.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + zone;
    }

    private static byte[] Deflate(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// git's binary-patch line format: a length letter (A-Z = 1..26 bytes, a-z = 27..52) then the
    /// line's bytes in base85, four bytes (big-endian, zero-padded) to five characters.
    /// </summary>
    internal static void AppendBase85Lines(StringBuilder sb, ReadOnlySpan<byte> data)
    {
        Span<char> group = stackalloc char[5];
        while (data.Length > 0)
        {
            int n = Math.Min(52, data.Length);
            sb.Append(n <= 26 ? (char)('A' + n - 1) : (char)('a' + n - 27));
            for (int i = 0; i < n; i += 4)
            {
                uint value = 0;
                for (int k = 0; k < 4; k++)
                {
                    value = (value << 8) | (i + k < n ? data[i + k] : 0u);
                }

                for (int k = 4; k >= 0; k--)
                {
                    group[k] = Base85Alphabet[(int)(value % 85)];
                    value /= 85;
                }

                sb.Append(group);
            }

            sb.Append('\n');
            data = data[n..];
        }
    }
}
