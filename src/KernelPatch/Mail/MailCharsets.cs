using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;

namespace KernelPatch.Mail;

/// <summary>
/// Charset names that .NET does not resolve as written but that mail uses and <c>git mailinfo</c> (through glibc's
/// iconv) reads: <c>iso8859-15</c>, <c>cp1251</c>, <c>ISO_8859-1</c>, <c>iso-ir-100</c>, <c>shift-jis</c>,
/// <c>euckr</c>... Names are compared by their letters and digits only, in any case, as glibc's aliases make
/// <c>latin-9</c>, <c>latin9</c> and <c>LATIN9</c> one name.
/// </summary>
internal static class MailCharsets
{
    /// <summary>The longest name looked up; real ones are under 30 characters.</summary>
    private const int MaxName = 40;

    /// <summary>Names (letters and digits, lower case) of the built-in encodings and of glibc's aliases that .NET has under another name.</summary>
    private static readonly FrozenDictionary<string, int> Aliases = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // UTF-8 and US-ASCII: taken as UTF-8, as GetEncoding takes "utf-8" and "us-ascii" (git converts neither)
        ["utf8"] = 65001, ["unicode11utf8"] = 65001, ["unicode20utf8"] = 65001, ["xunicode20utf8"] = 65001,
        ["usascii"] = 65001, ["ascii"] = 65001, ["ansix341968"] = 65001, ["ansix341986"] = 65001, ["iso646us"] = 65001,
        ["us"] = 65001, ["csascii"] = 65001, ["isoir6"] = 65001, ["ibm367"] = 65001, ["cp367"] = 65001,
        // ISO-8859-1, built in
        ["iso88591"] = 28591, ["latin1"] = 28591, ["l1"] = 28591, ["isoir100"] = 28591, ["cp819"] = 28591, ["ibm819"] = 28591,
        ["csisolatin1"] = 28591, ["iso885911987"] = 28591,
        // UTF-16 and UTF-32, built in
        ["utf16"] = 1200, ["utf16le"] = 1200, ["utf16be"] = 1201, ["utf32"] = 12000, ["utf32le"] = 12000, ["utf32be"] = 12001,
        // East Asian names glibc spells its way
        ["shiftjis"] = 932, ["mskanji"] = 932, ["csshiftjis"] = 932, ["eucjp"] = 51932, ["iso2022jp"] = 50220, ["csiso2022jp"] = 50221,
        ["euckr"] = 51949, ["uhc"] = 949, ["ksc5601"] = 949, ["ksc56011987"] = 949, ["iso2022kr"] = 50225,
        ["euccn"] = 936, ["gbk"] = 936, ["gb2312"] = 936, ["gb231280"] = 936, ["gb18030"] = 54936, ["big5"] = 950, ["big5hkscs"] = 950,
        ["hzgb2312"] = 52936, ["tis620"] = 874,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The provider's own names (<c>koi8-r</c>, <c>windows-1251</c>, <c>EUC-JP</c>...) by their letters and digits.</summary>
    private static readonly Lazy<FrozenDictionary<string, int>> ProviderNames = new(() =>
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var info in CodePagesEncodingProvider.Instance.GetEncodings())
        {
            names.TryAdd(Squeeze(info.Name), info.CodePage);
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    });

    /// <summary>The encoding a charset name means, read as glibc reads it; null when neither knows it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // called only for a name .NET does not know as written
    public static Encoding? FromAlias(string charset)
    {
        if (charset.Length > MaxName)
        {
            return null;
        }

        string key = Squeeze(charset);
        if (key.Length == 0)
        {
            return null;
        }

        if (Aliases.TryGetValue(key, out int codePage) || ProviderNames.Value.TryGetValue(key, out codePage))
        {
            return FromCodePage(codePage);
        }

        // latin-9 and latin9, koi8_r and koi8r: the provider knows some aliases only without the punctuation
        if (CodePagesEncodingProvider.Instance.GetEncoding(key) is { } squeezed)
        {
            return squeezed;
        }

        // iso8859-15, cp1251, windows1251, ibm850, ms936: the number names the code page
        if (key.StartsWith("iso8859", StringComparison.Ordinal) && int.TryParse(key.AsSpan(7), out int part) && part is >= 1 and <= 16)
        {
            return part == 1 ? Encoding.Latin1 : CodePagesEncodingProvider.Instance.GetEncoding("iso-8859-" + part);
        }

        foreach (string prefix in (ReadOnlySpan<string>)["cp", "windows", "ibm", "ms"])
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(key.AsSpan(prefix.Length), out int number) && number is > 0 and < 100000)
            {
                return FromCodePage(number);
            }
        }

        return null;
    }

    private static Encoding? FromCodePage(int codePage) => codePage switch
    {
        65001 or 20127 => Encoding.UTF8,
        28591 or 819 => Encoding.Latin1,
        1200 => Encoding.Unicode,
        1201 => Encoding.BigEndianUnicode,
        12000 => Encoding.UTF32,
        12001 => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        _ => CodePagesEncodingProvider.Instance.GetEncoding(codePage),
    };

    /// <summary>The name's ASCII letters (lower-cased) and digits.</summary>
    private static string Squeeze(string name)
    {
        Span<char> buffer = stackalloc char[MaxName];
        int length = 0;
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) && length < buffer.Length)
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }
}
