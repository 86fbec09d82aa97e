namespace KernelPatch.Diff;

/// <summary>What a diff does to one file, as <c>git apply --summary</c> reports it.</summary>
public enum DiffFileStatus
{
    /// <summary>The file content (or mode) changes in place.</summary>
    Modified,

    /// <summary>The file is created (<c>new file mode</c>, or the old side is <c>/dev/null</c>).</summary>
    Added,

    /// <summary>The file is removed (<c>deleted file mode</c>, or the new side is <c>/dev/null</c>).</summary>
    Deleted,

    /// <summary>The file is moved (<c>rename from</c>/<c>rename to</c>), possibly with changes.</summary>
    Renamed,

    /// <summary>The file is copied (<c>copy from</c>/<c>copy to</c>), possibly with changes.</summary>
    Copied,
}
