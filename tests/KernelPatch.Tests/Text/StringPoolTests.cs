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
        c.Should().BeSameAs(a, "text given as characters is looked up by its UTF-8 bytes");

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

    [Fact]
    public void Non_ascii_text_is_shared_whether_given_as_bytes_or_characters()
    {
        StringPool.Reset();
        string a = StringPool.Get("Philippe Mathieu-Daudé <philmd@linaro.org>"u8);
        StringPool.Get(Encoding.UTF8.GetBytes("Philippe Mathieu-Daudé <philmd@linaro.org>")).Should().BeSameAs(a);
        StringPool.Get("Philippe Mathieu-Daudé <philmd@linaro.org>".AsSpan()).Should().BeSameAs(a);
        string emoji = StringPool.Get("Tested-by: 🐧 <tux@example.org>".AsSpan());
        StringPool.Get(Encoding.UTF8.GetBytes("Tested-by: 🐧 <tux@example.org>")).Should().BeSameAs(emoji);

        // The same characters differently encoded are other text; bytes that are not UTF-8 decode exactly each time.
        StringPool.Get("Philippe Mathieu-Daude\u0301 <philmd@linaro.org>"u8).Should().NotBe(a);
        StringPool.Get(new byte[] { 0xc3, (byte)'a' }).Should().Be("\uFFFDa");
        StringPool.Get(Encoding.UTF8.GetBytes("\uFFFDa")).Should().Be("\uFFFDa");
        StringPool.Get(new byte[] { 0xc3, (byte)'a' }).Should().Be("\uFFFDa");

        // A lone surrogate has no UTF-8 form, and text of more than MaxLength UTF-8 bytes is not pooled: both decode exactly.
        StringPool.Get("x\uD800y".AsSpan()).Should().Be("x\uD800y");
        string wide = new('é', StringPool.MaxLength / 2 + 1);
        StringPool.Get(wide.AsSpan()).Should().Be(wide);
        StringPool.Get(Encoding.UTF8.GetBytes(wide)).Should().Be(wide);
    }

    [Fact]
    public void Any_text_comes_back_equal_and_recent_text_comes_back_shared()
    {
        // 40,000 short texts over a small alphabet, some of them not UTF-8 (0xc3 and 0xa9 alone): every lookup gives
        // the text it was given, and UTF-8 text looked up again right after being made is the same string.
        StringPool.Reset();
        var random = new Random(7);
        var recent = new Queue<(byte[] Bytes, string Made)>();
        for (int i = 0; i < 40_000; i++)
        {
            var bytes = new byte[random.Next(1, 12)];
            for (int k = 0; k < bytes.Length; k++)
            {
                bytes[k] = random.Next(8) switch { 0 => 0xc3, 1 => 0xa9, _ => (byte)('a' + random.Next(4)) };
            }

            string made = StringPool.Get(bytes);
            made.Should().Be(Encoding.UTF8.GetString(bytes));
            if (System.Text.Unicode.Utf8.IsValid(bytes))
            {
                StringPool.Get(bytes).Should().BeSameAs(made);
            }
            else
            {
                StringPool.Get(bytes).Should().Be(made).And.NotBeSameAs(made, "bytes that are not UTF-8 are never found: their string is other bytes");
            }
            recent.Enqueue((bytes, made));
            if (recent.Count > 3)
            {
                recent.Dequeue();
            }

            var (earlier, earlierMade) = recent.Peek();
            StringPool.Get(earlier).Should().Be(earlierMade);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(5_000)]
    public void Reset_forgets_every_string_however_many_were_made(int count)
    {
        // A Reset after few new strings empties only their sets; after many, the whole table.
        StringPool.Reset();
        var made = new string[count];
        for (int i = 0; i < count; i++)
        {
            made[i] = StringPool.Get(Encoding.ASCII.GetBytes("include/linux/file" + i + ".h"));
        }

        StringPool.Get(Encoding.ASCII.GetBytes("include/linux/file" + (count - 1) + ".h")).Should().BeSameAs(made[^1], "the newest string is in the table");
        StringPool.Reset();
        for (int i = 0; i < count; i++)
        {
            StringPool.Get(Encoding.ASCII.GetBytes("include/linux/file" + i + ".h")).Should().Be(made[i]).And.NotBeSameAs(made[i]);
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(5_000)]
    public void Reset_forgets_every_identity_however_many_were_made(int count)
    {
        // As with strings: a Reset after few new identities empties only their slots; after many, the whole table.
        StringPool.Reset();
        var names = new string[count];
        var emails = new string[count];
        var made = new KernelPatch.Mail.MailIdentity[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = "Person " + i;
            emails[i] = "person" + i + "@example.org";
            made[i] = StringPool.Identity(names[i], emails[i]);
        }

        StringPool.Identity(names[^1], emails[^1]).Should().BeSameAs(made[^1], "the newest identity is in the table");
        StringPool.Reset();
        int shared = 0;
        for (int i = 0; i < count; i++)
        {
            var again = StringPool.Identity(names[i], emails[i]);
            again.Should().Be(made[i]);
            shared += ReferenceEquals(again, made[i]) ? 1 : 0;
        }

        shared.Should().Be(0, "a Reset forgets every identity made before it");
    }

    [Theory]
    [InlineData("Person {0}")]
    [InlineData("include/linux/a{0}")]
    public void Texts_that_differ_only_in_a_word_s_last_byte_keep_their_own_sets(string format)
    {
        // 8 and 16 bytes: the varying byte is the high byte of the last 8-byte word the hash reads. A hash that let such
        // bytes reach no bit of the set index put all ten in one set of two, and each lookup evicted another.
        StringPool.Reset();
        var made = new string[10];
        for (int i = 0; i < made.Length; i++)
        {
            made[i] = StringPool.Get(Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i)));
        }

        for (int i = 0; i < made.Length; i++)
        {
            StringPool.Get(Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i))).Should().BeSameAs(made[i]);
        }
    }
}
