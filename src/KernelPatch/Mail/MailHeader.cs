using KernelPatch.Text;

namespace KernelPatch.Mail;

/// <summary>
/// One header field of a message, as a light view into its <see cref="MailHeaderList"/>: creating and enumerating
/// headers allocates nothing; <see cref="Name"/> and <see cref="Value"/> are made on first access and cached by the list.
/// </summary>
public readonly struct MailHeader : IEquatable<MailHeader>
{
    private readonly MailHeaderList _list;

    internal MailHeader(MailHeaderList list, int index)
    {
        _list = list;
        Index = index;
    }

    /// <summary>0-based position of the field in the header block.</summary>
    public int Index { get; }

    /// <summary>The field name as written (for example <c>Message-Id</c>).</summary>
    public string Name => _list.GetName(Index);

    /// <summary>The undecoded bytes after the colon, folded as written (line breaks kept, the final line end excluded).</summary>
    public ReadOnlyMemory<byte> RawValue => _list.GetRawValue(Index);

    /// <summary>The value unfolded, trimmed and RFC 2047-decoded.</summary>
    public string Value => _list.GetValue(Index);

    /// <summary>The whole field in the input: name, colon, value and every continuation line, with the final line end.</summary>
    public SourceSpan Span => _list.GetSpan(Index);

    /// <summary>Whether this field has the given name (ASCII case-insensitive).</summary>
    /// <param name="name">A field name such as <c>From</c>.</param>
    public bool Is(string name) => _list.NameEquals(Index, name);

    /// <inheritdoc/>
    public bool Equals(MailHeader other) => ReferenceEquals(_list, other._list) && Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MailHeader other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_list, Index);

    /// <summary>Compares two headers by identity (same list, same index).</summary>
    public static bool operator ==(MailHeader left, MailHeader right) => left.Equals(right);

    /// <summary>Compares two headers by identity (same list, same index).</summary>
    public static bool operator !=(MailHeader left, MailHeader right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => _list is null ? string.Empty : Name + ": " + Value;
}
