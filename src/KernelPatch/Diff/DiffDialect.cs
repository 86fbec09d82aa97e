namespace KernelPatch.Diff;

/// <summary>The flavour of diff a file was written in.</summary>
public enum DiffDialect
{
    /// <summary>A git diff: <c>diff --git a/x b/x</c> with git extended header lines.</summary>
    Git,

    /// <summary>A plain unified diff: <c>---</c>/<c>+++</c> lines, possibly after a <c>diff -ruN</c>, <c>diff -r</c> (hg) or <c>===</c> (bzr) line.</summary>
    Unified,

    /// <summary>An svn/cvs diff: <c>Index: path</c> and a <c>====</c> line before the unified headers.</summary>
    Index,

    /// <summary>A combined diff of a merge: <c>diff --cc</c> or <c>diff --combined</c> with <c>@@@</c> hunks.</summary>
    Combined,
}
