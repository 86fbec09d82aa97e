namespace KernelPatch.Commit;

/// <summary>The kind of a summary line below the diffstat totals.</summary>
public enum DiffstatChangeKind
{
    /// <summary><c>create mode 100644 path</c>.</summary>
    Create,

    /// <summary><c>delete mode 100644 path</c>.</summary>
    Delete,

    /// <summary><c>rename a =&gt; b (90%)</c>.</summary>
    Rename,

    /// <summary><c>copy a =&gt; b (90%)</c>.</summary>
    Copy,

    /// <summary><c>mode change 100644 =&gt; 100755 path</c>.</summary>
    ModeChange,

    /// <summary><c>rewrite path (80%)</c>.</summary>
    Rewrite,
}
