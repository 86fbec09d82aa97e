namespace KernelPatch.Diff;

/// <summary>The kind of one line in a hunk body.</summary>
public enum DiffLineKind : byte
{
    /// <summary>A context line (<c>' '</c>, or an empty line as git accepts it), on both sides.</summary>
    Context,

    /// <summary>An added line (<c>'+'</c>), on the new side only.</summary>
    Added,

    /// <summary>A removed line (<c>'-'</c>), on the old side only.</summary>
    Removed,
}
