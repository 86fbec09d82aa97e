using KernelPatch.Mail;

namespace KernelPatch.Tests.Mail;

/// <summary><c>Content-Type</c> values: media type, subtype and parameters, looked up in any case.</summary>
public class MailContentTypeTests
{
    [Fact]
    public void Parameters_are_found_whatever_the_case_of_the_name()
    {
        var type = MailContentType.Parse("Multipart/Mixed; BOUNDARY=\"XYZ\"; CharSet=utf-8; name*=utf-8''a%20b.patch");

        (type.MediaType, type.SubType).Should().Be(("multipart", "mixed"));
        type.Parameters.Keys.Should().BeEquivalentTo("boundary", "charset", "name");
        type.Parameters["Boundary"].Should().Be("XYZ");
        type.Parameters["CHARSET"].Should().Be("utf-8");
        (type.Boundary, type.Charset, type.Name).Should().Be(("XYZ", "utf-8", "a b.patch"));
    }

    [Fact]
    public void The_default_is_plain_us_ascii_and_its_parameters_ignore_case_too()
    {
        var type = MailContentType.Default;

        type.Is("text", "plain").Should().BeTrue();
        type.Parameters.Should().ContainSingle();
        type.Parameters["Charset"].Should().Be("us-ascii");
        MailContentType.Parse("text/plain").Parameters.Should().BeEmpty();
        MailContentType.Parse("text/plain").Parameters.ContainsKey("x").Should().BeFalse();
    }

    // Each as git mailinfo reads the charset (checked with git 2.39 on a Latin-1 body), except the blanks around '='
    // (RFC 2045 allows them; git then finds no charset and leaves the body unconverted).
    [Theory]
    [InlineData("text/plain; charset=latin1 (sent by X)", "latin1")] // a comment after the value (MimeKit keeps it)
    [InlineData("text/plain; charset=\"latin1\" (c)", "latin1")]
    [InlineData("text/plain (c); (d) charset=latin1", "latin1")] // comments anywhere
    [InlineData("text/plain; charset=latin1; charset=us-ascii", "latin1")] // the first of a repeated parameter
    [InlineData("text/plain; charset = latin1", "latin1")]
    [InlineData("text/plain; charset=\"a (b) c\"", "a (b) c")] // no comment inside quotes
    [InlineData("text/plain; charset=utf-8 x", "utf-8")] // a token ends at a blank
    public void The_charset_is_read_as_git_reads_it(string value, string charset)
    {
        var type = MailContentType.Parse(value);
        (type.MediaType, type.SubType).Should().Be(("text", "plain"));
        type.Charset.Should().Be(charset);
    }

    [Fact]
    public void A_body_whose_charset_has_a_comment_is_converted()
    {
        byte[] mail = System.Text.Encoding.Latin1.GetBytes("From: A <a@example.org>\nSubject: [PATCH] x\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1 (Western)\n"
            + "Content-Transfer-Encoding: 8bit\n\nFix the b\u00e4r.\n\nSigned-off-by: J\u00f6rg <j@example.org>\n");

        PatchMessage.Parse(mail).Commit!.Body.Should().Be("Fix the b\u00e4r.\n\nSigned-off-by: J\u00f6rg <j@example.org>\n");
    }
}
