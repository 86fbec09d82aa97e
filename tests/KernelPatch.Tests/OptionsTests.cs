using Microsoft.Extensions.Logging;

namespace KernelPatch.Tests;

/// <summary>The facade honours every option: logger, input format, scissors, strict mode.</summary>
public class OptionsTests
{
    private const string CorruptDiff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,3 @@\n-a\n+b\n";

    private const string ScissorsMail =
        "From: Dev Eloper <dev@example.org>\n" +
        "Subject: [PATCH] foo: fix the bar\n" +
        "Date: Mon, 9 Mar 2020 10:24:07 -0400\n" +
        "Message-Id: <s1@example.org>\n\n" +
        "Some discussion that is not part of the commit.\n\n" +
        "-- >8 --\n" +
        "The real commit message.\n\n" +
        "Signed-off-by: Dev Eloper <dev@example.org>\n" +
        "---\n" +
        "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

    [Fact]
    public void Every_diagnostic_also_goes_to_the_logger_with_its_code_and_offset()
    {
        var logger = new ListLogger();
        var box = PatchMailbox.Parse(CorruptDiff, PatchParseOptions.Default with { Logger = logger });
        var error = box.Messages.Single().Diagnostics.Single(d => d.Severity == PatchDiagnosticSeverity.Error);
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Text.StartsWith(error.Code + " at offset " + error.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Strict_mode_throws_with_the_code_and_position_of_the_first_error()
    {
        var act = () => PatchMailbox.Parse(CorruptDiff, PatchParseOptions.Strict);
        var e = act.Should().Throw<PatchFormatException>().Which;
        e.Code.Should().StartWith("KP05");
        e.Offset.Should().Be(CorruptDiff.Length, "the hunk ends early: the third new line is missing at the end of the input");
    }

    [Fact]
    public void Scissors_are_off_by_default_and_cut_the_message_when_asked()
    {
        var plain = PatchMessage.Parse(ScissorsMail);
        plain.Commit!.Body.Should().StartWith("Some discussion that is not part of the commit.");
        plain.Diagnostics.Should().Contain(d => d.Code == "KP0401");

        var cut = PatchMessage.Parse(ScissorsMail, PatchParseOptions.Default with { Scissors = true });
        cut.Commit!.Body.Should().Be("The real commit message.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n");
        cut.Files.Should().ContainSingle().Which.NewPath.Should().Be("x");
    }

    [Fact]
    public void The_input_format_can_be_forced()
    {
        // Auto-detection sees a mail; forced to Diff, the same bytes are one bare diff.
        var auto = PatchMailbox.Parse(ScissorsMail);
        auto.Format.Should().Be(PatchInputFormat.Message);
        auto.Messages.Single().Mail.Should().NotBeNull();

        var forced = PatchMailbox.Parse(ScissorsMail, PatchParseOptions.Default with { Format = PatchInputFormat.Diff });
        forced.Format.Should().Be(PatchInputFormat.Diff);
        var m = forced.Messages.Single();
        m.Mail.Should().BeNull();
        m.Files.Should().ContainSingle().Which.AddedCount.Should().Be(1);
    }

    [Fact]
    public void Mboxrd_unquotes_from_lines_in_bodies_when_asked()
    {
        const string mbox =
            "From dev@example.org Mon Mar  9 10:24:07 2020\n" +
            "From: Dev Eloper <dev@example.org>\nSubject: [PATCH] x: y\nMessage-Id: <q@x>\n\n" +
            "Quoting mail:\n>From the start it was wrong.\n>>From twice.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n";
        var rd = PatchMessage.Parse(mbox, PatchParseOptions.Default with { Format = PatchInputFormat.Mboxrd });
        rd.Commit!.Body.Should().Be("Quoting mail:\nFrom the start it was wrong.\n>From twice.\n\nSigned-off-by: Dev Eloper <dev@example.org>\n");
        rd.Trailers.Should().ContainSingle().Which.Key.Should().Be("Signed-off-by");

        var o = PatchMessage.Parse(mbox);
        o.Commit!.Body.Should().Contain(">From the start", "mboxo (git's default) keeps the quoting");
    }

    [Fact]
    public void A_logger_that_parses_while_it_is_called_does_not_disturb_the_parse_that_called_it()
    {
        // The subject's index is above its total, so the subject parser logs a warning in the middle of its work;
        // the logger parses subjects and a whole message itself (per-thread scratch state must not be shared).
        var logger = new ReentrantLogger();
        var message = PatchMessage.Parse(
            "From: Dev Eloper <dev@example.org>\nSubject: [RFC PATCH net-next v3 5/3] foo: fix the bar\nDate: Mon, 9 Mar 2020 10:24:07 -0400\n\n" +
            "Body.\n\nSigned-off-by: Dev Eloper <dev@example.org>\nReviewed-by: Rev Iewer <rev@example.org>\n---\n" +
            "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
            PatchParseOptions.Default with { Logger = logger });

        logger.Calls.Should().BeGreaterThan(0);
        message.Subject!.Tags.Should().Equal("PATCH", "net-next");
        (message.Subject.Version, message.Subject.Index, message.Subject.Total, message.Subject.IsRfc).Should().Be((3, 5, 3, true));
        message.Trailers.Select(t => t.Key + ": " + t.Value).Should().Equal("Signed-off-by: Dev Eloper <dev@example.org>", "Reviewed-by: Rev Iewer <rev@example.org>");
        message.Files.Should().ContainSingle().Which.Hunks.Should().ContainSingle().Which.AddedCount.Should().Be(1);
    }

    private sealed class ReentrantLogger : ILogger
    {
        public int Calls { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Calls++;
            KernelPatch.Subject.SubjectLine.Parse("[PATCH kvm-unit-tests 2/9] other").Tags.Should().Equal("PATCH", "kvm-unit-tests");
            PatchMessage.Parse("Subject: [PATCH] y\n\nNo.\n---\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1,2 +1 @@\n-c\n-d\n+e\n").Files.Should().ContainSingle();
        }
    }

    internal sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((logLevel, formatter(state, exception)));
    }
}
