using System.Text;

namespace KernelPatch.Text;

/// <summary>
/// Shares the strings that mail repeats: file paths (in the diffstat, the <c>diff --git</c> line and the
/// <c>---</c>/<c>+++</c> lines, and again in every revision), message ids (a message's own and every
/// reference to it), author names and addresses, trailer keys and values, version numbers and notes headings.
/// A two-way table per thread, keyed by the text's UTF-8 bytes: a lookup hashes the bytes and compares them with
/// the two strings of their set (the newer first); a miss makes the string and puts it first, moving the older one
/// of the set out. Text given as characters is looked up by its UTF-8 bytes too, so a path read from bytes and the
/// same path cut from a string are one string. Bounded (at most <see cref="Slots"/> strings of at most
/// <see cref="MaxLength"/> UTF-8 bytes per thread), so streaming memory stays flat. Each parse starts with
/// <see cref="Reset"/>, so what a parse shares is what its own input repeats, and its measured allocation does not
/// depend on what the thread parsed before.
/// </summary>
internal static class StringPool
{
    /// <summary>Slots of the string table (a power of two; two slots make a set).</summary>
    public const int Slots = 8192;

    /// <summary>Slots of the identity table (a power of two).</summary>
    public const int IdentitySlots = 4096;

    /// <summary>Longer text (in UTF-8 bytes) is decoded without the table.</summary>
    public const int MaxLength = 128;

    [ThreadStatic]
    private static Slot[]? t_strings;

    [ThreadStatic]
    private static KernelPatch.Mail.MailIdentity?[]? t_identities;

    // Strings put in the table since the last Reset, and the sets of the first FewInserts of them: a Reset after a
    // small parse (one mail) empties those sets instead of the whole table.
    [ThreadStatic]
    private static int t_inserted;

    [ThreadStatic]
    private static int[]? t_insertedSets;

    // The same for the identity table: a parse of one mail sets a few of its 4,096 slots, and clearing all of them
    // (32 KB) took a tenth of such a parse.
    [ThreadStatic]
    private static int t_identitiesSet;

    [ThreadStatic]
    private static int[]? t_identitySlotsSet;

    private const int FewInserts = 256;

    /// <summary>Empties this thread's tables (the start of a parse).</summary>
    public static void Reset()
    {
        if (t_strings is { } strings)
        {
            if (t_inserted <= FewInserts)
            {
                foreach (int set in t_insertedSets.AsSpan(0, t_inserted))
                {
                    strings[set] = default;
                    strings[set + 1] = default;
                }
            }
            else
            {
                Array.Clear(strings);
            }

            t_inserted = 0;
        }

        if (t_identities is { } identities)
        {
            if (t_identitiesSet <= FewInserts)
            {
                foreach (int slot in t_identitySlotsSet.AsSpan(0, t_identitiesSet))
                {
                    identities[slot] = null;
                }
            }
            else
            {
                Array.Clear(identities);
            }

            t_identitiesSet = 0;
        }
    }

    /// <summary>
    /// An identity with this name and email, shared with an earlier one made from the same two strings (a person
    /// signs every patch of a series; with pooled strings, the same person is the same two references).
    /// </summary>
    public static KernelPatch.Mail.MailIdentity Identity(string name, string email)
    {
        var table = t_identities ??= new KernelPatch.Mail.MailIdentity?[IdentitySlots];
        int slot = HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(name), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(email)) & (IdentitySlots - 1);
        var found = table[slot];
        if (found is not null && ReferenceEquals(found.Name, name) && ReferenceEquals(found.Email, email))
        {
            return found;
        }

        var made = new KernelPatch.Mail.MailIdentity(name, email);
        table[slot] = made;
        int n = t_identitiesSet;
        if (n <= FewInserts) // stops counting past FewInserts, as Put does
        {
            if (n < FewInserts)
            {
                (t_identitySlotsSet ??= new int[FewInserts])[n] = slot;
            }

            t_identitiesSet = n + 1;
        }

        return made;
    }

    /// <summary>The string of UTF-8 <paramref name="utf8"/>, shared with an earlier equal one when the table has it.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var table = t_strings ??= new Slot[Slots];
        int key = Hash(utf8);
        int set = key & (Slots - 2);
        if (Find(table, set, key, utf8) is { } found)
        {
            return found;
        }

        string made = Encoding.UTF8.GetString(utf8);
        Put(table, set, key, made);
        return made;
    }

    /// <summary>The string of <paramref name="chars"/>, shared with an earlier equal one when the table has it.</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return string.Empty;
        }

        // The key is the text's UTF-8 form; text whose form does not fit in MaxLength bytes is not pooled.
        Span<byte> utf8 = stackalloc byte[MaxLength];
        if (chars.Length > MaxLength || System.Text.Unicode.Utf8.FromUtf16(chars, utf8, out _, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return new string(chars); // too long, or a lone surrogate, which has no UTF-8 key
        }

        // Well-formed UTF-16 goes through UTF-8 and back unchanged: a miss decodes the bytes as the byte form does.
        return Get(utf8[..written]);
    }

    /// <summary>The text of <paramref name="sb"/> (trimmed of white space when asked), shared through the table when short.</summary>
    public static string Get(System.Text.StringBuilder sb, bool trim = false)
    {
        if (sb.Length > MaxLength)
        {
            string text = sb.ToString();
            return trim ? text.Trim() : text;
        }

        Span<char> chars = stackalloc char[MaxLength];
        int length = sb.Length;
        sb.CopyTo(0, chars, length);
        return Get(trim ? chars[..length].Trim() : chars[..length]);
    }

    // The made string becomes its set's newer one; the older leaves the table.
    private static void Put(Slot[] table, int set, int key, string made)
    {
        table[set + 1] = table[set];
        table[set] = new Slot(made, key);
        int n = t_inserted;
        if (n <= FewInserts) // stops counting past FewInserts: a stream of any length puts strings without end
        {
            if (n < FewInserts)
            {
                (t_insertedSets ??= new int[FewInserts])[n] = set;
            }

            t_inserted = n + 1;
        }
    }

    // The set's newer string, then its older one, which a hit makes the newer again. A string is read only when its
    // slot's key is the text's hash: a miss touches the table alone, not strings made long before.
    private static string? Find(Slot[] table, int set, int key, ReadOnlySpan<byte> utf8)
    {
        Slot first = table[set];
        if (first.Key == key && first.Text is { } a && Holds(a, utf8))
        {
            return a;
        }

        Slot second = table[set + 1];
        if (second.Key == key && second.Text is { } b && Holds(b, utf8))
        {
            table[set + 1] = first;
            table[set] = second;
            return b;
        }

        return null;
    }

    // Whether the string's UTF-8 form is these bytes: ASCII compares in place; other text (fewer characters than
    // bytes) is encoded again. Bytes that are not UTF-8 never match, since their string encodes to U+FFFD's bytes.
    private static bool Holds(string s, ReadOnlySpan<byte> utf8)
    {
        if (s.Length == utf8.Length)
        {
            return Ascii.Equals(utf8, s);
        }

        if (s.Length > utf8.Length || s.Length * 3 < utf8.Length)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxLength];
        return System.Text.Unicode.Utf8.FromUtf16(s, buffer, out _, out int written, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done
            && buffer[..written].SequenceEqual(utf8);
    }

    // A pooled string and the hash of its UTF-8 bytes.
    private readonly record struct Slot(string? Text, int Key);

    // FNV-1a over 8-byte words then the tail: cheap for the short text pooled here; collisions only cost a miss.
    private static int Hash(ReadOnlySpan<byte> s)
    {
        ulong h = 14695981039346656037UL;
        int i = 0;
        for (; i + 8 <= s.Length; i += 8)
        {
            h = (h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(s[i..])) * 1099511628211UL;
        }

        for (; i < s.Length; i++)
        {
            h = (h ^ s[i]) * 1099511628211UL;
        }

        // A multiply carries bits only upwards, so a word's high bytes reach none of the low bits the set is taken
        // from: "Person 8" and "Person 9" (one word each) had the same set. Fold the high half down, then take the
        // high half of a multiply by 2^64/phi, which every bit below it feeds.
        h ^= h >> 32;
        return (int)((h * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
