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
}
