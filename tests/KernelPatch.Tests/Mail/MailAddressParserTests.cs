using KernelPatch.Mail;

namespace KernelPatch.Tests.Mail;

public class MailAddressParserTests
{
    [Theory]
    [InlineData("Peter Xu <peterx@redhat.com>", "Peter Xu", "peterx@redhat.com")]
    [InlineData("\"Last, First\" <a@b.org>", "Last, First", "a@b.org")] // comma inside quotes
    [InlineData("<yezengruan@huawei.com>", "", "yezengruan@huawei.com")] // bare angle address (seed 004)
    [InlineData("a@b.org", "", "a@b.org")] // bare address
    [InlineData("a@b.org (Alice Example)", "Alice Example", "a@b.org")] // comment as name
    [InlineData("=?utf-8?q?Philippe_Mathieu-Daud=C3=A9?= <f4bug@amsat.org>", "Philippe Mathieu-Daudé", "f4bug@amsat.org")] // encoded name
    [InlineData("\"=?utf-8?b?SsO2cmc=?=\" <j@x.de>", "Jörg", "j@x.de")] // encoded word inside quotes, as mailers write it
    [InlineData("\"Quote \\\"Q\\\" Name\" <q@x.org>", "Quote \"Q\" Name", "q@x.org")] // escaped quotes
    [InlineData("  Spaced    Name   <s@x.org>  ", "Spaced Name", "s@x.org")] // blanks collapsed
    [InlineData("Name <@route.example:n@x.org>", "Name", "n@x.org")] // obsolete source route
    [InlineData("John Doe", "John Doe", "")] // a name without an address
    [InlineData("Ünïcode Ñame <u@x.org>", "Ünïcode Ñame", "u@x.org")] // raw UTF-8 name
    [InlineData("John Doe j@d.org", "John Doe", "j@d.org")] // a bare address after a name: the word around '@' (git's reading)
    [InlineData("x <j@d.org> y", "x y", "j@d.org")]
    [InlineData("name\"quote <j@d.org>", "namequote", "j@d.org")] // an unclosed quote does not swallow the address
    [InlineData("\"name\"quote via List\" <l@d.org>", "namequote via List", "l@d.org")] // the second quote is unclosed
    [InlineData("\"a\" b \"c <j@d.org>", "a b c", "j@d.org")]
    public void Parses_one_identity(string value, string name, string email)
    {
        MailAddressParser.ParseIdentity(value).Should().Be(new MailIdentity(name, email));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData(",,,", 0)] // only separators
    [InlineData("a@b.org,", 1)] // trailing comma
    [InlineData("A <a@x.org>,\n B <b@x.org>,\r\n\t<c@x.org>", 3)] // line breaks inside the list
    [InlineData("team: a@x.org, B <b@x.org>;, c@x.org", 3)] // group members kept, group name dropped
    [InlineData("undisclosed-recipients:;", 0)] // empty group
    [InlineData("\"Last, First\" <a@x.org>, (Comment only) c@x.org", 2)]
    public void Parses_lists(string value, int count)
    {
        MailAddressParser.ParseList(value).Should().HaveCount(count);
    }

    [Fact]
    public void List_values_in_order()
    {
        var list = MailAddressParser.ParseList("team: a@x.org, B <b@x.org>;, \"Last, First\" <c@x.org> , d@x.org (Dee)");
        list.Should().Equal(
            new MailIdentity("", "a@x.org"),
            new MailIdentity("B", "b@x.org"),
            new MailIdentity("Last, First", "c@x.org"),
            new MailIdentity("Dee", "d@x.org"));
    }

    [Fact]
    public void Header_lists_are_parsed_from_raw_bytes()
    {
        var doc = MailDocument.Parse("From: a@x.org\nCc: =?utf-8?q?Last=2C_First?= <l@x.org>,\n B <b@x.org>\n\n"u8.ToArray());
        var cc = doc.Headers.Find("Cc")!.Value;
        cc.Value.Should().Be("Last, First <l@x.org>, B <b@x.org>");
        MailAddressParser.ParseList(cc).Should().Equal(new MailIdentity("Last, First", "l@x.org"), new MailIdentity("B", "b@x.org"));
    }

    [Theory]
    [InlineData("Müller, Jürgen <jm@d.org>", "Müller, Jürgen", "jm@d.org")]
    [InlineData("Doe, \"John\" <j@d.org>", "Doe, John", "j@d.org")]
    [InlineData("Doe, John <j@d.org>, Other <o@d.org>", "Doe, John", "j@d.org")] // the first address, its name up to it
    [InlineData("a <a@d.org>, b <b@d.org>", "a", "a@d.org")] // a list whose first entry has an address stays a list
    public void A_From_whose_name_has_an_unquoted_comma_is_one_address(string value, string name, string email)
    {
        var header = System.Text.Encoding.UTF8.GetBytes("From: " + value + "\n\nbody\n");
        MailDocument.Parse(header).From.Should().Be(new MailIdentity(name, email));
        MailAddressParser.ParseIdentity(value)!.Email.Should().Be(value.StartsWith("a ", StringComparison.Ordinal) ? "a@d.org" : "", "an address list read as a list still splits at the comma");
    }

    [Fact]
    public void Hostile_values_parse()
    {
        // an unclosed nested comment becomes the name of an address-less identity
        MailAddressParser.ParseList(new string('(', 100_000)).Should().ContainSingle().Which.Email.Should().BeEmpty();
        MailAddressParser.ParseList(new string(':', 100_000)).Should().BeEmpty();
        MailAddressParser.ParseList(new string('"', 100_001)).Should().BeEmpty(); // empty quoted strings only
        // a quote that nothing closes is dropped; later quotes are not searched again (100,000 escaped quotes would be)
        MailAddressParser.ParseIdentity("\"" + string.Concat(Enumerable.Repeat("\\\"", 100_000)) + " <a@b.org>").Should().Be(new MailIdentity(string.Concat(Enumerable.Repeat("\\", 100_000)), "a@b.org"));
        MailAddressParser.ParseList(string.Concat(Enumerable.Repeat("<a@b>,", 50_000))).Should().HaveCount(50_000);
        MailAddressParser.ParseIdentity(null).Should().BeNull();
    }
}
