using System.Text;
using Xunit.Abstractions;

namespace KernelPatch.Tests.Mail;

/// <summary>
/// Bodies and headers in the charsets mail from Japan, Korea, China and Europe comes in, under the names mailers
/// write (glibc's aliases as well as the IANA names): the commit message, author and title as <c>git mailinfo</c>
/// converts them to UTF-8. The last test asks the git on the machine when there is one.
/// </summary>
public class CharsetMailTests
{
    private readonly ITestOutputHelper _output;

    public CharsetMailTests(ITestOutputHelper output) => _output = output;

    private static Encoding CodePage(int number) => CodePagesEncodingProvider.Instance.GetEncoding(number)!;

    private static byte[] Mail(string charset, string encoding, byte[] body, string from = "Taro Yamada <taro@example.jp>", string subject = "[PATCH] fix")
    {
        byte[] payload = encoding switch
        {
            "base64" => Encoding.ASCII.GetBytes(Convert.ToBase64String(body, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n"),
            _ => body,
        };
        string head = "From: " + from + "\nSubject: " + subject + "\nDate: Mon, 9 Mar 2020 10:24:07 +0900\nMessage-ID: <c@example.jp>\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=" + charset + "\nContent-Transfer-Encoding: " + encoding + "\n\n";
        return [.. Encoding.ASCII.GetBytes(head), .. payload];
    }

    private static string Patch(string added) =>
        "---\n a.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\ndiff --git a/a.c b/a.c\nindex 1234567..89abcde 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n a\n-b\n+" + added + "\n c\n";

    [Fact]
    public void An_iso_2022_jp_body_is_converted_line_by_line()
    {
        // ISO-2022-JP writes Japanese with ASCII bytes between escapes: no line has an 8-bit byte, and each still
        // needs converting (until 2026-11-24 these stayed as escapes)
        var jis = CodePage(50220);
        const string Message = "日本語のテキスト。\n\nSigned-off-by: 山田 太郎 <taro@example.jp>\n";
        byte[] added = jis.GetBytes("/* 日本語 */");
        byte[] mail = Mail("ISO-2022-JP", "7bit", [.. jis.GetBytes(Message), .. Encoding.ASCII.GetBytes(Patch("PLACEHOLDER"))]);
        mail = Replace(mail, "PLACEHOLDER"u8.ToArray(), added);

        var message = PatchMessage.Parse(mail);

        message.Commit!.Body.Should().Be(Message);
        message.Commit.Trailers.Should().ContainSingle().Which.Value.Should().Be("山田 太郎 <taro@example.jp>");
        message.Commit.Patch.Span.IndexOf(added).Should().BeGreaterThan(0, "the patch keeps its bytes, as git's does");
        message.Files.Should().ContainSingle().Which.AddedCount.Should().Be(1);
    }

    [Theory]
    [InlineData("iso8859-15", 28605, "8bit", "Prix: 5 € (œuvre)")]
    [InlineData("latin-9", 28605, "quoted-printable", "Prix: 5 € (œuvre)")]
    [InlineData("cp1251", 1251, "8bit", "Исправить утечку памяти.")]
    [InlineData("EUC-KR", 51949, "base64", "메모리 누수를 고친다.")]
    [InlineData("ks_c_5601-1987", 949, "base64", "메모리 누수를 고친다.")] // Outlook's name; git cannot convert it
    [InlineData("cp936", 936, "8bit", "修复内存泄漏。")]
    [InlineData("Shift_JIS", 932, "8bit", "メモリリークを直す。")]
    public void A_body_in_another_charset_becomes_utf8(string charset, int codePage, string encoding, string text)
    {
        var from = CodePage(codePage);
        byte[] raw = [.. from.GetBytes(text + "\n\nSigned-off-by: Taro Yamada <taro@example.jp>\n"), .. Encoding.ASCII.GetBytes(Patch("x"))];
        if (encoding == "quoted-printable")
        {
            raw = QuotedPrintable(raw);
        }

        var message = PatchMessage.Parse(Mail(charset, encoding, raw));

        message.Commit!.Body.Should().Be(text + "\n\nSigned-off-by: Taro Yamada <taro@example.jp>\n");
        message.Diagnostics.Should().BeEmpty();
    }

    [Fact]
    public void Git_mailinfo_converts_the_same_way()
    {
        using var git = TestGit.TryCreate(_output);
        if (git is null)
        {
            return;
        }

        var jis = CodePage(50220);
        byte[][] mails =
        [
            Mail("ISO-2022-JP", "7bit", [.. jis.GetBytes("日本語のテキスト。\n\nSigned-off-by: 山田 太郎 <taro@example.jp>\n"), .. Encoding.ASCII.GetBytes(Patch("x"))],
                "=?ISO-2022-JP?B?" + Convert.ToBase64String(jis.GetBytes("山田 太郎")) + "?= <taro@example.jp>"),
            Mail("latin-9", "quoted-printable", QuotedPrintable([.. CodePage(28605).GetBytes("Prix: 5 €\n"), .. Encoding.ASCII.GetBytes(Patch("y"))]),
                "=?ISO_8859-1?Q?J=FCrgen?= <j@example.org>", "[PATCH] =?iso8859-15?Q?=A4uro?="),
            Mail("cp1251", "base64", [.. CodePage(1251).GetBytes("Исправить.\n"), .. Encoding.ASCII.GetBytes(Patch("z"))],
                "=?cp1251?B?" + Convert.ToBase64String(CodePage(1251).GetBytes("Иван Петров")) + "?= <i@example.ru>"),
            Mail("euckr", "base64", [.. CodePage(51949).GetBytes("메모리 누수를 고친다.\n"), .. Encoding.ASCII.GetBytes(Patch("w"))]),
        ];
        foreach (byte[] mail in mails)
        {
            var (gitMessage, gitPatch, info) = git.MailInfo(Encoding.ASCII.GetString(mail)); // 7-bit mail: the same bytes through standard input
            var message = PatchMessage.Parse(mail);
            message.Commit!.Body.TrimEnd().Should().Be(gitMessage.TrimEnd());
            info.Should().Contain("Author: " + message.Author!.Name + "\n").And.Contain("Subject: " + message.Title + "\n");
            message.Diff!.PatchId.Should().Be(git.PatchId(gitPatch));
        }
    }

    private static byte[] QuotedPrintable(byte[] raw)
    {
        var text = new StringBuilder();
        foreach (byte b in raw)
        {
            text.Append(b is (byte)'\n' or (>= 33 and <= 126 and not (byte)'=') or (byte)' ' ? ((char)b).ToString() : "=" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] Replace(byte[] source, byte[] find, byte[] with)
    {
        int at = source.AsSpan().IndexOf(find);
        return [.. source.AsSpan(0, at), .. with, .. source.AsSpan(at + find.Length)];
    }
}
