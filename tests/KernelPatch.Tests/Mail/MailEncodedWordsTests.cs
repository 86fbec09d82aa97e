using System.Text;
using KernelPatch.Mail;
using KernelPatch.Text;

namespace KernelPatch.Tests.Mail;

public class MailEncodedWordsTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("=?utf-8?q?Philippe_Mathieu-Daud=C3=A9?=", "Philippe Mathieu-Daudé")] // seed 003
    [InlineData("=?UTF-8?Q?J=C3=B6rg?=", "Jörg")] // upper-case charset and encoding
    [InlineData("=?utf-8?b?SsO2cmc=?=", "Jörg")] // B encoding
    [InlineData("=?utf-8?b?SsO2cmc?=", "Jörg")] // B without padding
    [InlineData("=?iso-8859-1?q?J=F6rg?=", "Jörg")] // 8-bit charset
    [InlineData("=?ISO-8859-2?Q?Micha=B3?=", "Michał")] // iso-8859-2
    [InlineData("=?windows-1252?q?=80uro?=", "€uro")] // windows-125x
    [InlineData("=?koi8-r?b?8tXT08vJyg==?=", "Русский")] // koi8-r
    [InlineData("=?utf-8?q?a?= =?utf-8?q?b?=", "ab")] // blanks between adjacent words dropped
    [InlineData("=?utf-8?q?a?=\t  =?utf-8?q?_b?=", "a b")] // space encoded as '_' is kept
    [InlineData("=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "é")] // one character split across two words
    [InlineData("x =?utf-8?q?a?= y", "x a y")] // blanks next to text kept
    [InlineData("=?utf-8*en?q?lang?=", "lang")] // RFC 2231 language suffix
    [InlineData("=?utf-8?q?[PATCH]_f=C3=BCr?= alle", "[PATCH] für alle")]
    [InlineData("=?utf-8?x?bad?=", "=?utf-8?x?bad?=")] // unknown encoding: kept
    [InlineData("=?utf-8?q?no end", "=?utf-8?q?no end")] // unterminated: kept
    [InlineData("=?utf-8?q?has space?=", "has space")] // blank inside a word (a fold there): read as git mailinfo reads it
    [InlineData("=?utf-8?b?aGFz IHNwYWNl?=", "has space")] // in B text the blank is skipped
    [InlineData("=?UTF-8?Q?t=C3=AF tle?=", "tï tle")]
    [InlineData("=?UTF -8?Q?t=C3=AFtle?=", "tïtle")] // a fold inside the charset name
    [InlineData("=?utf-8?q?a ?= b", "a  b")]
    [InlineData("=? utf-8?q?a?=", "a")]
    [InlineData("=?utf-8?q?a?= =?utf-8?q?b c?=", "ab c")]
    [InlineData("a =? b ?= c", "a =? b ?= c")]
    [InlineData("=?utf-8?q?=ZZ?=", "=ZZ")] // bad hex kept as written
    public void Decodes(string text, string expected)
    {
        MailEncodedWords.Decode(text).Should().Be(expected);
        MailEncodedWords.Decode(Encoding.UTF8.GetBytes(text)).Should().Be(expected);
    }

    [Theory]
    [InlineData("=?utf-8?q?no end", "KP0205")]
    [InlineData("=?utf-8?b?@@@@?=", "KP0205")] // not base64
    [InlineData("=?x-unknown-9?q?abc?=", "KP0206")]
    public void Malformed_words_are_reported_at_their_offset(string text, string code)
    {
        var bag = new DiagnosticBag();
        MailEncodedWords.Decode(Encoding.UTF8.GetBytes("ab " + text), bag, 100);
        var d = bag.ToImmutableAndClear().Should().ContainSingle().Subject;
        d.Code.Should().Be(code);
        d.Offset.Should().BeInRange(100, 103);
    }

    // Names glibc's iconv (so git mailinfo) reads that .NET spells otherwise, or knows only for its built-in
    // encodings. Each word was checked with git mailinfo 2.39 (the Subject line git prints).
    [Theory]
    [InlineData("iso8859-15", "pCBldXJv", "€ euro")]
    [InlineData("latin-9", "pCBldXJv", "€ euro")]
    [InlineData("ISO_8859-1", "TfxsbGVy", "Müller")]
    [InlineData("iso-ir-100", "TfxsbGVy", "Müller")]
    [InlineData("l1", "TfxsbGVy", "Müller")]
    [InlineData("iso8859-7", "xevr5+3p6tw=", "Ελληνικά")]
    [InlineData("cp1251", "z/Do4uXy", "Привет")]
    [InlineData("CP1251", "z/Do4uXy", "Привет")]
    [InlineData("cp936", "1tDOxA==", "中文")]
    [InlineData("shift-jis", "k/qWe4zq", "日本語")]
    [InlineData("euckr", "x9Gxub7u", "한국어")]
    [InlineData("ANSI_X3.4-1968", "YXNjaWk=", "ascii")]
    [InlineData("utf-16le", "YQBiAA==", "ab")]
    public void Charset_aliases_read_as_glibc_reads_them(string charset, string base64, string expected)
    {
        var bag = new DiagnosticBag();
        MailEncodedWords.Decode(Encoding.ASCII.GetBytes("=?" + charset + "?B?" + base64 + "?="), bag, 0).Should().Be(expected);
        bag.ToImmutableAndClear().Should().BeEmpty();
    }

    // Names glibc does not know, so git mailinfo stops with "cannot convert" (and git am refuses the patch); .NET
    // knows them, or their code page, and they are read (docs/differences-from-git.md).
    [Theory]
    [InlineData("x-sjis", "k/qWe4zq", "日本語")]
    [InlineData("ks_c_5601-1987", "x9Gxub7u", "한국어")] // Outlook's name for Korean
    [InlineData("unicode-1-1-utf-8", "SsO2cmc=", "Jörg")]
    [InlineData("windows1251", "z/Do4uXy", "Привет")]
    public void Names_git_cannot_convert_are_read(string charset, string base64, string expected) =>
        MailEncodedWords.Decode("=?" + charset + "?B?" + base64 + "?=").Should().Be(expected);

    [Theory]
    [InlineData("x-unknown")]
    [InlineData("iso8859-99")]
    [InlineData("cp99999999999")]
    [InlineData("latin-99999999999999999999999999999999999999999999999999")]
    public void Names_nobody_knows_stay_unknown(string charset) => MailEncodedWords.GetEncoding(charset).Should().BeNull();

    [Fact]
    public void Hostile_input_decodes()
    {
        string many = string.Concat(Enumerable.Repeat("=?", 100_000));
        MailEncodedWords.Decode(many).Should().Be(many);
        string words = string.Concat(Enumerable.Repeat("=?utf-8?q?a?= ", 20_000));
        MailEncodedWords.Decode(words).Should().Be(new string('a', 20_000) + " ");
    }
}
