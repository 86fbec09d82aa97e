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

    [Fact]
    public void Hostile_input_decodes()
    {
        string many = string.Concat(Enumerable.Repeat("=?", 100_000));
        MailEncodedWords.Decode(many).Should().Be(many);
        string words = string.Concat(Enumerable.Repeat("=?utf-8?q?a?= ", 20_000));
        MailEncodedWords.Decode(words).Should().Be(new string('a', 20_000) + " ");
    }
}
