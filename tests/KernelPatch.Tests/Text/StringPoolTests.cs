using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Tests.Text;

public class StringPoolTests
{
    [Fact]
    public void Equal_ascii_text_shares_one_string_until_the_next_parse_resets_the_table()
    {
        StringPool.Reset();
        string a = StringPool.Get("drivers/net/ethernet/intel/e1000e/netdev.c"u8);
        string b = StringPool.Get(Encoding.ASCII.GetBytes("drivers/net/ethernet/intel/e1000e/netdev.c"));
        string c = StringPool.Get("drivers/net/ethernet/intel/e1000e/netdev.c".AsSpan());

        b.Should().BeSameAs(a);
        a.Should().Be("drivers/net/ethernet/intel/e1000e/netdev.c");
        c.Should().Be(a).And.BeSameAs(StringPool.Get("drivers/net/ethernet/intel/e1000e/netdev.c".AsSpan()));

        StringPool.Reset();
        StringPool.Get("drivers/net/ethernet/intel/e1000e/netdev.c"u8).Should().Be(a).And.NotBeSameAs(a);
    }

    [Fact]
    public void Non_ascii_long_and_empty_text_decode_exactly()
    {
        StringPool.Get("Philippe Mathieu-Daudé"u8).Should().Be("Philippe Mathieu-Daudé");
        StringPool.Get("Philippe Mathieu-Daudé"u8).Should().Be("Philippe Mathieu-Daudé");
        string longText = new('x', StringPool.MaxLength + 1);
        StringPool.Get(Encoding.ASCII.GetBytes(longText)).Should().Be(longText);
        StringPool.Get(ReadOnlySpan<byte>.Empty).Should().BeSameAs(string.Empty);
        StringPool.Get(new byte[] { 0xff, (byte)'a' }).Should().Be("\uFFFDa");
    }

    [Fact]
    public void A_person_made_from_the_same_two_strings_is_one_identity()
    {
        StringPool.Reset();
        string name = StringPool.Get("Sean Christopherson"u8);
        string email = StringPool.Get("seanjc@google.com"u8);
        var first = StringPool.Identity(name, email);

        StringPool.Identity(StringPool.Get("Sean Christopherson"u8), StringPool.Get("seanjc@google.com"u8)).Should().BeSameAs(first);
        StringPool.Identity(new string(name), email).Should().NotBeSameAs(first).And.Be(first, "equal strings that are not the pooled ones make an equal identity");
        first.Should().Be(new KernelPatch.Mail.MailIdentity("Sean Christopherson", "seanjc@google.com"));
    }
}
