using System.Text;

namespace KernelPatch.Tests.EndToEnd;

/// <summary>
/// A mailbox keeps one string for text its messages repeat (people with accented names, trailer keys of replies,
/// version numbers, notes headings, renamed paths): what a parse retains is what the input says once.
/// </summary>
public class SharedStringsTests
{
    private static string Patch(int index, string messageId) =>
        "From x Mon Sep 17 00:00:00 2001\n" +
        "From: Philippe Mathieu-Daudé <philmd@linaro.org>\n" +
        $"Subject: [PATCH v3 {index}/2] hw/misc: step {index}\n" +
        $"Date: Mon, 1 Jan 2024 10:0{index}:00 +0000\n" +
        $"Message-ID: <{messageId}>\n" +
        (index > 1 ? "In-Reply-To: <p1@linaro.org>\n" : "") +
        "\n" +
        $"Step {index}.\n\n" +
        "Reviewed-by: Zoë Ångström <zoe@example.org>\n" +
        "Signed-off-by: Philippe Mathieu-Daudé <philmd@linaro.org>\n" +
        "---\n" +
        "Changes in v3:\n" +
        "- rebased\n" +
        "\n" +
        $" hw/misc/{{old => new}}/unit{index}.c | 2 +-\n" +
        " 1 file changed, 1 insertion(+), 1 deletion(-)\n" +
        " rename hw/misc/{old => new}/common.c (100%)\n" +
        "\n" +
        $"diff --git a/hw/misc/old/unit{index}.c b/hw/misc/new/unit{index}.c\n" +
        "similarity index 90%\n" +
        $"rename from hw/misc/old/unit{index}.c\n" +
        $"rename to hw/misc/new/unit{index}.c\n" +
        $"--- a/hw/misc/old/unit{index}.c\n" +
        $"+++ b/hw/misc/new/unit{index}.c\n" +
        "@@ -1 +1 @@\n" +
        "-a\n" +
        "+b\n";

    private static string Reply(int index, string replyTo) =>
        "From x Mon Sep 17 00:00:00 2001\n" +
        "From: Zoë Ångström <zoe@example.org>\n" +
        $"Subject: Re: [PATCH v3 {index}/2] hw/misc: step {index}\n" +
        $"Date: Tue, 2 Jan 2024 10:0{index}:00 +0000\n" +
        $"Message-ID: <r{index}@example.org>\n" +
        $"In-Reply-To: <{replyTo}>\n" +
        "\n" +
        "Tested-by: Zoë Ångström <zoe@example.org>\n";

    [Fact]
    public void Text_repeated_across_messages_is_one_string()
    {
        var box = PatchMailbox.Parse(Encoding.UTF8.GetBytes(Patch(1, "p1@linaro.org") + Patch(2, "p2@linaro.org") + Reply(1, "p1@linaro.org") + Reply(2, "p2@linaro.org")));
        box.Messages.Should().HaveCount(4);
        var first = box.Messages[0].Commit!;
        var second = box.Messages[1].Commit!;

        first.Trailers.Select(t => t.Value).Should().Equal("Zoë Ångström <zoe@example.org>", "Philippe Mathieu-Daudé <philmd@linaro.org>");
        second.Trailers[0].Value.Should().BeSameAs(first.Trailers[0].Value, "a trailer with an accented name is shared");
        second.Trailers[1].Value.Should().BeSameAs(first.Trailers[1].Value);
        second.Author!.Name.Should().Be("Philippe Mathieu-Daudé").And.BeSameAs(first.Author!.Name);

        first.Subject.VersionText.Should().Be("3");
        second.Subject.VersionText.Should().BeSameAs(first.Subject.VersionText);
        first.Revisions.Should().ContainSingle().Which.Heading.Should().Be("Changes in v3:");
        second.Revisions[0].Heading.Should().BeSameAs(first.Revisions[0].Heading);
        second.Revisions[0].Text.Should().Be("- rebased").And.BeSameAs(first.Revisions[0].Text);

        // A rename summary line, split at its braces, gives the paths the same strings in both patches.
        var firstRename = first.Diffstat!.Changes.Should().ContainSingle().Subject;
        var secondRename = second.Diffstat!.Changes.Should().ContainSingle().Subject;
        (firstRename.OldPath, firstRename.Path).Should().Be(("hw/misc/old/common.c", "hw/misc/new/common.c"));
        secondRename.OldPath.Should().BeSameAs(firstRename.OldPath);
        secondRename.Path.Should().BeSameAs(firstRename.Path);
        first.Diffstat.Files[0].OldPath.Should().Be("hw/misc/old/unit1.c");
        first.Diffstat.Files[0].Path.Should().Be("hw/misc/new/unit1.c").And.BeSameAs(box.Messages[0].Diff!.Files[0].NewPath, "the diffstat and the diff name one file");

        // Each reply's trailer becomes a follow-up trailer of its patch: key, value and person are shared.
        var patches = box.Series.Should().ContainSingle().Subject.Patches;
        var a = patches[0].FollowUpTrailers.Should().ContainSingle().Subject;
        var b = patches[1].FollowUpTrailers.Should().ContainSingle().Subject;
        (a.Key, a.Value, a.PersonName, a.PersonEmail).Should().Be(("Tested-by", "Zoë Ångström <zoe@example.org>", "Zoë Ångström", "zoe@example.org"));
        b.Key.Should().BeSameAs(a.Key);
        b.Value.Should().BeSameAs(a.Value);
        b.PersonName.Should().BeSameAs(a.PersonName);
        b.PersonEmail.Should().BeSameAs(a.PersonEmail);
    }
}
