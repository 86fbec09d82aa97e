using System.Text;

namespace KernelPatch.Text;

/// <summary>
/// Shares the strings that mail repeats: file paths (in the diffstat, the <c>diff --git</c> line and the
/// <c>---</c>/<c>+++</c> lines, and again in every revision), message ids (a message's own and every
/// reference to it), author names and addresses, trailer values. A small direct-mapped table per thread:
/// a lookup hashes the bytes and compares them with the one string in their slot; a miss makes the string
/// and takes the slot. Bounded (at most <see cref="Slots"/> strings of at most <see cref="MaxLength"/>
/// characters per thread), so streaming memory stays flat; only ASCII text is kept. Each parse starts with
/// <see cref="Reset"/>, so what a parse shares is what its own input repeats, and its measured allocation does not
/// depend on what the thread parsed before.
/// </summary>
internal static class StringPool
{
    /// <summary>Slots per table (a power of two).</summary>
    public const int Slots = 4096;

    /// <summary>Longer text is decoded without the table.</summary>
    public const int MaxLength = 128;

    [ThreadStatic]
    private static string?[]? t_bytes;

    [ThreadStatic]
    private static string?[]? t_chars;

    [ThreadStatic]
    private static KernelPatch.Mail.MailIdentity?[]? t_identities;

    /// <summary>Empties this thread's tables (the start of a parse).</summary>
    public static void Reset()
    {
        if (t_bytes is { } bytes)
        {
            Array.Clear(bytes);
        }

        if (t_chars is { } chars)
        {
            Array.Clear(chars);
        }

        if (t_identities is { } identities)
        {
            Array.Clear(identities);
        }
    }

    /// <summary>
    /// An identity with this name and email, shared with an earlier one made from the same two strings (a person
    /// signs every patch of a series; with pooled strings, the same person is the same two references).
    /// </summary>
    public static KernelPatch.Mail.MailIdentity Identity(string name, string email)
    {
        var table = t_identities ??= new KernelPatch.Mail.MailIdentity?[Slots];
        int slot = HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(name), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(email)) & (Slots - 1);
        var found = table[slot];
        if (found is not null && ReferenceEquals(found.Name, name) && ReferenceEquals(found.Email, email))
        {
            return found;
        }

        var made = new KernelPatch.Mail.MailIdentity(name, email);
        table[slot] = made;
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

        var table = t_bytes ??= new string?[Slots];
        int slot = Hash(utf8) & (Slots - 1);
        string? found = table[slot];
        if (found is not null && found.Length == utf8.Length && Ascii.Equals(utf8, found))
        {
            return found;
        }

        string made = Encoding.UTF8.GetString(utf8);
        if (made.Length == utf8.Length)
        {
            table[slot] = made; // ASCII: one byte per char, so the comparison above can find it
        }

        return made;
    }

    /// <summary>The string of <paramref name="chars"/>, shared with an earlier equal one when the table has it.</summary>
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return string.Empty;
        }

        if (chars.Length > MaxLength)
        {
            return new string(chars);
        }

        var table = t_chars ??= new string?[Slots];
        int slot = Hash(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars)) & (Slots - 1);
        string? found = table[slot];
        if (found is not null && chars.SequenceEqual(found))
        {
            return found;
        }

        string made = new(chars);
        table[slot] = made;
        return made;
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

        return (int)(h ^ (h >> 29) ^ (h >> 43));
    }
}
