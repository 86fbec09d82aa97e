namespace KernelPatch.Diff;

/// <summary>How a block of a GIT binary patch encodes its side.</summary>
public enum DiffBinaryBlockKind
{
    /// <summary><c>literal N</c>: the deflated bytes of the whole file (N bytes once inflated).</summary>
    Literal,

    /// <summary><c>delta N</c>: a deflated git delta (N bytes once inflated) to apply to the other side.</summary>
    Delta,
}
