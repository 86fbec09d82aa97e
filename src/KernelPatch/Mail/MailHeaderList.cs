using System.Collections;
using System.Collections.Immutable;
using System.Text;
using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// The header fields of one message in order, duplicates kept, with case-insensitive lookup.
/// </summary>
/// <remarks>
/// The fields are one array of small structs (offsets into the message); names and decoded values are strings made
/// on first access and cached here, so enumerating the list allocates nothing per field.
/// </remarks>
public sealed class MailHeaderList : IReadOnlyList<MailHeader>
{
    private static readonly string[] s_commonNames =
    [
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "Message-Id", "In-Reply-To", "References", "Received",
        "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Mime-Version", "Reply-To", "Sender", "List-Id",
        "Return-Path", "DKIM-Signature", "X-Mailer", "X-Original-From", "List-Unsubscribe", "List-Subscribe",
        "List-Post", "List-Help", "List-Archive", "Precedence", "X-Mailing-List", "Delivered-To", "X-Patchwork-Id",
        "X-Patchwork-Submitter", "X-Patchwork-Delegate", "X-Received", "ARC-Seal", "ARC-Message-Signature",
        "ARC-Authentication-Results", "Authentication-Results", "X-Spam-Status", "X-Google-DKIM-Signature",
        "X-Gm-Message-State", "X-Google-Smtp-Source", "X-Virus-Scanned", "Organization", "User-Agent", "Content-Disposition",
    ];

    private readonly ReadOnlyMemory<byte> _input;
    private readonly Field[] _fields;
    private readonly int _count;
    private string?[]? _names;
    private string?[]? _values;

    internal MailHeaderList(ReadOnlyMemory<byte> input, Field[] fields, int count)
    {
        _input = input;
        _fields = fields;
        _count = count;
    }

    /// <summary>The input the fields' offsets count in.</summary>
    internal ReadOnlyMemory<byte> Input => _input;

    /// <summary>A list with no fields.</summary>
    public static MailHeaderList Empty { get; } = new(ReadOnlyMemory<byte>.Empty, [], 0);

    /// <summary>Number of fields.</summary>
    public int Count => _count;

    /// <summary>The field at <paramref name="index"/> (0-based, in input order).</summary>
    /// <param name="index">0-based field position.</param>
    public MailHeader this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            return new MailHeader(this, index);
        }
    }

    /// <summary>The first field named <paramref name="name"/> (ASCII case-insensitive), or null.</summary>
    /// <param name="name">A field name such as <c>Subject</c>.</param>
    public MailHeader? Find(string name) => TryGet(name, out var header) ? header : null;

    /// <summary>Finds the first field named <paramref name="name"/> (ASCII case-insensitive).</summary>
    /// <param name="name">A field name such as <c>Subject</c>.</param>
    /// <param name="header">The field, when found.</param>
    /// <returns>Whether a field was found.</returns>
    public bool TryGet(string name, out MailHeader header)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < _count; i++)
        {
            if (NameEquals(i, name))
            {
                header = new MailHeader(this, i);
                return true;
            }
        }

        header = default;
        return false;
    }

    /// <summary>Every field named <paramref name="name"/> (ASCII case-insensitive), in input order.</summary>
    /// <param name="name">A field name such as <c>Received</c>.</param>
    public ImmutableArray<MailHeader> GetAll(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = ImmutableArray.CreateBuilder<MailHeader>();
        for (int i = 0; i < _count; i++)
        {
            if (NameEquals(i, name))
            {
                builder.Add(new MailHeader(this, i));
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Returns an enumerator over the fields in input order (allocation-free).</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<MailHeader> IEnumerable<MailHeader>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal int IndexOf(ReadOnlySpan<byte> name)
    {
        var input = _input.Span;
        for (int i = 0; i < _count; i++)
        {
            ref readonly var f = ref _fields[i];
            if (Ascii.EqualsIgnoreCase(input.Slice(f.NameOffset, f.NameLength), name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the header is one MIME decoding reads: <c>MIME-Version</c> or a <c>Content-*</c> header.</summary>
    internal bool IsMimeHeader(int index)
    {
        ref readonly var f = ref _fields[index];
        var name = _input.Span.Slice(f.NameOffset, f.NameLength);
        return (name.Length > 8 && Ascii.EqualsIgnoreCase(name[..8], "Content-"u8)) || Ascii.EqualsIgnoreCase(name, "MIME-Version"u8);
    }

    internal bool NameEquals(int index, string name)
    {
        ref readonly var f = ref _fields[index];
        return Ascii.EqualsIgnoreCase(_input.Span.Slice(f.NameOffset, f.NameLength), name);
    }

    internal string GetName(int index)
    {
        _names ??= new string?[_count];
        if (_names[index] is { } cached)
        {
            return cached;
        }

        ref readonly var f = ref _fields[index];
        var bytes = _input.Span.Slice(f.NameOffset, f.NameLength);
        string? name = null;
        foreach (var common in s_commonNames)
        {
            if (common.Length == bytes.Length && Ascii.Equals(bytes, common))
            {
                name = common;
                break;
            }
        }

        name ??= Encoding.UTF8.GetString(bytes);
        _names[index] = name;
        return name;
    }

    internal ReadOnlyMemory<byte> GetRawValue(int index)
    {
        ref readonly var f = ref _fields[index];
        return _input.Slice(f.ValueOffset, f.ValueEnd(_input.Span) - f.ValueOffset);
    }

    internal SourceSpan GetSpan(int index)
    {
        ref readonly var f = ref _fields[index];
        return SourceSpan.FromBounds(f.NameOffset, f.SpanEnd);
    }

    internal string GetValue(int index) => GetValue(index, null);

    /// <summary>The decoded value without caching it (the parser keeps what it reads on its own records).</summary>
    internal string DecodeAt(int index, DiagnosticBag? diagnostics)
    {
        if (_values?[index] is { } cached)
        {
            return cached;
        }

        ref readonly var f = ref _fields[index];
        return DecodeValue(_input.Span.Slice(f.ValueOffset, f.ValueEnd(_input.Span) - f.ValueOffset), diagnostics, f.ValueOffset);
    }

    internal string GetValue(int index, DiagnosticBag? diagnostics)
    {
        _values ??= new string?[_count];
        if (_values[index] is { } cached)
        {
            return cached;
        }

        ref readonly var f = ref _fields[index];
        string value = DecodeValue(_input.Span.Slice(f.ValueOffset, f.ValueEnd(_input.Span) - f.ValueOffset), diagnostics, f.ValueOffset);
        _values[index] = value;
        return value;
    }

    /// <summary>Unfolds (drops line ends, keeps the blanks after them), trims, and decodes encoded words.</summary>
    internal static string DecodeValue(ReadOnlySpan<byte> raw, DiagnosticBag? diagnostics, int offset)
    {
        int trimmed = raw.Length;
        raw = raw.TrimStart(" \t\r\n"u8);
        offset += trimmed - raw.Length;
        raw = raw.TrimEnd(" \t\r\n"u8);
        if (raw.IndexOfAny((byte)'\r', (byte)'\n') < 0)
        {
            return MailEncodedWords.Decode(raw, diagnostics, offset);
        }

        byte[] unfolded = Unfold(raw);
        return MailEncodedWords.Decode(unfolded, diagnostics, offset);
    }

    /// <summary>Returns the raw value without its line ends and trimmed, as a new array.</summary>
    internal static byte[] Unfold(ReadOnlySpan<byte> raw)
    {
        raw = raw.Trim(" \t\r\n"u8);
        var result = new byte[raw.Length];
        int n = 0;
        foreach (byte b in raw)
        {
            if (b != (byte)'\r' && b != (byte)'\n')
            {
                result[n++] = b;
            }
        }

        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }

    /// <summary>An allocation-free enumerator over the fields.</summary>
    public struct Enumerator : IEnumerator<MailHeader>
    {
        private readonly MailHeaderList _list;
        private int _index;

        internal Enumerator(MailHeaderList list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current field.</summary>
        public readonly MailHeader Current => new(_list, _index);

        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next field.</summary>
        /// <returns>False after the last field.</returns>
        public bool MoveNext() => ++_index < _list._count;

        /// <summary>Moves before the first field.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing.</summary>
        public readonly void Dispose()
        {
        }
    }

    /// <summary>
    /// One field as absolute offsets into the input: 16 bytes a field (a kernel mail has dozens of them, and every
    /// message keeps its table). The field's span starts at its name; the value ends where the span's last line ends,
    /// before its <c>\n</c> and one <c>\r</c>, so neither is stored.
    /// </summary>
    internal struct Field
    {
        public int NameOffset;
        public int NameLength;
        public int ValueOffset;
        public int SpanEnd;

        /// <summary>The end of the value in <paramref name="input"/>: the span's end less the last line's end (<c>\n</c>, then one <c>\r</c>).</summary>
        public readonly int ValueEnd(ReadOnlySpan<byte> input)
        {
            int end = SpanEnd;
            if (end > ValueOffset && input[end - 1] == (byte)'\n')
            {
                end--;
            }

            if (end > ValueOffset && input[end - 1] == (byte)'\r')
            {
                end--;
            }

            return end;
        }
    }
}
