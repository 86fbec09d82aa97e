namespace KernelPatch.Series;

/// <summary>The role the assembler gave a message.</summary>
internal enum SeriesMessageRole
{
    /// <summary>Not a patch, cover letter or reply (pull request, announcement).</summary>
    Other,

    /// <summary>A patch (index 1..N, or a lone patch).</summary>
    Patch,

    /// <summary>A cover letter (index 0).</summary>
    Cover,

    /// <summary>A reply to some message of a thread.</summary>
    Reply,

    /// <summary>A second copy of a Message-ID already seen; left out of threads and series.</summary>
    Duplicate,
}
