namespace KernelPatch.Benchmarks;

/// <summary>The contenders of the <c>compare</c> command, in the order they run in each round.</summary>
internal static class Contenders
{
    /// <summary>Name of the KernelPatch end-to-end contender (numerator of the headline ratio).</summary>
    public const string KernelPatch = "kernelpatch";

    /// <summary>Name of the KernelPatch contender that streams each mail (<c>PatchMailbox.Read</c>; <c>compare --each</c> only).</summary>
    public const string KernelPatchRead = "kp-read";

    /// <summary>Name of the MimeKit contender.</summary>
    public const string MimeKit = "mimekit";

    /// <summary>Name of the newline-counting floor.</summary>
    public const string Floor = "floor";

    /// <summary>
    /// Every registered contender. Each takes the whole input and returns a checksum of what it read.
    /// </summary>
    /// <remarks>The KernelPatch contender visits every header, trailer, file, hunk and line (<see cref="EndToEnd"/>).</remarks>
    public static readonly IReadOnlyList<(string Name, Func<byte[], long> Run)> All =
    [
        (KernelPatch, EndToEnd.VisitAll),
        (MimeKit, Peers.MimeKit),
        (Floor, Peers.CountNewlines),
    ];

    /// <summary>
    /// The same contenders over <paramref name="mails"/> parsed one at a time (<see cref="EachMail"/>); each ignores the
    /// array it is given and reads the mails.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<byte[], long> Run)> EachMail(ReadOnlyMemory<byte>[] mails) =>
    [
        (KernelPatch, _ => Benchmarks.EachMail.KernelPatch(mails)),
        (KernelPatchRead, _ => Benchmarks.EachMail.KernelPatchRead(mails)),
        (MimeKit, _ => Peers.MimeKitEachMail(mails)),
        (Floor, _ => Peers.CountNewlinesEachMail(mails)),
    ];
}
